"""Cases (一站式维权): one complaint, routed to any channel, with its clocks, events and decision.

Why one ``Case`` row for every channel: the promise is that a complaint moves between channels
(failed mediation → adjudication) without re-filing. Parties, rights, evidence and history hang
off the case; the channel is an attribute and each channel's state machine is a set of
django-fsm transitions whose ``conditions`` name the channels they belong to. Transitions are
called only from ``cases.services``; every change writes a ``CaseEvent`` (actor, time, from → to,
reason, payload). ``version`` is the optimistic lock: a stale version is a 409.

Case numbers: ``ZB-<year>-<6-digit serial>`` (e.g. ``ZB-2026-000001``), serial per calendar year
(Beijing time), allocated from ``CaseCounter`` under a row lock so they are gap-free and unique.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import FSMField, transition


class Channel(models.TextChoices):
    ENFORCEMENT = "enforcement", "行政执法"
    ADJUDICATION = "adjudication", "行政裁决（专利纠纷）"
    MEDIATION = "mediation", "调解"
    ARBITRATION = "arbitration", "仲裁"
    COURT = "court", "诉讼（移送法院）"
    CRIMINAL = "criminal", "行刑衔接（移送公安）"


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    RECEIVED = "received", "已收到"
    ACCEPTED = "accepted", "已受理/立案"
    REJECTED = "rejected", "不予受理"
    INVESTIGATING = "investigating", "调查中"
    HEARING = "hearing", "审理/口审中"
    DECIDED = "decided", "已作出决定"
    INVITED = "invited", "已邀请调解"
    MEDIATION_AGREED = "mediation_agreed", "双方同意调解"
    IN_SESSION = "in_session", "调解进行中"
    AGREEMENT = "agreement", "达成调解协议"
    MEDIATION_FAILED = "mediation_failed", "调解不成"
    CONFIRMATION_APPLIED = "confirmation_applied", "已申请司法确认"
    TRANSFER_APPROVED = "transfer_approved", "已批准移送"
    HANDED_OVER = "handed_over", "已移送公安"
    POLICE_ACKNOWLEDGED = "police_acknowledged", "公安已接收"
    REFERRED = "referred", "已移送法院"
    COURT_ACKNOWLEDGED = "court_acknowledged", "法院已接收"
    CLOSED = "closed", "已结案"


#: States in which a case is finished: no clock runs, not in any queue.
FINAL_STATES = (Status.DRAFT, Status.REJECTED, Status.CLOSED)
#: States from which a case may switch channel (nothing decided yet, or its channel ended without a result).
SWITCHABLE_STATES = (Status.RECEIVED, Status.ACCEPTED, Status.INVESTIGATING, Status.HEARING, Status.INVITED,
                     Status.MEDIATION_AGREED, Status.IN_SESSION, Status.MEDIATION_FAILED)


def _in(*channels: str):  # noqa: ANN202
    def check(case: Case) -> bool:
        return case.channel in channels
    check.__name__ = "channel_in_" + "_".join(channels)
    return check


ADMIN_CHANNELS = (Channel.ENFORCEMENT, Channel.ADJUDICATION, Channel.ARBITRATION, Channel.CRIMINAL)
HEARING_CHANNELS = (Channel.ADJUDICATION, Channel.ARBITRATION)


class CaseCounter(models.Model):
    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Case(models.Model):
    class Complexity(models.TextChoices):
        SIMPLE = "simple", "简易"
        COMPLEX = "complex", "普通（复杂）"

    number = models.CharField("案件编号", max_length=20, unique=True, null=True, blank=True)  # noqa: DJ001 - drafts
    title = models.CharField("案由", max_length=200)
    channel = models.CharField("渠道", max_length=16, choices=Channel.choices, default=Channel.ENFORCEMENT,
                               db_index=True)
    preferred_channel = models.CharField("申请人选择的渠道", max_length=16, choices=Channel.choices, blank=True)
    status = FSMField("状态", default=Status.DRAFT, choices=Status.choices, protected=False, max_length=24)
    version = models.PositiveIntegerField(default=1)
    is_open = models.BooleanField(default=False, help_text="status not in FINAL_STATES; kept by save() for the queue index")
    # parties
    complainant = models.ForeignKey("orgs.Organisation", verbose_name="投诉人", related_name="cases_filed",
                                    on_delete=models.PROTECT)
    respondent = models.ForeignKey("orgs.Organisation", verbose_name="被投诉人", related_name="cases_against",
                                   null=True, blank=True, on_delete=models.PROTECT)
    filed_by = models.ForeignKey("accounts.User", verbose_name="提交人", related_name="+", on_delete=models.PROTECT)
    agent = models.ForeignKey("accounts.User", verbose_name="代理人", related_name="+", null=True, blank=True,
                              on_delete=models.PROTECT)
    district = models.ForeignKey("orgs.District", verbose_name="管辖区", null=True, blank=True,
                                 on_delete=models.PROTECT)
    assignee = models.ForeignKey("accounts.User", verbose_name="承办人", related_name="cases_assigned", null=True,
                                 blank=True, on_delete=models.PROTECT)
    # what is complained of
    rights = models.ManyToManyField("rights.Right", verbose_name="权利", related_name="cases", blank=True)
    right_type = models.CharField("主要权利类型", max_length=16, blank=True, db_index=True)
    deposits = models.ManyToManyField("evidence.Deposit", verbose_name="证据", related_name="cases", blank=True)
    facts = models.TextField("侵权事实", blank=True)
    acts = models.JSONField("侵权行为与地点", default=list, blank=True,
                            help_text='[{"act": "counterfeit_mark", "place_type": "online", "place": "..."}]')
    remedy_stop = models.BooleanField("请求停止侵权", default=True)
    remedy_apology = models.BooleanField("请求赔礼道歉", default=False)
    damages_claimed = models.DecimalField("请求赔偿（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    both_willing_to_mediate = models.BooleanField("双方愿意调解", default=False)
    illegal_business_volume = models.DecimalField("非法经营数额（元，估计）", max_digits=16, decimal_places=2,
                                                  null=True, blank=True)
    # triage (繁简分流)
    complexity = models.CharField("繁简", max_length=8, choices=Complexity.choices, blank=True)
    proposed_channel = models.CharField("建议渠道", max_length=16, choices=Channel.choices, blank=True)
    triage_rule = models.ForeignKey("cases.TriageRule", null=True, blank=True, related_name="+",
                                    on_delete=models.PROTECT)
    # mediation consent
    complainant_agreed = models.BooleanField("申请人同意调解", default=False)
    respondent_agreed = models.BooleanField("被申请人同意调解", default=False)
    # hearing (adjudication / arbitration)
    hearing_mode = models.CharField("审理方式", max_length=8, blank=True,
                                    choices=[("onsite", "现场"), ("online", "在线")])
    hearing_at = models.DateTimeField("审理时间", null=True, blank=True)
    hearing_link = models.URLField("视频链接", blank=True)
    hearing_record = models.TextField("审理笔录", blank=True)
    # mediation outcome
    agreement_terms = models.TextField("调解协议内容", blank=True)
    confirmation_court = models.CharField("申请司法确认的法院", max_length=100, blank=True)
    # clock of the current state
    due_at = models.DateTimeField("期限", null=True, blank=True)
    due_rule = models.CharField("期限规则", max_length=60, blank=True)
    due_title = models.CharField("期限名称", max_length=120, blank=True)
    due_source = models.CharField("期限依据", max_length=400, blank=True)
    due_note = models.TextField("期限提示", blank=True, help_text="e.g. provisional: next year's holidays not published")
    clock_start = models.DateTimeField(null=True, blank=True)
    clock_extended = models.BooleanField("已延长", default=False)
    paused_since = models.DateField("中止自", null=True, blank=True)
    pauses = models.JSONField("中止区间", default=list, blank=True)
    reminded_for = models.DateTimeField(null=True, blank=True, help_text="due_at the last due-soon reminder was for")
    overdue_notified_for = models.DateTimeField(null=True, blank=True, help_text="due_at the overdue alert was for")
    # bookkeeping
    verification_hash = models.CharField("查询码摘要", max_length=64, blank=True,
                                         help_text="HMAC-SHA256 of number:code (cases.codes); the code itself is not kept")
    filed_at = models.DateTimeField("提交时间", null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = "案件"
        indexes = [
            models.Index(fields=["status", "due_at"], name="case_status_due"),
            models.Index(fields=["district", "status", "due_at"], name="case_queue"),
            # district queue: walked in due order; channel is in the index so the count never reads the rows
            models.Index(fields=["district", "is_open", "due_at", "channel"], name="case_open_queue_ch"),
            models.Index(fields=["is_open", "due_at"], name="case_open_due"),
            models.Index(fields=["assignee", "is_open", "status"], name="case_assignee_open"),
            models.Index(fields=["respondent", "status"], name="case_respondent"),
            models.Index(fields=["complainant", "status"], name="case_complainant"),
        ]

    def __str__(self) -> str:
        return self.number or f"草稿 #{self.pk}"

    def save(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        self.is_open = self.status not in FINAL_STATES
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "is_open"}
        super().save(*args, **kwargs)

    @property
    def is_overdue(self) -> bool:
        return bool(self.due_at and self.paused_since is None and self.is_open and self.due_at < timezone.now())

    # --- common path (enforcement, adjudication, arbitration, criminal) --------------------------------
    @transition(field=status, source=Status.DRAFT, target=Status.RECEIVED)
    def submit(self) -> None:
        """The complainant files the complaint (提交)."""

    @transition(field=status, source=Status.RECEIVED, target=Status.ACCEPTED, conditions=[_in(*ADMIN_CHANNELS)])
    def accept(self) -> None:
        """The authority accepts (受理/立案)."""

    @transition(field=status, source=[Status.RECEIVED, Status.INVITED], target=Status.REJECTED)
    def reject(self) -> None:
        """Not accepted, with the legal reason (不予受理)."""

    @transition(field=status, source=Status.ACCEPTED, target=Status.INVESTIGATING,
                conditions=[_in(Channel.ENFORCEMENT)])
    def investigate(self) -> None:
        """Investigation starts (调查取证)."""

    @transition(field=status, source=Status.ACCEPTED, target=Status.HEARING, conditions=[_in(*HEARING_CHANNELS)])
    def hold_hearing(self) -> None:
        """Hearing scheduled (口头审理, on-site or online)."""

    @transition(field=status, source=[Status.INVESTIGATING, Status.HEARING], target=Status.DECIDED,
                conditions=[_in(Channel.ENFORCEMENT, *HEARING_CHANNELS)])
    def decide(self) -> None:
        """Decision (处罚决定 / 裁决 / 仲裁裁决)."""

    @transition(field=status, source=[Status.DECIDED, Status.CONFIRMATION_APPLIED, Status.MEDIATION_FAILED,
                                      Status.POLICE_ACKNOWLEDGED, Status.COURT_ACKNOWLEDGED, Status.AGREEMENT],
                target=Status.CLOSED)
    def close(self) -> None:
        """Closure (结案)."""

    # --- mediation ---------------------------------------------------------------------------------------
    @transition(field=status, source=Status.RECEIVED, target=Status.INVITED, conditions=[_in(Channel.MEDIATION)])
    def invite(self) -> None:
        """The mediator invites both parties."""

    @transition(field=status, source=Status.INVITED, target=Status.MEDIATION_AGREED,
                conditions=[_in(Channel.MEDIATION), lambda c: c.complainant_agreed and c.respondent_agreed])
    def both_agree(self) -> None:
        """Both parties accepted mediation."""

    @transition(field=status, source=[Status.MEDIATION_AGREED, Status.IN_SESSION], target=Status.IN_SESSION,
                conditions=[_in(Channel.MEDIATION)])
    def hold_session(self) -> None:
        """A mediation session (调解会议)."""

    @transition(field=status, source=Status.IN_SESSION, target=Status.AGREEMENT, conditions=[_in(Channel.MEDIATION)])
    def reach_agreement(self) -> None:
        """Mediation agreement signed (调解协议)."""

    @transition(field=status, source=[Status.INVITED, Status.MEDIATION_AGREED, Status.IN_SESSION],
                target=Status.MEDIATION_FAILED, conditions=[_in(Channel.MEDIATION)])
    def fail_mediation(self) -> None:
        """Mediation failed or was refused (调解不成)."""

    @transition(field=status, source=Status.AGREEMENT, target=Status.CONFIRMATION_APPLIED,
                conditions=[_in(Channel.MEDIATION)])
    def apply_confirmation(self) -> None:
        """Joint application for judicial confirmation (司法确认申请), within 30 days."""

    # --- criminal transfer ---------------------------------------------------------------------------------
    @transition(field=status, source=[Status.RECEIVED, Status.ACCEPTED, Status.INVESTIGATING],
                target=Status.TRANSFER_APPROVED, conditions=[_in(Channel.CRIMINAL)])
    def approve_transfer(self) -> None:
        """The head of the authority approves the transfer (批准移送), within 3 days."""

    @transition(field=status, source=Status.TRANSFER_APPROVED, target=Status.HANDED_OVER,
                conditions=[_in(Channel.CRIMINAL)])
    def hand_over(self) -> None:
        """Files handed to the police (移送), within 24 hours of approval."""

    @transition(field=status, source=Status.HANDED_OVER, target=Status.POLICE_ACKNOWLEDGED,
                conditions=[_in(Channel.CRIMINAL)])
    def police_acknowledge(self) -> None:
        """The police acknowledge receipt (公安机关回执)."""

    # --- court referral --------------------------------------------------------------------------------------
    @transition(field=status, source=[Status.RECEIVED, Status.ACCEPTED], target=Status.REFERRED,
                conditions=[_in(Channel.COURT)])
    def refer(self) -> None:
        """Referred to the court (诉调对接 / 引导起诉)."""

    @transition(field=status, source=Status.REFERRED, target=Status.COURT_ACKNOWLEDGED,
                conditions=[_in(Channel.COURT)])
    def court_acknowledge(self) -> None:
        """The court registered the case (立案)."""

    # --- channel switch: back to the start of the new channel, everything else kept ----------------------
    @transition(field=status, source=list(SWITCHABLE_STATES), target=Status.RECEIVED)
    def restart_in_channel(self) -> None:
        """Switch channel (渠道转换): the case re-enters at 'received' in its new channel."""


class CaseEvent(models.Model):
    """One change to a case: who, when, what (from → to), why, and the details."""

    case = models.ForeignKey(Case, related_name="events", on_delete=models.PROTECT)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey("accounts.User", null=True, blank=True, related_name="+", on_delete=models.PROTECT)
    actor_name = models.CharField(max_length=150)
    kind = models.CharField(max_length=40)
    summary = models.CharField(max_length=300)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24, blank=True)
    channel = models.CharField(max_length=16, blank=True)
    reason = models.TextField(blank=True)
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self) -> str:
        return f"{self.case} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class Decision(models.Model):
    """The outcome of a decided case; its facts feed the credit engine (wilful / repeat / penalty)."""

    case = models.OneToOneField(Case, related_name="decision", on_delete=models.PROTECT)
    infringement_found = models.BooleanField("认定侵权")
    wilful = models.BooleanField("故意侵权", default=False)
    repeat = models.BooleanField("重复侵权", default=False)
    penalty_amount = models.DecimalField("罚款（元）", max_digits=16, decimal_places=2, default=0)
    confiscation = models.TextField("没收、销毁", blank=True)
    damages = models.DecimalField("赔偿（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    legal_basis = models.TextField("法律依据")
    reasoning = models.TextField("事实与理由", blank=True)
    decided_at = models.DateTimeField("决定时间")
    decided_by = models.ForeignKey("accounts.User", related_name="+", on_delete=models.PROTECT)
    published = models.BooleanField("公开", default=False)
    threshold_findings = models.JSONField("刑事追诉标准核查", default=list, blank=True)
    # {"input": DamagesInput, "result": DamagesResult} of zhibao.law.damages when the award was computed by law
    damages_calculation = models.JSONField("赔偿数额计算", default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["published", "decided_at"])]

    def __str__(self) -> str:
        return f"{self.case} 决定"


class TriageRule(models.Model):
    """A 繁简分流 rule as data. Saving a change creates a new version row; old versions stay for the record.

    ``conditions`` keys (all given ones must hold): right_types (list), acts (list), has_evidence (bool),
    both_willing (bool), damages_over (Decimal string), suspected_crime (bool).
    """

    key = models.CharField("规则标识", max_length=40)
    version = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    active = models.BooleanField("启用", default=True)
    priority = models.PositiveIntegerField("优先级（小者先）", default=100)
    name = models.CharField("规则名称", max_length=120)
    conditions = models.JSONField("条件", default=dict)
    complexity = models.CharField("繁简", max_length=8, choices=Case.Complexity.choices)
    channel = models.CharField("建议渠道", max_length=16, choices=Channel.choices)
    basis = models.CharField("依据", max_length=300, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, related_name="+", on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["priority", "key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="triage_rule_version"),
            models.UniqueConstraint(fields=["key"], condition=Q(is_current=True), name="triage_rule_one_current"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（v{self.version}）"


class CaseMessage(models.Model):
    """A message or a served document (送达) between the parties and the handler inside the case.

    Reading is recorded per side: the first time a user of that side opens the case after the message,
    ``read_by_complainant_at`` / ``read_by_respondent_at`` is set (the legal fact of service for documents).
    """

    case = models.ForeignKey(Case, related_name="messages", on_delete=models.PROTECT)
    sender = models.ForeignKey("accounts.User", related_name="+", on_delete=models.PROTECT)
    sender_side = models.CharField(max_length=12, choices=[("complainant", "投诉人"), ("respondent", "被投诉人"),
                                                           ("handler", "承办人员")])
    body = models.TextField("内容")
    is_service = models.BooleanField("正式送达文书", default=False)
    deposit = models.ForeignKey("evidence.Deposit", null=True, blank=True, related_name="+", on_delete=models.PROTECT)
    sent_at = models.DateTimeField(default=timezone.now)
    read_by_complainant_at = models.DateTimeField(null=True, blank=True)
    read_by_respondent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["sent_at", "id"]

    def __str__(self) -> str:
        return f"{self.case} 消息 {self.pk}"


class ExpertRequest(models.Model):
    """A technical investigator's opinion or an appraisal (技术调查 / 鉴定, plan clause 9), with a due date."""

    class Kind(models.TextChoices):
        INVESTIGATOR = "investigator", "技术调查官"
        APPRAISAL = "appraisal", "鉴定机构"

    case = models.ForeignKey(Case, related_name="expert_requests", on_delete=models.PROTECT)
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    question = models.TextField("需查明的技术问题")
    due_date = models.DateField("期限")
    expert = models.ForeignKey("accounts.User", null=True, blank=True, related_name="expert_requests",
                               on_delete=models.PROTECT)
    institution = models.ForeignKey("orgs.Organisation", null=True, blank=True, related_name="+",
                                    on_delete=models.PROTECT)
    requested_by = models.ForeignKey("accounts.User", related_name="+", on_delete=models.PROTECT)
    requested_at = models.DateTimeField(default=timezone.now)
    report_summary = models.TextField("意见摘要", blank=True)
    report = models.ForeignKey("evidence.Deposit", null=True, blank=True, related_name="+", on_delete=models.PROTECT)
    reported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()}"


class ConflictDeclaration(models.Model):
    """A handler's or expert's declaration of (no) conflict of interest (回避) on a case."""

    case = models.ForeignKey(Case, related_name="conflict_declarations", on_delete=models.PROTECT)
    user = models.ForeignKey("accounts.User", related_name="+", on_delete=models.PROTECT)
    has_conflict = models.BooleanField("存在利益冲突")
    statement = models.TextField("说明", blank=True)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["declared_at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.user} {'回避' if self.has_conflict else '无冲突'}"
