"""E-commerce notice-and-takedown (E-Commerce Law arts. 41-45): platforms, listings, notices, counter-notices.

The unit of work is a ``NoticeItem`` (one listing in one notice): the platform decides a measure per
listing, the seller counters per listing, and the 15-day clock runs per listing. Every change is a
``ListingEvent`` on the listing's timeline (who, when, what, why); the public page (art. 44) is built
from the events flagged ``public``. Nothing is deleted: states move forward through django-fsm.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django_fsm import FSMField, transition


class Platform(models.Model):
    """An e-commerce platform: an organisation whose platform-operator users work its queue."""

    organisation = models.OneToOneField("orgs.Organisation", verbose_name="平台经营者", related_name="platform",
                                        on_delete=models.PROTECT)
    name = models.CharField("平台名称", max_length=100)
    sla_hours = models.PositiveIntegerField("首次措施时限（小时）", default=24)
    fast_lane_hours = models.PositiveIntegerField("快速通道时限（小时）", default=2)
    live_sla_minutes = models.PositiveIntegerField("直播通知时限（分钟）", default=30)
    oncall = models.ForeignKey("accounts.User", verbose_name="值班联系人", null=True, blank=True,
                               related_name="+", on_delete=models.PROTECT)
    webhook_url = models.URLField("新通知回调地址", max_length=500, blank=True)
    webhook_secret = models.CharField("回调签名密钥", max_length=64, blank=True,
                                      help_text="HMAC-SHA256 key for the X-ZhiBao-Signature header")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "电商平台"

    def __str__(self) -> str:
        return self.name


class Shop(models.Model):
    platform = models.ForeignKey(Platform, related_name="shops", on_delete=models.PROTECT)
    shop_id = models.CharField("店铺编号", max_length=64)
    name = models.CharField("店铺名称", max_length=200, blank=True)
    seller_uscc = models.CharField("经营者统一社会信用代码", max_length=18, blank=True, db_index=True)
    seller_name = models.CharField("经营者名称/姓名", max_length=200, blank=True)
    seller_org = models.ForeignKey("orgs.Organisation", null=True, blank=True, related_name="shops",
                                   on_delete=models.PROTECT, help_text="matched by USCC when registered")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["platform", "shop_id"], name="shop_unique_id")]

    def __str__(self) -> str:
        return self.name or self.shop_id


class Listing(models.Model):
    class Status(models.TextChoices):
        ONLINE = "online", "在售"
        DOWN = "down", "已采取措施"

    platform = models.ForeignKey(Platform, related_name="listings", on_delete=models.PROTECT)
    shop = models.ForeignKey(Shop, related_name="listings", on_delete=models.PROTECT)
    listing_id = models.CharField("商品编号", max_length=64)
    url = models.URLField("链接", max_length=1000, blank=True)
    title = models.CharField("标题", max_length=300)
    price = models.DecimalField("价格（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    images = models.JSONField("图片网址", default=list, blank=True)
    image_phash = models.BigIntegerField("主图感知哈希", null=True, blank=True)
    status = FSMField("状态", default=Status.ONLINE, choices=Status.choices, protected=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["platform", "listing_id"], name="listing_unique_id")]

    def __str__(self) -> str:
        return f"{self.listing_id} {self.title}"

    @transition(field=status, source=Status.ONLINE, target=Status.DOWN)
    def take_down(self) -> None:
        """A measure (remove, block, stop service) took the listing off sale."""

    @transition(field=status, source=Status.DOWN, target=Status.ONLINE)
    def restore(self) -> None:
        """Measures lifted (clock ended without a proceeding, or notice withdrawn)."""


class Notice(models.Model):
    class Kind(models.TextChoices):
        STANDARD = "standard", "普通通知"
        LIVE = "live", "直播通知"

    class Status(models.TextChoices):
        OPEN = "open", "处理中"
        CLOSED = "closed", "已办结"
        WITHDRAWN = "withdrawn", "已撤回"

    number = models.CharField("通知编号", max_length=32, unique=True)
    platform = models.ForeignKey(Platform, related_name="notices", on_delete=models.PROTECT)
    notifier = models.ForeignKey("orgs.Organisation", verbose_name="通知人（权利人）", related_name="takedown_notices",
                                 on_delete=models.PROTECT)
    filed_by = models.ForeignKey("accounts.User", related_name="+", on_delete=models.PROTECT)
    kind = models.CharField("类型", max_length=12, choices=Kind.choices, default=Kind.STANDARD)
    rights = models.ManyToManyField("rights.Right", verbose_name="权利", related_name="takedown_notices")
    goods_class = models.PositiveSmallIntegerField("商品所属尼斯分类", null=True, blank=True)
    statement = models.TextField("初步证据说明及真实性承诺")
    deposits = models.ManyToManyField("evidence.Deposit", verbose_name="证据", related_name="takedown_notices",
                                      blank=True)
    status = FSMField("状态", default=Status.OPEN, choices=Status.choices, protected=False, db_index=True)
    fast_lane = models.BooleanField("善意快速通道", default=False)
    created_at = models.DateTimeField("提交时间", default=timezone.now, db_index=True)
    sla_due_at = models.DateTimeField("首次措施期限")
    first_measure_at = models.DateTimeField("首次措施时间", null=True, blank=True)
    malicious = models.BooleanField("认定恶意通知", default=False)
    escalated_at = models.DateTimeField("已升级至值班联系人", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "通知"

    def __str__(self) -> str:
        return self.number

    @transition(field=status, source=Status.OPEN, target=Status.CLOSED)
    def close(self) -> None:
        """Every listing reached an end state."""

    @transition(field=status, source=Status.OPEN, target=Status.WITHDRAWN)
    def withdraw(self) -> None:
        """The notifier withdrew the notice; measures taken on it are lifted."""


class NoticeItem(models.Model):
    """One listing in one notice: the platform's measure, the counter-notice and the 15-day clock."""

    class Status(models.TextChoices):
        PENDING = "pending", "待处理"
        JOINED = "joined", "并入在先通知"
        NO_ACTION = "no_action", "不采取措施"
        TAKEN_DOWN = "taken_down", "已采取措施"
        COUNTERED = "countered", "已提交不侵权声明"
        CLOCK = "clock", "已转送声明，15日期间中"
        PROCEEDING = "proceeding", "已投诉/起诉，维持措施"
        RESTORED = "restored", "期满恢复"
        WITHDRAWN = "withdrawn", "通知撤回"

    class Measure(models.TextChoices):
        REMOVE = "remove", "删除"
        BLOCK = "block", "屏蔽"
        STOP_SERVICE = "stop_service", "终止交易和服务"
        NO_ACTION = "no_action", "不采取措施"

    OPEN_STATES = (Status.PENDING, Status.TAKEN_DOWN, Status.COUNTERED, Status.CLOCK)

    notice = models.ForeignKey(Notice, related_name="items", on_delete=models.PROTECT)
    listing = models.ForeignKey(Listing, related_name="items", on_delete=models.PROTECT)
    # copied from the notice (fixed when it is filed) so the platform queue is one index walk, no join sort
    platform = models.ForeignKey(Platform, related_name="items", on_delete=models.PROTECT)
    fast_lane = models.BooleanField(default=False)
    sla_due_at = models.DateTimeField()
    joined_to = models.ForeignKey("self", null=True, blank=True, related_name="joiners", on_delete=models.PROTECT)
    status = FSMField("状态", default=Status.PENDING, choices=Status.choices, protected=False, db_index=True)
    measure = models.CharField("措施", max_length=16, choices=Measure.choices, blank=True)
    measure_reason = models.TextField("理由", blank=True)
    measured_at = models.DateTimeField("措施时间", null=True, blank=True)
    seller_served_at = models.DateTimeField("通知送达经营者时间", null=True, blank=True)
    counter_forwarded_at = models.DateTimeField("声明转送通知人时间", null=True, blank=True)
    clock_deadline = models.DateField("期限届满日", null=True, blank=True)
    clock_rule = models.CharField("期限规则", max_length=300, blank=True)
    clock_extended = models.BooleanField("已因公证认证延长", default=False)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "clock_deadline"]), models.Index(fields=["listing", "status"]),
                   models.Index(fields=["platform", "status", "-fast_lane", "sla_due_at", "id"],
                                name="takedown_queue_order"),
                   # the queue's "all" tab (no status filter) walks this one in the same order
                   models.Index(fields=["platform", "-fast_lane", "sla_due_at", "id"],
                                name="takedown_queue_all_order")]

    def __str__(self) -> str:
        return f"{self.notice.number} / {self.listing.listing_id}"

    @transition(field=status, source=Status.PENDING, target=Status.TAKEN_DOWN)
    def take_measure(self) -> None:
        """Remove, block or stop service."""

    @transition(field=status, source=Status.PENDING, target=Status.NO_ACTION)
    def decline(self) -> None:
        """No measure, with a reason (e.g. the notice lacks prima facie evidence)."""

    @transition(field=status, source=Status.PENDING, target=Status.JOINED)
    def join(self) -> None:
        """The listing already had an open notice: follow that one."""

    @transition(field=status, source=Status.TAKEN_DOWN, target=Status.COUNTERED)
    def counter(self) -> None:
        """The seller declared non-infringement, with evidence."""

    @transition(field=status, source=Status.COUNTERED, target=Status.CLOCK)
    def forward_counter(self) -> None:
        """The platform forwarded the declaration to the notifier: the 15-day clock starts."""

    @transition(field=status, source=[Status.TAKEN_DOWN, Status.COUNTERED, Status.CLOCK], target=Status.PROCEEDING)
    def attach_proceeding(self) -> None:
        """A complaint or lawsuit was shown: the clock stops and measures stay."""

    @transition(field=status, source=Status.CLOCK, target=Status.RESTORED)
    def lift(self) -> None:
        """The clock ended without a proceeding: measures are lifted."""

    @transition(field=status, source=[Status.PENDING, Status.TAKEN_DOWN, Status.COUNTERED, Status.CLOCK],
                target=Status.WITHDRAWN)
    def withdraw(self) -> None:
        """The notifier withdrew."""


