"""Watch lists, screened items, alerts and their event trail (预警与监测).

Why a screened item (``Screening``) is its own row and not just an alert: every
new trademark application, listing, crawled page or fair exhibit is recorded
once with its status, attempts and last error, so a failing item is visible
and retried a bounded number of times instead of crashing the worker or
vanishing. Alerts point at the screened item and the watched right, which
gives the side-by-side view its two sides.
"""

from __future__ import annotations

from django.db import models
from django_fsm import FSMField, transition


class WatchList(models.Model):
    """A right holder's watched marks, works and GIs, with its own alert threshold."""

    owner = models.ForeignKey("orgs.Organisation", verbose_name="权利人", related_name="watch_lists",
                              on_delete=models.PROTECT)
    name = models.CharField("名称", max_length=100)
    rights = models.ManyToManyField("rights.Right", verbose_name="监测的权利", related_name="watch_lists")
    threshold = models.DecimalField("预警阈值", max_digits=3, decimal_places=2, default="0.70",
                                    help_text="近似度不低于该值即生成预警（0.30–1.00）")
    is_active = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "监测清单"

    def __str__(self) -> str:
        return f"{self.owner.name}：{self.name}"


class Screening(models.Model):
    """One incoming item screened against every active watch list."""

    class Source(models.TextChoices):
        APPLICATION = "application", "商标申请/注册公告"
        LISTING = "listing", "电商商品"
        CRAWL = "crawl", "网页"
        EXHIBIT = "exhibit", "展会展品"

    class Status(models.TextChoices):
        PENDING = "pending", "待筛查"
        DONE = "done", "已筛查"
        FAILED = "failed", "失败"

    source = models.CharField("来源", max_length=16, choices=Source.choices, db_index=True)
    reference = models.CharField("编号/网址", max_length=1000, blank=True,
                                 help_text="申请号、商品编号或网址")
    name = models.CharField("商标/商品名称", max_length=300)
    party = models.CharField("申请人/卖家", max_length=200, blank=True)
    party_uscc = models.CharField("申请人/卖家统一社会信用代码", max_length=18, blank=True)
    nice_classes = models.JSONField("尼斯分类", default=list, blank=True)
    announced_on = models.DateField("初审公告日", null=True, blank=True)
    announcement_issue = models.CharField("公告期号", max_length=20, blank=True)
    text = models.TextField("页面文字", blank=True)
    html = models.TextField("页面 HTML", blank=True)
    image_hashes = models.JSONField("图片感知哈希", default=list, blank=True,
                                    help_text="每张图片 [pHash, 镜像 pHash, PDQ]（十六进制），提交时计算")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    error = models.CharField("最近错误", max_length=500, blank=True)
    alert_count = models.PositiveIntegerField("预警数", default=0)
    origin = models.CharField("来源对象", max_length=80, blank=True, db_index=True,
                              help_text="带来该条目的记录，如 takedown.listing:12、fairs.filing:3")
    details = models.JSONField("来源细节", default=dict, blank=True,
                               help_text="起草通知/投诉所需的来源信息，如平台、商品编号、展会与展位")
    skip_owner = models.ForeignKey("orgs.Organisation", verbose_name="不向其预警的权利人", null=True, blank=True,
                                   related_name="+", on_delete=models.PROTECT,
                                   help_text="已知该条目的一方（如发出该通知的权利人），其监测清单不再比对")
    submitted_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    screened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "筛查项"
        indexes = [models.Index(fields=["status", "attempts"])]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.name}"


class Alert(models.Model):
    """A hit above the watch list's threshold: why it is similar, and what the owner decided."""

    class Kind(models.TextChoices):
        TRADEMARK = "trademark", "商标预警"
        LISTING = "listing", "侵权线索"
        GI = "gi", "地理标志"

    class Status(models.TextChoices):
        NEW = "new", "待处理"
        CONFIRMED = "confirmed", "已确认"
        DISMISSED = "dismissed", "已排除"

    watch_list = models.ForeignKey(WatchList, related_name="alerts", on_delete=models.PROTECT)
    screening = models.ForeignKey(Screening, related_name="alerts", on_delete=models.PROTECT)
    right = models.ForeignKey("rights.Right", verbose_name="被监测权利", related_name="+", on_delete=models.PROTECT)
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    score = models.DecimalField("近似度", max_digits=4, decimal_places=3)
    reasons = models.JSONField("理由", default=list)
    status = FSMField("状态", default=Status.NEW, choices=Status.choices, protected=False, db_index=True)
    true_positive = models.BooleanField("判定为真", null=True, blank=True)
    dismiss_reason = models.CharField("排除理由", max_length=300, blank=True)
    deadline = models.DateField("异议期限", null=True, blank=True)
    deadline_rule = models.CharField("期限规则", max_length=300, blank=True)
    deposit = models.ForeignKey("evidence.Deposit", verbose_name="存证", null=True, blank=True, related_name="+",
                                on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "预警"
        constraints = [models.UniqueConstraint(fields=["watch_list", "screening", "right"],
                                               name="alert_unique_hit")]

    def __str__(self) -> str:
        return f"预警 #{self.pk} {self.screening.name} ≈ {self.right.title}"

    @transition(field=status, source=Status.NEW, target=Status.CONFIRMED)
    def confirm(self) -> None:
        """The owner judges it a real infringement lead."""

    @transition(field=status, source=Status.NEW, target=Status.DISMISSED)
    def dismiss(self) -> None:
        """The owner rules it out, with a reason."""


class AlertEvent(models.Model):
    """Who did what to an alert, when and why (append-only)."""

    alert = models.ForeignKey(Alert, related_name="events", on_delete=models.PROTECT)
    actor = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.from_status}→{self.to_status}"
