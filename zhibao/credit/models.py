"""Credit files, the dishonesty list procedure, repair, agency checks (信用档案、失信名单、信用修复、联合惩戒).

A ``CreditFact`` is one credit-relevant fact about an organisation with its source (case, takedown, fair,
manual entry). ``ListType`` and ``ListingRule`` are data (versioned), not code, so a changed policy is a new
row. A ``Listing`` walks the procedure the law demands — proposal, review, prior notice (告知), statement and
defence (陈述申辩), decision, publication — as a django-fsm state machine; every step is a ``ListingEvent``.
Decisions are immutable rows (``ListingDecision``): a published decision is only ever superseded by a new
decision, never edited. Nothing is deleted.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django_fsm import FSMField, transition


class Measure(models.TextChoices):
    """Joint-discipline restrictions named in clause 5 of the action plan."""

    FISCAL_SUBSIDY = "fiscal_subsidy", "财政补贴和政策支持"
    FISCAL_PROJECT = "fiscal_project", "财政资金项目申报"
    GOVERNMENT_PROCUREMENT = "government_procurement", "政府采购"
    PUBLIC_BIDDING = "public_bidding", "政府投资项目招标投标"
    PUBLIC_RESOURCE_TRADING = "public_resource_trading", "国有土地出让等公共资源交易"


#: Short names agencies may use for a measure.
MEASURE_ALIASES = {"procurement": Measure.GOVERNMENT_PROCUREMENT, "bidding": Measure.PUBLIC_BIDDING,
                   "subsidy": Measure.FISCAL_SUBSIDY, "land": Measure.PUBLIC_RESOURCE_TRADING}


class Visibility(models.TextChoices):
    PUBLIC = "public", "公开"
    AGENCIES = "agencies", "仅限政府部门"
    INTERNAL = "internal", "内部"


class CreditFact(models.Model):
    class Kind(models.TextChoices):
        ADMINISTRATIVE_PENALTY = "administrative_penalty", "行政处罚"
        ADJUDICATION_DECISION = "adjudication_decision", "行政裁决（认定侵权）"
        COURT_JUDGMENT = "court_judgment", "法院判决"
        MALICIOUS_NOTICE = "malicious_notice", "恶意投诉（电商通知）"
        FAIR_VIOLATION = "fair_violation", "展会违规"
        ECOMMERCE_REPEAT = "ecommerce_repeat", "电商重复侵权（多次被删除或重新上架）"
        COMMITMENT = "commitment", "不侵权承诺"
        COMMITMENT_BROKEN = "commitment_broken", "违反承诺"
        REFUSED_EXECUTION = "refused_execution", "拒不履行决定"
        ADMINISTRATIVE_LICENCE = "administrative_licence", "行政许可（许可备案）"
        POSITIVE = "positive", "良好信用信息"

    organisation = models.ForeignKey("orgs.Organisation", related_name="credit_facts", on_delete=models.PROTECT)
    kind = models.CharField("类型", max_length=32, choices=Kind.choices, db_index=True)
    occurred_on = models.DateField("发生/决定日期", db_index=True)
    legal_basis = models.CharField("法律依据", max_length=300)
    summary = models.TextField("事实摘要")
    authority = models.CharField("决定机关", max_length=120, blank=True)
    source_type = models.CharField("来源类型", max_length=20)
    source_ref = models.CharField("来源编号（案号/文书号）", max_length=80)
    source_url = models.CharField("来源链接", max_length=500, blank=True)
    visibility = models.CharField("公开范围", max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    wilful = models.BooleanField("故意/恶意", default=False)
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    recorded_by = models.ForeignKey("accounts.User", null=True, blank=True, related_name="+",
                                    on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = "信用信息"
        constraints = [models.UniqueConstraint(fields=["source_type", "source_ref", "kind"],
                                               name="credit_fact_unique_source")]
        indexes = [models.Index(fields=["organisation", "kind", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.source_ref}"


class ListType(models.Model):
    """A list an authority keeps (e.g. 严重违法失信名单), with its periods and the measures it triggers."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名单名称", max_length=120)
    issuing_authority = models.CharField("认定机关", max_length=120)
    basis = models.CharField("设立依据", max_length=300)
    duration_months = models.PositiveIntegerField("公示期（月）")
    earliest_repair_months = models.PositiveIntegerField("最早可申请修复（月）")
    measures = models.JSONField("联合惩戒措施", default=list)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "名单类型"

    def __str__(self) -> str:
        return self.name

    def measure_labels(self) -> list[str]:
        return [Measure(m).label for m in self.measures if m in Measure.values]


class ListingRule(models.Model):
    """One version of a listing rule: count facts of ``fact_kinds`` within ``years`` (optionally only wilful ones).

    A changed rule is a new row with the same code, a higher version and a later ``effective_from``.
    """

    code = models.SlugField("规则代码", max_length=40)
    version = models.PositiveIntegerField("版本", default=1)
    title = models.CharField("规则", max_length=200)
    list_type = models.ForeignKey(ListType, related_name="rules", on_delete=models.PROTECT)
    fact_kinds = models.JSONField("计入的信用信息类型", default=list)
    min_count = models.PositiveIntegerField("最少次数", default=1)
    years = models.PositiveIntegerField("回溯年数", default=5)
    wilful_only = models.BooleanField("仅计故意侵权（含惩罚性赔偿）", default=False)
    basis = models.CharField("依据", max_length=300)
    effective_from = models.DateField("施行日期")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = "列入规则"
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="listing_rule_unique_version")]

    def __str__(self) -> str:
        return f"{self.title}（v{self.version}）"