class CounterNotice(models.Model):
    item = models.OneToOneField(NoticeItem, related_name="counter_notice", on_delete=models.PROTECT)
    filed_by = models.ForeignKey("accounts.User", related_name="+", on_delete=models.PROTECT)
    statement = models.TextField("不侵权声明")
    deposits = models.ManyToManyField("evidence.Deposit", related_name="takedown_counter_notices", blank=True)
    filed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"不侵权声明 {self.item_id}"


class Proceeding(models.Model):
    """The complaint or lawsuit that stops the 15-day clock (art. 43)."""

    class Kind(models.TextChoices):
        EXTERNAL = "external", "法院/行政机关受理"
        ZHIBAO_CASE = "zhibao_case", "知保平台案件"

    item = models.ForeignKey(NoticeItem, related_name="proceedings", on_delete=models.PROTECT)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    reference = models.CharField("案号/受理编号", max_length=100)
    authority = models.CharField("受理机关", max_length=200, blank=True)
    document = models.FileField("受理通知书", upload_to="takedown/proceedings/%Y/", blank=True)
    attached_by = models.ForeignKey("accounts.User", related_name="+", on_delete=models.PROTECT)
    attached_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"


class ListingEvent(models.Model):
    """The listing's timeline: every state change, with who, when, what and why."""

    listing = models.ForeignKey(Listing, related_name="events", on_delete=models.PROTECT)
    item = models.ForeignKey(NoticeItem, null=True, blank=True, related_name="events", on_delete=models.PROTECT)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey("accounts.User", null=True, blank=True, related_name="+", on_delete=models.PROTECT)
    actor_name = models.CharField(max_length=150)
    kind = models.CharField(max_length=40)
    summary = models.CharField(max_length=300)
    reason = models.TextField(blank=True)
    public = models.BooleanField(default=False, help_text="published on the art. 44 page (personal data masked)")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.summary


