"""Writes for trade fairs: registration, exhibitors, IP filings, pledges, booth complaints and their handling.

The 24-hour clock (``zhibao.law.periods`` rule ``fair_complaint``) is fixed when the complaint is filed and
the handling records whether it was met. A transfer to enforcement files the case through ``cases.services``. A removal or cover-up at a booth whose exhibitor signed the pledge
marks the pledge broken and feeds the credit file (through ``zhibao.takedown.integration``).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from zhibao.accounts import audit
from zhibao.accounts.models import User
from zhibao.accounts.roles import Role
from zhibao.accounts.selectors import represented_org_ids
from zhibao.cases import services as cases
from zhibao.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhibao.core.pdf import render_pdf
from zhibao.core.uploads import check_upload
from zhibao.evidence import selectors as evidence_selectors
from zhibao.evidence import services as evidence
from zhibao.fairs.models import BoothComplaint, ComplaintEvent, Exhibitor, Fair, Filing, Pledge
from zhibao.law import periods
from zhibao.notifications.services import notify
from zhibao.orgs.models import District, Organisation
from zhibao.rights.models import Right
from zhibao.takedown import integration

PLEDGE_TEXT = (
    "本单位承诺：参展展品、展品包装、宣传材料及展位装饰不侵犯他人的专利权、商标专用权、著作权等知识产权；"
    "对已报备展品的权利真实、有效负责；展会期间收到知识产权投诉时积极配合主办方与执法部门处理，"
    "经认定侵权的，立即撤展或遮盖，并依法承担责任。违反本承诺的，同意将相关信息记入信用档案。"
)
OUTCOMES = {"mediate": "现场调解达成", "remove_exhibits": "撤展", "cover": "遮盖", "transfer": "移交执法",
            "reject": "不予支持"}
BREAKS_PLEDGE = ("remove_exhibits", "cover")
#: The infringing act a transferred booth complaint is filed as, by the first right's type (exhibiting an
#: infringing product at a fair is offering it for sale).
FAIR_ACTS = {"trademark": "sell_counterfeit", "patent": "patent_infringement", "copyright": "copyright_infringement",
             "trade_secret": "trade_secret", "gi": "counterfeit_mark"}


def _organisers(fair: Fair) -> list[User]:
    return list(User.objects.filter(role=Role.PLATFORM_OPERATOR, organisation_id=fair.organiser_id, is_active=True))


def _org_users(org_id: int) -> list[User]:
    return list(User.objects.filter(organisation_id=org_id, is_active=True, role=Role.RIGHT_HOLDER))


def _event(complaint: BoothComplaint, actor: User | None, summary: str, reason: str = "",
           at: dt.datetime | None = None) -> None:
    ComplaintEvent.objects.create(complaint=complaint, actor=actor if getattr(actor, "pk", None) else None,
                                  actor_name=str(actor) if actor else "system", summary=summary[:300],
                                  reason=reason, at=at or timezone.now())


@transaction.atomic
def register_fair(*, actor: User | None, organiser: Organisation, name: str, venue: str, district_code: str,
                  starts_on: dt.date, ends_on: dt.date) -> Fair:
    if actor is not None and not (actor.role == Role.PLATFORM_OPERATOR and actor.organisation_id == organiser.pk):
        raise Forbidden("只有主办方可以登记展会")
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = ["请填写展会名称"]
    if not venue.strip():
        errors["venue"] = ["请填写场馆"]
    district = District.objects.filter(code=district_code).first()
    if district is None:
        errors["district_code"] = [f"未知的区划代码：{district_code}"]
    if ends_on < starts_on:
        errors["ends_on"] = ["闭幕日不能早于开幕日"]
    if errors:
        raise InvalidInput(errors)
    fair = Fair.objects.create(organiser=organiser, name=name.strip(), venue=venue.strip(), district=district,
                               starts_on=starts_on, ends_on=ends_on)
    audit.record(actor=actor, action="create", obj=fair, after=audit.snapshot(fair))
    return fair


@transaction.atomic
def add_exhibitor(*, actor: User | None, fair: Fair, organisation: Organisation, booth: str) -> Exhibitor:
    if actor is not None and not actor.has_perm("fairs.manage_fair", fair):
        raise Forbidden("只有主办方可以登记参展商")
    booth = booth.strip().upper()
    if not booth:
        raise InvalidInput({"booth": ["请填写展位号"]})
    if fair.exhibitors.filter(booth=booth).exists():
        raise InvalidInput({"booth": [f"展位 {booth} 已分配"]})
    if fair.exhibitors.filter(organisation=organisation).exists():
        raise InvalidInput({"organisation": ["该主体已是本展会参展商"]})
    exhibitor = Exhibitor.objects.create(fair=fair, organisation=organisation, booth=booth)
    audit.record(actor=actor, action="add_exhibitor", obj=fair, after={"exhibitor": exhibitor.pk, "booth": booth})
    notify(recipients=_org_users(organisation.pk), kind="fairs.exhibitor", url=f"/fairs/exhibitors/{exhibitor.pk}/",
           title=f"{fair.name}：请报备展品知识产权并签署不侵权承诺（展位 {booth}）")
    return exhibitor


@transaction.atomic
def file_exhibit(*, actor: User, exhibitor: Exhibitor, exhibit: str, right: Right | None = None,
                 certificate: Any = None, certificate_no: str = "") -> Filing:
    """IP filing (报备) of one exhibit: a right of the exhibitor from the register, or an uploaded certificate."""
    if not actor.has_perm("fairs.view_exhibitor", exhibitor):
        raise NotFound("未找到该参展商")
    if not actor.has_perm("fairs.act_as_exhibitor", exhibitor):
        raise Forbidden("只有参展商本人可以报备")
    errors: dict[str, list[str]] = {}
    if not exhibit.strip():
        errors["exhibit"] = ["请填写展品名称"]
    if right is None and certificate is None:
        errors["right"] = ["请选择登记的权利，或上传权利证书"]
    if right is not None:
        if right.owner_id != exhibitor.organisation_id and not right.licences.filter(
                licensee_id=exhibitor.organisation_id, is_active=True).exists():
            errors["right"] = ["该权利不属于参展商，也未许可参展商使用"]
        elif not right.is_in_force:
            errors["right"] = [f"{right} 不在有效期内"]
    if certificate is not None:
        try:
            check_upload(certificate, field="certificate", allowed={"application/pdf", "image/png", "image/jpeg"})
        except InvalidInput as exc:
            errors.update(exc.errors)
        if not certificate_no.strip():
            errors["certificate_no"] = ["请填写证书编号"]
    if errors:
        raise InvalidInput(errors)
    filing = Filing(exhibitor=exhibitor, exhibit=exhibit.strip()[:200], right=right,
                    certificate_no=certificate_no.strip()[:60], filed_by=actor)
    if certificate is not None:
        filing.certificate = certificate
    filing.save()
    audit.record(actor=actor, action="fair_filing", obj=exhibitor.fair, after={"filing": filing.pk})
    _screen_exhibit(filing)
    return filing


def _screen_exhibit(filing: Filing) -> None:
    """Hand the exhibit to monitoring after the commit (source d, fair exhibits): other right holders' watch
    lists see e.g. a look-alike mark or a GI name at a booth. The owner of the right the exhibit is filed
    under (the exhibitor, or its licensor) already knows it, so its lists are skipped."""
    exhibitor = filing.exhibitor
    fair, org = exhibitor.fair, exhibitor.organisation
    name = "".join(c for c in filing.exhibit if c.isprintable()).strip()
    item = {"name": name[:100].strip(), "text": name, "reference": f"{fair.name} 展位 {exhibitor.booth}",
            "party": org.name, "party_uscc": org.uscc or "", "origin": f"fairs.filing:{filing.pk}",
            "details": {"fair_id": fair.pk, "fair": fair.name, "venue": fair.venue, "booth": exhibitor.booth,
                        "exhibitor_id": exhibitor.pk}}
    integration.submit_for_screening(source="exhibit", items=[item],
                                     skip_owner=filing.right.owner if filing.right else None)


def sign_pledge(*, actor: User, exhibitor: Exhibitor, signer_name: str, agree: bool) -> Pledge:
    """E-sign the pledge: the PDF (text, signer, time) is deposited in the evidence ledger, then recorded."""
    if not actor.has_perm("fairs.view_exhibitor", exhibitor):
        raise NotFound("未找到该参展商")
    if not actor.has_perm("fairs.act_as_exhibitor", exhibitor):
        raise Forbidden("只有参展商本人可以签署承诺")
    errors: dict[str, list[str]] = {}
    if not agree:
        errors["agree"] = ["请阅读并同意承诺内容"]
    if len(signer_name.strip()) < 2:
        errors["signer_name"] = ["请填写签署人姓名"]
    if errors:
        raise InvalidInput(errors)
    if Pledge.objects.filter(exhibitor=exhibitor).exists():
        raise Conflict("该参展商已签署承诺", allowed_transitions=[])
    signed_at = timezone.now()
    pdf = render_pdf("fairs/pledge_pdf.html", {"exhibitor": exhibitor, "text": PLEDGE_TEXT,
                                               "signer_name": signer_name.strip(), "signed_at": signed_at,
                                               "user": actor})
    name = f"pledge-{exhibitor.fair_id}-{exhibitor.booth}.pdf"
    outcome = evidence.make_deposit(actor=actor, title=f"不侵权承诺 {exhibitor.fair.name} {exhibitor.booth}"[:200],
                                    files=[SimpleUploadedFile(name, pdf, content_type="application/pdf")])
    with transaction.atomic():
        if Pledge.objects.select_for_update().filter(exhibitor=exhibitor).exists():
            raise Conflict("该参展商已签署承诺", allowed_transitions=[])
        pledge = Pledge(exhibitor=exhibitor, text=PLEDGE_TEXT, signer=actor, signer_name=signer_name.strip()[:100],
                        signed_at=signed_at, deposit=outcome.deposit)
        pledge.pdf.save(name, ContentFile(pdf), save=False)
        pledge.save()
        audit.record(actor=actor, action="sign_pledge", obj=exhibitor.fair,
                     after={"exhibitor": exhibitor.pk, "deposit": outcome.deposit.deposit_no})
    return pledge


def _complaint_no(now: dt.datetime) -> str:
    return f"ZH{timezone.localtime(now):%Y%m%d}{secrets.token_hex(3).upper()}"


def file_complaint(*, actor: User, respondent: Exhibitor, complainant: Organisation, right_ids: Sequence[int],
                   description: str, photos: Sequence[Any] = (), deposit_no: str = "",
                   now: dt.datetime | None = None) -> BoothComplaint:
    """An on-site complaint at a booth; the 24-hour clock starts.

    Evidence is either photos (deposited here as one evidence deposit) or, for API clients that deposited
    them first, the number of a deposit the actor may see.
    """
    if complainant.pk not in represented_org_ids(actor, scope="notices"):
        raise Forbidden("无权以该权利人名义投诉")
    errors: dict[str, list[str]] = {}
    rights = list(Right.objects.filter(pk__in=list(right_ids), owner=complainant))
    if not rights or len(rights) != len(set(right_ids)):
        errors["right_ids"] = ["请选择投诉人名下的权利"]
    for right in rights:
        if not right.is_in_force:
            errors.setdefault("right_ids", []).append(f"{right} 不在有效期内")
    if len(description.strip()) < 10:
        errors["description"] = ["请描述侵权展品及事实（至少 10 个字）"]
    if respondent.organisation_id == complainant.pk:
        errors["respondent"] = ["不能投诉自己的展位"]
    deposit = None
    if deposit_no.strip():
        deposit = evidence_selectors.deposits_visible_to(actor=actor).filter(
            deposit_no=deposit_no.strip().upper()).first()
        if deposit is None:
            errors["deposit_no"] = [f"未找到存证 {deposit_no.strip()}"]
        elif photos:
            errors["deposit_no"] = ["请上传现场照片或引用已有存证，二选一"]
    if errors:
        raise InvalidInput(errors)
    now = now or timezone.now()
    if photos:
        deposit = evidence.make_deposit(actor=actor, title=f"展位 {respondent.booth} 现场照片"[:200],
                                        files=list(photos), category="infringement").deposit
    clock = periods.deadline_for("fair_complaint", timezone.localtime(now))
    with transaction.atomic():
        complaint = BoothComplaint.objects.create(
            number=_complaint_no(now), fair=respondent.fair, respondent=respondent, complainant=complainant,
            filed_by=actor, description=description.strip(), deposit=deposit, filed_at=now, due_at=clock.deadline,
            due_rule=f"{clock.title}（{clock.source}）")
        complaint.rights.set(rights)
        _event(complaint, actor, f"{complainant.name} 投诉展位 {respondent.booth}", at=now)
        audit.record(actor=actor, action="booth_complaint", obj=complaint, after={"respondent": respondent.pk})
        notify(recipients=_organisers(respondent.fair) + _org_users(respondent.organisation_id),
               kind="fairs.complaint", url=f"/fairs/complaints/{complaint.pk}/",
               title=f"展位 {respondent.booth} 收到知识产权投诉，须于 "
                     f"{timezone.localtime(clock.deadline):%m-%d %H:%M} 前处理")
    return complaint


def handle_complaint(*, actor: User, complaint: BoothComplaint, outcome: str, note: str,
                     now: dt.datetime | None = None) -> BoothComplaint:
    """The organiser's (or an officer's) handling: mediation, removal, cover-up, transfer, or rejection.

    A transfer (移交执法) files a real enforcement case through ``cases.services.refer_complaint`` in the same
    transaction, so a complaint is never marked transferred without its case. When the complaint has no photo
    deposit, the on-site handling record is deposited first (outside the transaction: the ledger append is
    its own durable step) so the case carries evidence.
    """
    if not (actor.has_perm("fairs.manage_fair", complaint.fair) or actor.role in (Role.OFFICER, Role.DISTRICT_ADMIN)):
        raise Forbidden("只有主办方或执法人员可以处理展会投诉")
    if outcome not in OUTCOMES:
        raise InvalidInput({"outcome": [f"未知的处理方式：{outcome}（可选：{', '.join(OUTCOMES)}）"]})
    if len(note.strip()) < 4:
        raise InvalidInput({"note": ["请写明处理情况"]})
    record = None
    if outcome == "transfer" and complaint.deposit_id is None and complaint.status == BoothComplaint.Status.OPEN:
        record = _handling_record(actor, complaint, note.strip())
    return _handle(actor=actor, complaint=complaint, outcome=outcome, note=note.strip(), record=record, now=now)


def _handling_record(actor: User, complaint: BoothComplaint, note: str) -> Any:
    statement = (f"展会：{complaint.fair.name}（{complaint.fair.venue}）\n被投诉展位：{complaint.respondent}\n"
                 f"投诉人：{complaint.complainant.name}\n投诉编号：{complaint.number}\n"
                 f"投诉时间：{timezone.localtime(complaint.filed_at):%Y-%m-%d %H:%M}\n投诉事实：{complaint.description}\n"
                 f"现场处理情况：{note}\n处理人：{actor}")
    return evidence.make_deposit(actor=actor, title=f"展会投诉现场处理记录 {complaint.number}"[:200], files=[],
                                 statement=statement, category="infringement").deposit


@transaction.atomic
def _handle(*, actor: User, complaint: BoothComplaint, outcome: str, note: str, record: Any,
            now: dt.datetime | None) -> BoothComplaint:
    fair = complaint.fair
    complaint = BoothComplaint.objects.select_for_update().get(pk=complaint.pk)
    method = getattr(complaint, outcome)
    if not can_proceed(method):
        raise Conflict(f"投诉已处理（{complaint.get_status_display()}）", allowed_transitions=[],
                       status=complaint.status)
    method()
    now = now or timezone.now()
    complaint.outcome, complaint.handled_by, complaint.handled_at = note, actor, now
    complaint.within_clock = now <= complaint.due_at
    if outcome == "transfer":
        complaint.case = _transfer(actor, complaint, note, record, now)
    complaint.save()
    _event(complaint, actor, f"处理结果：{OUTCOMES[outcome]}" + ("" if complaint.within_clock else "（已超过 24 小时）"),
           reason=note, at=now)
    if complaint.case is not None:
        _event(complaint, actor, f"已移交执法：案件 {complaint.case.number}（{complaint.case.get_status_display()}）",
               at=now)
    pledge = Pledge.objects.filter(exhibitor=complaint.respondent).first()
    if outcome in BREAKS_PLEDGE and pledge is not None:
        pledge.broken = True
        pledge.save(update_fields=["broken"])
        integration.report_credit_fact(
            actor=actor, organisation=complaint.respondent.organisation, kind="fair_violation",
            occurred_on=timezone.localdate(now), legal_basis="《展会知识产权保护办法》；参展不侵权承诺",
            summary=f"{fair.name} 展位 {complaint.respondent.booth} 违反不侵权承诺：{OUTCOMES[outcome]}",
            source_type="fair", source_ref=complaint.number, wilful=False)
    audit.record(actor=actor, action="handle_booth_complaint", obj=complaint, reason=note,
                 after={"status": complaint.status, "within_clock": complaint.within_clock,
                        "case": complaint.case.number if complaint.case else None})
    title = f"展会投诉 {complaint.number}：{OUTCOMES[outcome]}"
    if complaint.case is not None:
        title += f"，案件 {complaint.case.number}"
    notify(recipients=_org_users(complaint.complainant_id) + _org_users(complaint.respondent.organisation_id),
           kind="fairs.handled", title=title, url=f"/fairs/complaints/{complaint.pk}/")
    return complaint


def _transfer(actor: User, complaint: BoothComplaint, note: str, record: Any, now: dt.datetime) -> Any:
    """File (or join) the enforcement case for a transferred complaint, on the complainant's behalf."""
    fair, booth = complaint.fair, complaint.respondent
    rights = list(complaint.rights.all())
    deposits = [d for d in (complaint.deposit, record) if d is not None]
    place = f"{fair.name}（{fair.venue}）展位 {booth.booth}"
    acts = [{"act": FAIR_ACTS.get(rights[0].right_type if rights else "", "sell_counterfeit"), "place_type": "fair",
             "place": place[:300]}]
    filing = cases.refer_complaint(
        actor=actor, complainant=complaint.complainant, respondent=booth.organisation,
        right_ids=[r.pk for r in rights], title=f"展会侵权投诉：{place}"[:200], acts=acts, deposits=deposits,
        facts=f"{complaint.description}\n\n现场处理情况（{actor}）：{note}",
        source=f"展会投诉 {complaint.number}（{place}）", district_id=fair.district_id, now=now)
    return filing.case


def overdue_reminders(*, now: dt.datetime) -> int:
    """Remind organisers of open complaints past their 24-hour clock (once per complaint)."""
    sent = 0
    for complaint in BoothComplaint.objects.filter(status=BoothComplaint.Status.OPEN, due_at__lt=now,
                                                   within_clock__isnull=True).select_related("fair", "respondent"):
        with transaction.atomic():
            BoothComplaint.objects.filter(pk=complaint.pk).update(within_clock=False)
            _event(complaint, None, "已超过 24 小时处理期限", at=now)
            notify(recipients=_organisers(complaint.fair), kind="fairs.overdue", url=f"/fairs/complaints/{complaint.pk}/",
                   title=f"展会投诉 {complaint.number}（展位 {complaint.respondent.booth}）已超过 24 小时未处理")
            sent += 1
    return sent