class Listing(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "待审核（规则提议）"
        UNDER_REVIEW = "under_review", "审核中"
        DISMISSED = "dismissed", "不予启动"
        NOTICE_SERVED = "notice_served", "已告知（陈述申辩期）"
        DECIDED_LIST = "decided_list", "决定列入"
        DECIDED_NOT_LIST = "decided_not_list", "决定不列入"
        PUBLISHED = "published", "已公示"
        WITHDRAWN = "withdrawn", "已移出（信用修复/撤销）"
        EXPIRED = "expired", "期满移出"

    organisation = models.ForeignKey("orgs.Organisation", related_name="credit_listings", on_delete=models.PROTECT)
    list_type = models.ForeignKey(ListType, related_name="listings", on_delete=models.PROTECT)
    rule = models.ForeignKey(ListingRule, null=True, blank=True, related_name="listings", on_delete=models.PROTECT)
    facts = models.ManyToManyField(CreditFact, related_name="listings")
    basis = models.CharField("列入依据", max_length=500)
    status = FSMField("状态", default=Status.PROPOSED, choices=Status.choices, protected=False, db_index=True)
    proposed_at = models.DateTimeField(default=timezone.now)
    notice_served_at = models.DateTimeField("告知时间", null=True, blank=True)
    notice_text = models.TextField("告知书内容", blank=True)
    statement_due = models.DateField("陈述申辩截止日", null=True, blank=True, db_index=True)
    statement_rule = models.CharField("期限依据", max_length=300, blank=True)
    statement = models.TextField("陈述申辩意见", blank=True)
    statement_at = models.DateTimeField(null=True, blank=True)
    start_on = models.DateField("公示起始日", null=True, blank=True)
    end_on = models.DateField("公示截止日", null=True, blank=True, db_index=True)
    earliest_repair_on = models.DateField("最早可申请修复日", null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = "失信名单列入"
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.list_type}"

    @property
    def current_decision(self) -> ListingDecision | None:
        return self.decisions.filter(superseded_by__isnull=True).order_by("-id").first()

    @transition(field=status, source=Status.PROPOSED, target=Status.UNDER_REVIEW)
    def review(self) -> None:
        """A credit officer takes up the proposal."""

    @transition(field=status, source=[Status.PROPOSED, Status.UNDER_REVIEW], target=Status.DISMISSED)
    def dismiss(self) -> None:
        """The officer finds no ground to start the procedure."""

    @transition(field=status, source=Status.UNDER_REVIEW, target=Status.NOTICE_SERVED)
    def serve_notice(self) -> None:
        """Prior notice (告知) with the facts and basis; the defence period starts."""

    @transition(field=status, source=Status.NOTICE_SERVED, target=Status.DECIDED_LIST)
    def decide_list(self) -> None:
        """Decision to list, after the defence period or the statement."""

    @transition(field=status, source=Status.NOTICE_SERVED, target=Status.DECIDED_NOT_LIST)
    def decide_not_list(self) -> None:
        """Decision not to list."""

    @transition(field=status, source=Status.DECIDED_LIST, target=Status.PUBLISHED)
    def publish(self) -> None:
        """Publication with start and end dates; restrictions apply from the start date."""

    @transition(field=status, source=Status.PUBLISHED, target=Status.WITHDRAWN)
    def withdraw(self) -> None:
        """Removed from the public list after approved repair (or a superseding decision to revoke)."""

    @transition(field=status, source=Status.PUBLISHED, target=Status.EXPIRED)
    def expire(self) -> None:
        """The publication period ended."""


class ListingDecisionQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: ANN003
        if set(kwargs) - {"superseded_by"}:
            raise ValidationError("决定作出后不能修改，只能以新决定取代。")
        return super().update(**kwargs)

    def delete(self):
        raise ValidationError("决定不能删除。")


class ListingDecision(models.Model):
    """A decision on a listing (list / not list / revoke); immutable once written, only superseded."""

    class Outcome(models.TextChoices):
        LIST = "list", "列入"
        NOT_LIST = "not_list", "不列入"
        AMEND = "amend", "变更（取代原决定）"
        REVOKE = "revoke", "撤销列入"

    listing = models.ForeignKey(Listing, related_name="decisions", on_delete=models.PROTECT)
    decision_no = models.CharField("决定书编号", max_length=40, unique=True)
    outcome = models.CharField("结论", max_length=10, choices=Outcome.choices)
    reasons = models.TextField("理由")
    start_on = models.DateField("公示起始日", null=True, blank=True)
    end_on = models.DateField("公示截止日", null=True, blank=True)
    decided_by = models.ForeignKey("accounts.User", null=True, related_name="+", on_delete=models.PROTECT)
    decided_at = models.DateTimeField(default=timezone.now)
    superseded_by = models.OneToOneField("self", null=True, blank=True, related_name="supersedes",
                                         on_delete=models.PROTECT)

    objects = ListingDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["decided_at", "id"]
        verbose_name = "列入决定"

    def __str__(self) -> str:
        return self.decision_no

    def save(self, *args, **kwargs):  # noqa: ANN002, ANN003
        if self.pk is not None:
            raise ValidationError("决定作出后不能修改，只能以新决定取代。")
        super().save(*args, **kwargs)


class ListingEvent(models.Model):
    """The listing's timeline: every step with who, when, what and why; ``public`` ones appear on public pages."""

    listing = models.ForeignKey(Listing, related_name="events", on_delete=models.PROTECT)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey("accounts.User", null=True, blank=True, related_name="+", on_delete=models.PROTECT)
    actor_name = models.CharField(max_length=150)
    kind = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    summary = models.CharField(max_length=300)
    reason = models.TextField(blank=True)
    public = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.summary}"


