"""Trade fairs (clause 14; 展会知识产权保护办法): exhibitors, IP filings (报备), non-infringement pledges
(不侵权承诺), booth complaints with the 24-hour clock, and the measures taken at the booth.

A pledge is signed text kept three ways: the row (signer, time, text), a PDF, and an evidence-ledger deposit
of that PDF, so an exhibitor who breaks it cannot dispute what was signed.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django_fsm import FSMField, transition


class Fair(models.Model):
    organiser = models.ForeignKey("orgs.Organisation", verbose_name="主办方", related_name="fairs",
                                  on_delete=models.PROTECT)
    name = models.CharField("展会名称", max_length=200)
    venue = models.CharField("场馆", max_length=200)
    district = models.ForeignKey("orgs.District", verbose_name="所在区", on_delete=models.PROTECT)
    starts_on = models.DateField("开幕日")
    ends_on = models.DateField("闭幕日")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.name


class Exhibitor(models.Model):
    fair = models.ForeignKey(Fair, related_name="exhibitors", on_delete=models.PROTECT)
    organisation = models.ForeignKey("orgs.Organisation", verbose_name="参展商", related_name="exhibitions",
                                     on_delete=models.PROTECT)
    booth = models.CharField("展位号", max_length=20)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["booth"]
        constraints = [models.UniqueConstraint(fields=["fair", "organisation"], name="exhibitor_once"),
                       models.UniqueConstraint(fields=["fair", "booth"], name="booth_once")]

    def __str__(self) -> str:
        return f"{self.booth} {self.organisation.name}"


class Filing(models.Model):
    """IP filing (报备) of an exhibit: a right from the register, or an uploaded certificate."""

    exhibitor = models.ForeignKey(Exhibitor, related_name="filings", on_delete=models.PROTECT)
    exhibit = models.CharField("展品", max_length=200)
    right = models.ForeignKey("rights.Right", null=True, blank=True, related_name="fair_filings",
                              on_delete=models.PROTECT)
    certificate = models.FileField("权利证书", upload_to="fairs/certificates/%Y/", blank=True)
    certificate_no = models.CharField("证书编号", max_length=60, blank=True)
    filed_by = models.ForeignKey("accounts.User", related_name="+", on_delete=models.PROTECT)
    filed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.exhibit


class Pledge(models.Model):
    exhibitor = models.OneToOneField(Exhibitor, related_name="pledge", on_delete=models.PROTECT)
    text = models.TextField("承诺内容")
    signer = models.ForeignKey("accounts.User", related_name="+", on_delete=models.PROTECT)
    signer_name = models.CharField("签署人", max_length=100)
    signed_at = models.DateTimeField(default=timezone.now)
    pdf = models.FileField(upload_to="fairs/pledges/%Y/")
    deposit = models.ForeignKey("evidence.Deposit", related_name="+", on_delete=models.PROTECT)
    broken = models.BooleanField("违反承诺", default=False)

    def __str__(self) -> str:
        return f"不侵权承诺 {self.exhibitor}"


class BoothComplaint(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "待处理"
        MEDIATED = "mediated", "现场调解达成"
        REMOVED = "removed", "撤展"
        COVERED = "covered", "遮盖"
        TRANSFERRED = "transferred", "移交执法"
        REJECTED = "rejected", "不予支持"

    number = models.CharField(max_length=32, unique=True)
    fair = models.ForeignKey(Fair, related_name="complaints", on_delete=models.PROTECT)
    respondent = models.ForeignKey(Exhibitor, related_name="complaints", on_delete=models.PROTECT)
    complainant = models.ForeignKey("orgs.Organisation", related_name="booth_complaints", on_delete=models.PROTECT)
    filed_by = models.ForeignKey("accounts.User", related_name="+", on_delete=models.PROTECT)
    rights = models.ManyToManyField("rights.Right", related_name="booth_complaints")
    description = models.TextField("投诉事实")
    deposit = models.ForeignKey("evidence.Deposit", null=True, blank=True, related_name="+",
                                on_delete=models.PROTECT)
    filed_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField("处理期限")
    due_rule = models.CharField(max_length=300)
    status = FSMField(default=Status.OPEN, choices=Status.choices, protected=False, db_index=True)
    outcome = models.TextField("处理结果", blank=True)
    handled_by = models.ForeignKey("accounts.User", null=True, blank=True, related_name="+",
                                   on_delete=models.PROTECT)
    handled_at = models.DateTimeField(null=True, blank=True)
    within_clock = models.BooleanField(null=True)
    case = models.ForeignKey("cases.Case", verbose_name="移交案件", null=True, blank=True,
                             related_name="booth_complaints", on_delete=models.PROTECT,
                             help_text="the enforcement case a transfer (移交执法) filed or joined")

    class Meta:
        ordering = ["-filed_at", "-id"]

    def __str__(self) -> str:
        return self.number

    @transition(field=status, source=Status.OPEN, target=Status.MEDIATED)
    def mediate(self) -> None:
        """The parties settled at the booth."""

    @transition(field=status, source=Status.OPEN, target=Status.REMOVED)
    def remove_exhibits(self) -> None:
        """Infringing exhibits withdrawn from the fair."""

    @transition(field=status, source=Status.OPEN, target=Status.COVERED)
    def cover(self) -> None:
        """Infringing exhibits or signs covered up."""

    @transition(field=status, source=Status.OPEN, target=Status.TRANSFERRED)
    def transfer(self) -> None:
        """Handed to the enforcement authority as a case."""

    @transition(field=status, source=Status.OPEN, target=Status.REJECTED)
    def reject(self) -> None:
        """Not supported (e.g. the right is not valid, or no infringement)."""


class ComplaintEvent(models.Model):
    complaint = models.ForeignKey(BoothComplaint, related_name="events", on_delete=models.PROTECT)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey("accounts.User", null=True, blank=True, related_name="+", on_delete=models.PROTECT)
    actor_name = models.CharField(max_length=150)
    summary = models.CharField(max_length=300)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.summary
