"""Evidence deposits (存证): what was deposited, by whom, and where it sits in the ledger.

The ledger (``zhibao.ledger``) is the source of truth that anyone can check
without trusting ZhiBao; these rows are the index that lets people find a
deposit by number or hash, plus its files and its chain of custody. Rows are
never deleted or edited after the deposit is made.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Deposit(models.Model):
    class Kind(models.TextChoices):
        FILES = "files", "文件存证"
        STATEMENT = "statement", "文字声明"
        WEB_CAPTURE = "web_capture", "网页取证"

    deposit_no = models.CharField("存证编号", max_length=32, unique=True)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    title = models.CharField("标题", max_length=200)
    category = models.CharField("证明内容", max_length=20, blank=True, db_index=True,
                                help_text="evidence.checklists 中的类别，如 ownership、infringement")
    statement = models.TextField("说明/声明", blank=True)
    source_url = models.URLField("取证网址", max_length=1000, blank=True)
    depositor = models.ForeignKey("accounts.User", verbose_name="存证人", related_name="deposits",
                                  on_delete=models.PROTECT)
    organisation = models.ForeignKey("orgs.Organisation", null=True, blank=True, related_name="deposits",
                                     on_delete=models.PROTECT)
    depositor_id_hash = models.CharField(max_length=64, help_text="SHA-256 of the depositor's identity, in the leaf")
    deposited_at = models.DateTimeField("存证时间", default=timezone.now)
    leaf_index = models.BigIntegerField("叶子序号", unique=True)
    leaf = models.BinaryField("叶子数据")
    tree_size = models.BigIntegerField("入证时树大小")
    root_hex = models.CharField("根哈希", max_length=64)
    inclusion_proof = models.JSONField("包含证明", default=list, help_text="hex audit path at tree_size")
    checkpoint = models.TextField("签名检查点")
    timestamp_token = models.BinaryField("RFC 3161 时间戳")
    timestamp_time = models.DateTimeField("可信时间")

    class Meta:
        ordering = ["-deposited_at", "-id"]
        verbose_name = "存证"

    def __str__(self) -> str:
        return f"{self.deposit_no} {self.title}"

    @property
    def category_label(self) -> str:
        from zhibao.evidence.checklists import categories

        return categories().get(self.category, {}).get("label", "") if self.category else ""


class DepositFile(models.Model):
    deposit = models.ForeignKey(Deposit, related_name="files", on_delete=models.PROTECT)
    name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    sm3 = models.CharField(max_length=64)
    size = models.BigIntegerField()
    mime = models.CharField(max_length=100)
    content = models.FileField(upload_to="evidence/%Y/%m/")

    class Meta:
        ordering = ["deposit", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.sha256[:12]}…)"


class CustodyEvent(models.Model):
    """Chain of custody: every view, export and submission of a deposit (who, when, what, why)."""

    class Action(models.TextChoices):
        DEPOSITED = "deposited", "存证"
        VIEWED = "viewed", "查看"
        EXPORTED = "exported", "导出证据包"
        CERTIFICATE = "certificate", "下载证书"
        SUBMITTED = "submitted", "提交至渠道"
        VERIFIED = "verified", "公众核验"

    deposit = models.ForeignKey(Deposit, related_name="custody", on_delete=models.PROTECT)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey("accounts.User", null=True, blank=True, related_name="+", on_delete=models.PROTECT)
    action = models.CharField(max_length=16, choices=Action.choices)
    channel = models.CharField(max_length=60, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.deposit.deposit_no} {self.action} @ {self.at:%Y-%m-%d %H:%M}"