class Fingerprint(models.Model):
    """A removed listing's fingerprint, so a relisted copy is recognised (title, seller, image).

    The 64-bit image pHash is also stored as four 16-bit chunks: any hash within Hamming distance 3 shares at
    least one chunk exactly (pigeonhole), so a candidate search is four indexed equality look-ups; each chunk
    index carries the full hash so chance collisions are discarded without reading the row.
    """

    platform = models.ForeignKey(Platform, related_name="fingerprints", on_delete=models.PROTECT)
    listing = models.ForeignKey(Listing, related_name="fingerprints", on_delete=models.PROTECT)
    item = models.ForeignKey(NoticeItem, related_name="fingerprints", on_delete=models.PROTECT)
    title_key = models.CharField(max_length=64, db_index=True)
    seller_key = models.CharField(max_length=64, db_index=True)
    phash = models.BigIntegerField(null=True)
    ph0 = models.IntegerField(null=True)
    ph1 = models.IntegerField(null=True)
    ph2 = models.IntegerField(null=True)
    ph3 = models.IntegerField(null=True)
    decision = models.CharField(max_length=300)
    active = models.BooleanField(default=True, help_text="off when the measure was lifted")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # (chunk, full hash): the distance of a chunk candidate is checked on the index entry, no table read
        indexes = [models.Index(fields=[f"ph{i}", "phash"], name=f"takedown_fp_ph{i}_phash") for i in range(4)]

    def __str__(self) -> str:
        return self.decision


class RelistFlag(models.Model):
    listing = models.ForeignKey(Listing, related_name="relist_flags", on_delete=models.PROTECT)
    fingerprint = models.ForeignKey(Fingerprint, related_name="flags", on_delete=models.PROTECT)
    matched_on = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField("确认为重新上架", null=True, blank=True)
    confirmed_by = models.ForeignKey("accounts.User", null=True, blank=True, related_name="+",
                                     on_delete=models.PROTECT)
    confirm_note = models.TextField("确认说明", blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["listing", "fingerprint"], name="relist_once")]

    def __str__(self) -> str:
        return f"重新上架 {self.listing_id}"


class MaliciousFinding(models.Model):
    """A notice found wrong or malicious (art. 42): recorded against the notifier and fed to credit."""

    notice = models.OneToOneField(Notice, related_name="malicious_finding", on_delete=models.PROTECT)
    notifier = models.ForeignKey("orgs.Organisation", related_name="malicious_notice_findings",
                                 on_delete=models.PROTECT)
    found_by = models.ForeignKey("accounts.User", related_name="+", on_delete=models.PROTECT)
    reason = models.TextField("认定理由")
    wilful = models.BooleanField("明知虚假", default=False)
    found_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"认定 {self.notice_id}"


class WebhookDelivery(models.Model):
    """One signed delivery of a new notice to the platform's webhook; the delivery id lets the receiver
    drop duplicates (a retried delivery carries the same id)."""

    notice = models.ForeignKey(Notice, related_name="webhook_deliveries", on_delete=models.PROTECT)
    delivery_id = models.CharField(max_length=40, unique=True)
    url = models.URLField(max_length=500)
    attempts = models.PositiveIntegerField(default=0)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.delivery_id