class RepairApplication(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已准予修复"
        REJECTED = "rejected", "不予修复"

    class Evidence(models.TextChoices):
        PENALTY_PAID = "penalty_paid", "已履行行政处罚/裁决"
        COMMITMENT_SIGNED = "commitment_signed", "已签署信用承诺书"
        TRAINING_DONE = "training_done", "已参加信用修复培训"

    listing = models.ForeignKey(Listing, related_name="repairs", on_delete=models.PROTECT)
    applicant = models.ForeignKey("accounts.User", related_name="+", on_delete=models.PROTECT)
    evidence_kinds = models.JSONField("修复材料", default=list)
    statement = models.TextField("申请说明")
    deposit_numbers = models.JSONField("存证编号", default=list, blank=True)
    status = FSMField(default=Status.PENDING, choices=Status.choices, protected=False, db_index=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey("accounts.User", null=True, blank=True, related_name="+",
                                    on_delete=models.PROTECT)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = "信用修复申请"

    def __str__(self) -> str:
        return f"修复申请 #{self.pk}"

    @transition(field=status, source=Status.PENDING, target=Status.APPROVED)
    def approve(self) -> None:
        """Repair granted: the listing is withdrawn from the public list."""

    @transition(field=status, source=Status.PENDING, target=Status.REJECTED)
    def reject(self) -> None:
        """Repair refused with reasons."""


class Subscription(models.Model):
    """An agency user's subscription to listing changes (of one organisation, or of all when empty)."""

    subscriber = models.ForeignKey("accounts.User", related_name="credit_subscriptions", on_delete=models.PROTECT)
    organisation = models.ForeignKey("orgs.Organisation", null=True, blank=True, related_name="+",
                                     on_delete=models.PROTECT)
    webhook_url = models.URLField("变更推送地址", max_length=500, blank=True)
    webhook_secret = models.CharField("推送签名密钥", max_length=64, blank=True,
                                      help_text="HMAC-SHA256 key for the X-ZhiBao-Signature header")
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "变更订阅"

    def __str__(self) -> str:
        return f"{self.subscriber} → {self.organisation or '全部'}"


class CreditCheck(models.Model):
    """One agency query (联合惩戒核查): who asked, for what purpose, what they were told. Shown to the entity."""

    check_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # no single-column indexes on the three keys: the (key, at) indexes below lead with them, and every check
    # inserts a row, so each redundant index was one more B-tree written per agency query
    user = models.ForeignKey("accounts.User", null=True, related_name="+", on_delete=models.PROTECT, db_index=False)
    token = models.ForeignKey("accounts.ApiToken", null=True, blank=True, related_name="+", on_delete=models.PROTECT,
                              db_index=False)
    agency_name = models.CharField("查询单位", max_length=200)
    purpose = models.CharField("查询事由", max_length=200, blank=True)
    measure = models.CharField("措施", max_length=32, blank=True)
    uscc = models.CharField(max_length=18)  # no index: nothing looks a check up by code; one B-tree less per check
    organisation = models.ForeignKey("orgs.Organisation", null=True, blank=True, related_name="credit_checks",
                                     on_delete=models.PROTECT, db_index=False)
    restricted = models.BooleanField(default=False)
    batch = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "联合惩戒核查记录"
        # (token, at) and (user, at) serve the per-caller rate limit (checks._throttle)
        indexes = [models.Index(fields=["organisation", "at"]), models.Index(fields=["token", "at"]),
                   models.Index(fields=["user", "at"])]

    def __str__(self) -> str:
        return f"{self.agency_name} 查询 {self.uscc}"


class WebhookDelivery(models.Model):
    """One signed push of a public listing change to a subscriber; retried with exponential back-off.

    A retried delivery carries the same ``delivery_id`` so the receiver can drop duplicates.
    """

    subscription = models.ForeignKey(Subscription, related_name="deliveries", on_delete=models.PROTECT)
    event = models.ForeignKey(ListingEvent, related_name="deliveries", on_delete=models.PROTECT)
    delivery_id = models.CharField(max_length=40, unique=True)
    url = models.URLField(max_length=500)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.delivery_id
