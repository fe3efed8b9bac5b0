"""The rights register (权利登记): patents, trademarks, copyrights, trade secrets, GIs.

One table for all right types: cases, notices and monitoring refer to "a
right" regardless of its type, and search by number/name/owner/class must
span them. Type-specific fields are nullable columns validated by the
service per type. Licences carry the fee later used as a damages basis.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class RightType(models.TextChoices):
    PATENT = "patent", "专利"
    TRADEMARK = "trademark", "商标"
    COPYRIGHT = "copyright", "著作权"
    TRADE_SECRET = "trade_secret", "商业秘密"
    GI = "gi", "地理标志"


class Right(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", "有效"
        PENDING = "pending", "审查中"
        EXPIRED = "expired", "已届满"
        INVALIDATED = "invalidated", "已无效"

    class PatentKind(models.TextChoices):
        INVENTION = "invention", "发明"
        UTILITY_MODEL = "utility_model", "实用新型"
        DESIGN = "design", "外观设计"

    right_type = models.CharField("权利类型", max_length=16, choices=RightType.choices, db_index=True)
    number = models.CharField("申请号/注册号/登记号", max_length=40, blank=True)
    title = models.CharField("名称", max_length=200, db_index=True)
    owner = models.ForeignKey("orgs.Organisation", verbose_name="权利人", related_name="rights",
                              on_delete=models.PROTECT)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.VALID, db_index=True)
    valid_from = models.DateField("生效日", null=True, blank=True)
    valid_until = models.DateField("届满日", null=True, blank=True)
    # patents
    patent_kind = models.CharField("专利类型", max_length=16, choices=PatentKind.choices, blank=True)
    grant_number = models.CharField("授权公告号", max_length=40, blank=True)
    ipc = models.CharField("IPC 分类号", max_length=200, blank=True)
    claims = models.TextField("权利要求", blank=True)
    # trademarks
    nice_classes = models.JSONField("尼斯分类", default=list, blank=True)
    classes_key = models.CharField(max_length=200, blank=True, db_index=True,
                                   help_text="',9,35,' form of nice_classes, for class search on any database")
    goods = models.TextField("核定使用商品/服务", blank=True)
    mark_image = models.FileField("商标图样", upload_to="rights/marks/%Y/", blank=True)
    # copyrights
    self_declared = models.BooleanField("自主声明作品", default=False)
    work_file = models.FileField("作品文件", upload_to="rights/works/%Y/", blank=True)
    # trade secrets: protected description (visible to the owner's side only)
    secret_description = models.TextField("秘密点描述", blank=True)
    # geographical indications
    gi_product = models.CharField("地理标志产品", max_length=100, blank=True)
    gi_area = models.CharField("产地范围", max_length=300, blank=True)
    gi_authorised_users = models.ManyToManyField("orgs.Organisation", verbose_name="核准使用人",
                                                 related_name="gi_authorisations", blank=True)
    notes = models.TextField("备注", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "权利"
        constraints = [
            models.UniqueConstraint(
                fields=["right_type", "number"], condition=~models.Q(number=""), name="right_unique_number"
            )
        ]
        indexes = [models.Index(fields=["owner", "right_type"]), models.Index(fields=["number"])]

    def __str__(self) -> str:
        return f"{self.get_right_type_display()} {self.number or ''} {self.title}".strip()

    @property
    def is_in_force(self) -> bool:
        if self.status != self.Status.VALID:
            return False
        return self.valid_until is None or self.valid_until >= timezone.localdate()


class Licence(models.Model):
    """A licence of a right; its fee is a damages basis (许可使用费的倍数)."""

    class Kind(models.TextChoices):
        EXCLUSIVE = "exclusive", "独占许可"
        SOLE = "sole", "排他许可"
        ORDINARY = "ordinary", "普通许可"

    right = models.ForeignKey(Right, related_name="licences", on_delete=models.PROTECT)
    licensee = models.ForeignKey("orgs.Organisation", related_name="licences_held", on_delete=models.PROTECT)
    kind = models.CharField("许可类型", max_length=12, choices=Kind.choices, default=Kind.ORDINARY)
    fee = models.DecimalField("许可费（元）", max_digits=16, decimal_places=2)
    recordal_no = models.CharField("备案号", max_length=60, blank=True)
    start = models.DateField("起始日")
    end = models.DateField("终止日", null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start"]
        verbose_name = "许可"

    def __str__(self) -> str:
        return f"{self.right} → {self.licensee}（{self.get_kind_display()}）"


class ImportBatch(models.Model):
    """One CSV/XLSX import: which rows went in, and a downloadable report of the rejected ones."""

    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=200)
    total_rows = models.PositiveIntegerField(default=0)
    imported_rows = models.PositiveIntegerField(default=0)
    error_rows = models.PositiveIntegerField(default=0)
    error_report = models.TextField(blank=True, help_text="CSV: row number, column, reason, original values")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"导入 {self.filename}（{self.imported_rows}/{self.total_rows}）"
