"""Users with one role each, powers of attorney, scoped API tokens and the audit log.

The audit log lives here because every app writes to it through
``zhibao.accounts.audit.record`` and auditors read it through this app.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from zhibao.accounts.roles import Role


class User(AbstractUser):
    role = models.CharField("角色", max_length=24, choices=Role.choices, default=Role.RIGHT_HOLDER)
    display_name = models.CharField("姓名", max_length=60, blank=True)
    phone = models.CharField("手机号", max_length=20, null=True, blank=True, unique=True)
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name="所属机构", null=True, blank=True,
        related_name="members", on_delete=models.PROTECT,
    )
    district = models.ForeignKey(
        "orgs.District", verbose_name="所属区", null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def role_label(self) -> str:
        return Role(self.role).label


class PowerOfAttorney(models.Model):
    """An agent's recorded authority to act for a principal organisation (委托代理)."""

    class Scope(models.TextChoices):
        ALL = "all", "全部事项"
        RIGHTS = "rights", "权利登记"
        COMPLAINTS = "complaints", "投诉与维权"
        NOTICES = "notices", "电商通知"

    agent = models.ForeignKey(User, related_name="powers", on_delete=models.PROTECT)
    principal = models.ForeignKey("orgs.Organisation", related_name="agents", on_delete=models.PROTECT)
    scope = models.CharField("授权范围", max_length=16, choices=Scope.choices, default=Scope.ALL)
    document_no = models.CharField("委托书编号", max_length=60, blank=True)
    valid_from = models.DateField("生效日期")
    valid_until = models.DateField("截止日期", null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "授权委托"
        indexes = [models.Index(fields=["agent", "principal"])]

    def __str__(self) -> str:
        return f"{self.agent} 代理 {self.principal}（{self.get_scope_display()}）"

    def is_current(self, on=None) -> bool:  # noqa: ANN001
        day = on or timezone.localdate()
        if self.revoked_at is not None or day < self.valid_from:
            return False
        return self.valid_until is None or day <= self.valid_until


class ApiToken(models.Model):
    """A machine client's credential: shown once, stored as SHA-256, scoped, revocable."""

    user = models.ForeignKey(User, related_name="api_tokens", on_delete=models.PROTECT)
    name = models.CharField("名称", max_length=80)
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField("权限范围", default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField("过期时间", null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API 令牌"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()


class ApiTokenUse(models.Model):
    """One request made with a token: every use is logged (who, what, when, from where)."""

    token = models.ForeignKey(ApiToken, related_name="uses", on_delete=models.PROTECT)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=500)
    ip = models.GenericIPAddressField(null=True, blank=True)
    status = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.method} {self.path} @ {self.at:%Y-%m-%d %H:%M:%S}"


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: ANN003 - Django signature
        raise ValidationError("审计日志只能追加，不能修改。")

    def delete(self):
        raise ValidationError("审计日志只能追加，不能删除。")


class AuditEntry(models.Model):
    """An append-only record of one write by a user or a token."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, related_name="+", on_delete=models.PROTECT)
    actor_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=24, blank=True)
    token = models.ForeignKey(ApiToken, null=True, blank=True, related_name="+", on_delete=models.PROTECT)
    action = models.CharField(max_length=40, db_index=True)
    object_type = models.CharField(max_length=60, db_index=True)
    object_id = models.CharField(max_length=60, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "审计日志"
        indexes = [models.Index(fields=["object_type", "object_id"])]
        constraints = [models.CheckConstraint(condition=~Q(action=""), name="audit_action_not_empty")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):  # noqa: ANN002, ANN003
        if self.pk is not None:
            raise ValidationError("审计日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # noqa: ANN002, ANN003
        raise ValidationError("审计日志只能追加，不能删除。")
