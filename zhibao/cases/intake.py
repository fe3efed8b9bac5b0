"""One-stop intake (一站式维权): drafts, filing, respondent resolution, duplicates, triage (繁简分流).

Filing validates everything a handler would otherwise bounce the complaint for: the actor acts for the
complainant (own organisation, or an agent under a current power of attorney), every right is in force
and owned or licensed by the complainant, the respondent is not the complainant, and there is evidence
(uploaded files become a ledger deposit; cited deposits must be visible to the actor).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhibao.accounts import audit
from zhibao.accounts.models import User
from zhibao.accounts.roles import Role
from zhibao.accounts.selectors import represented_org_ids
from zhibao.cases import codes, events
from zhibao.cases.models import FINAL_STATES, Case, Channel, TriageRule
from zhibao.core.errors import Conflict, Forbidden, InvalidInput
from zhibao.evidence import selectors as evidence_selectors
from zhibao.evidence import services as evidence
from zhibao.law import thresholds
from zhibao.orgs import services as orgs
from zhibao.orgs.models import Organisation
from zhibao.rights.models import Licence, Right

EVIDENCE_CHANNEL = {"criminal": "criminal_transfer"}
PLACE_TYPES = {"online": "网店", "physical": "实体地址", "fair": "展会", "customs": "进出口"}
#: Who may hand a complaint they received on site to ZhiBao on the complainant's behalf (移交): enforcement
#: staff, and fair organisers / platforms (platform-operator users) for complaints lodged with them.
REFERRING_ROLES = (Role.OFFICER, Role.DISTRICT_ADMIN, Role.CITY_ADMIN, Role.PLATFORM_OPERATOR)


@dataclass
class Referral:
    """A complaint handed over by a third party (e.g. a fair organiser's 移交执法), set only by ``refer_complaint``.

    ``source`` names where it came from (shown on the case timeline); ``deposits`` were already checked by
    the referring service (they belong to the complaint being transferred, which the referrer may see).
    """

    source: str
    deposits: list = field(default_factory=list)
    district_id: int | None = None


@dataclass
class Triage:
    complexity: str
    channel: str
    rule: TriageRule | None
    reasons: list[str] = field(default_factory=list)


def _suspected_crime(case: Case) -> bool:
    if case.illegal_business_volume is None or case.right_type not in thresholds.ACTS_BY_RIGHT:
        return False
    act = next((a.get("act") for a in case.acts if a.get("act") in thresholds.ACTS_BY_RIGHT[case.right_type]),
               thresholds.ACTS_BY_RIGHT[case.right_type][0])
    facts = thresholds.CaseFacts(right_type=case.right_type, act=act,
                                 illegal_business_volume=case.illegal_business_volume,
                                 found_on=timezone.localdate())
    try:
        return thresholds.transfer_required(thresholds.check(facts))
    except ValueError:
        return False


def _matches(rule: TriageRule, case: Case, facts: dict) -> bool:
    cond = rule.conditions
    if "right_types" in cond and case.right_type not in cond["right_types"]:
        return False
    if "acts" in cond and not {a.get("act") for a in case.acts} & set(cond["acts"]):
        return False
    if "has_evidence" in cond and facts["has_evidence"] != cond["has_evidence"]:
        return False
    if "both_willing" in cond and case.both_willing_to_mediate != cond["both_willing"]:
        return False
    if "damages_over" in cond and (case.damages_claimed is None
                                   or case.damages_claimed <= Decimal(str(cond["damages_over"]))):
        return False
    return not ("suspected_crime" in cond and facts["suspected_crime"] != cond["suspected_crime"])


def triage(case: Case, *, has_evidence: bool) -> Triage:
    """The first current, active rule (by priority) that matches; the fallback is complex enforcement."""
    facts = {"has_evidence": has_evidence, "suspected_crime": _suspected_crime(case)}
    for rule in TriageRule.objects.filter(is_current=True, active=True).order_by("priority", "key"):
        if _matches(rule, case, facts):
            return Triage(rule.complexity, rule.channel, rule, [f"{rule.name}（v{rule.version}）"])
    return Triage(Case.Complexity.COMPLEX, Channel.ENFORCEMENT, None, ["无规则命中：普通程序，行政执法"])


@transaction.atomic
def save_triage_rule(*, actor: User | None, key: str, name: str, conditions: dict, complexity: str, channel: str,
                     priority: int = 100, active: bool = True, basis: str = "") -> TriageRule:
    """Create a rule or a new version of it (the old version stays, no longer current). City admin only."""
    if actor is not None and actor.role != Role.CITY_ADMIN:
        raise Forbidden("只有市知识产权局管理员可以维护分流规则")
    errors: dict[str, list[str]] = {}
    if not key.strip() or not name.strip():
        errors["name"] = ["请填写规则标识和名称"]
    if complexity not in Case.Complexity.values:
        errors["complexity"] = [f"未知的繁简类型：{complexity}"]
    if channel not in Channel.values:
        errors["channel"] = [f"未知的渠道：{channel}"]
    unknown = set(conditions) - {"right_types", "acts", "has_evidence", "both_willing", "damages_over",
                                 "suspected_crime"}
    if unknown:
        errors["conditions"] = [f"未知的条件：{'、'.join(sorted(unknown))}"]
    if errors:
        raise InvalidInput(errors)
    previous = TriageRule.objects.select_for_update().filter(key=key, is_current=True).first()
    version = 1
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current"])
        version = previous.version + 1
    rule = TriageRule.objects.create(key=key, version=version, name=name, conditions=conditions,
                                     complexity=complexity, channel=channel, priority=priority, active=active,
                                     basis=basis, created_by=actor)
    audit.record(actor=actor, action="triage_rule_saved", obj=rule, after=audit.snapshot(rule))
    return rule


def _money(value: object, field_name: str, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        errors.setdefault(field_name, []).append("金额格式有误")
        return None
    if amount < 0 or not amount.is_finite():
        errors.setdefault(field_name, []).append("金额不能为负数")
        return None
    return amount.quantize(Decimal("0.01"))


def resolve_respondent(*, respondent_id: int | None = None, uscc: str = "", name: str = "", shop_url: str = "",
                       address: str = "") -> Organisation | None:
    """Find the respondent by id, USCC, shop URL or exact name; unknown → a provisional organisation."""
    orgs_qs = Organisation.objects.filter(is_active=True)
    if respondent_id:
        return orgs_qs.filter(pk=respondent_id).first()
    uscc = uscc.strip().upper()
    if uscc:
        found = orgs_qs.filter(uscc=uscc).first()
        if found:
            return found
    if shop_url.strip():
        found = orgs_qs.filter(shop_url=shop_url.strip()).first()
        if found:
            return found
    if name.strip():
        found = orgs_qs.filter(name=name.strip()).first()
        if found:
            return found
        return orgs.register_organisation(actor=None, name=name.strip(), uscc=uscc, shop_url=shop_url.strip(),
                                          address=address.strip(), provisional=not uscc)
    return None


def _check_rights(rights: list[Right], complainant: Organisation, errors: dict) -> None:
    if not rights:
        errors.setdefault("right_ids", []).append("请至少选择一项登记的权利")
    today = timezone.localdate()
    for right in rights:
        owned = right.owner_id == complainant.pk
        licensed = Licence.objects.filter(right=right, licensee=complainant, is_active=True, start__lte=today).filter(
            Q(end__isnull=True) | Q(end__gte=today)).exists()
        if not (owned or licensed):
            errors.setdefault("right_ids", []).append(f"{right}：投诉人不是权利人或被许可人")
        elif not right.is_in_force:
            errors.setdefault("right_ids", []).append(f"{right}：权利已届满或无效（{right.get_status_display()}）")


def open_duplicate(*, right_ids: list[int], respondent: Organisation | None, exclude_pk: int | None = None
                   ) -> Case | None:
    """An open case on the same right against the same respondent (shown to the filer, who may join it)."""
    if respondent is None or not right_ids:
        return None
    qs = Case.objects.filter(respondent=respondent, rights__in=right_ids).exclude(status__in=FINAL_STATES)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.order_by("filed_at").first()


@transaction.atomic
def save_draft(*, actor: User, complainant: Organisation, draft: Case | None = None, title: str = "",
               **fields: object) -> Case:
    """Save (or update) an unfinished complaint; nothing is validated beyond who may file for whom."""
    if complainant.pk not in represented_org_ids(actor, scope="complaints"):
        raise Forbidden("您不能代表该主体投诉")
    right_ids = fields.pop("right_ids", None)
    if draft is None:
        draft = Case(complainant=complainant, filed_by=actor, title=title or "未命名投诉")
    elif draft.status != "draft":
        raise Conflict("该投诉已提交，不能再按草稿修改", allowed_transitions=[])
    draft.title = title or draft.title
    for name in ("facts", "acts", "preferred_channel", "remedy_stop", "remedy_apology", "both_willing_to_mediate"):
        if name in fields and fields[name] is not None:
            setattr(draft, name, fields[name])
    errors: dict[str, list[str]] = {}
    if "damages_claimed" in fields:
        draft.damages_claimed = _money(fields["damages_claimed"], "damages_claimed", errors)
    if errors:
        raise InvalidInput(errors)
    draft.version += 1 if draft.pk else 0
    draft.save()
    if right_ids is not None:
        draft.rights.set(Right.objects.filter(pk__in=right_ids))
    return draft


@dataclass
class Filing:
    case: Case
    joined: bool = False
    triage: Triage | None = None
    #: the plain verification code, shown to the filer once; only its digest is stored (None when joined)
    verification_code: str | None = None


@transaction.atomic
def file_complaint(*, actor: User, complainant: Organisation, right_ids: list[int], title: str, facts: str = "",
                   respondent: Organisation | None = None, respondent_uscc: str = "", respondent_name: str = "",
                   respondent_shop_url: str = "", respondent_address: str = "", acts: list[dict] | None = None,
                   remedy_stop: bool = True, remedy_apology: bool = False, damages_claimed: object = None,
                   illegal_business_volume: object = None, preferred_channel: str = "",
                   both_willing_to_mediate: bool = False, deposit_nos: list[str] | None = None,
                   files: list | None = None, draft: Case | None = None, join: bool = False,
                   now: dt.datetime | None = None, referral: Referral | None = None) -> Filing:
    """File a complaint: validate, resolve the respondent, attach evidence, triage, number, assign, start the clock.

    A duplicate (same right, same respondent, open case) raises Conflict carrying ``duplicate`` (its
    number) unless ``join`` is true, in which case the evidence is added to the open case instead.
    """
    now = now or timezone.now()
    if referral is None and complainant.pk not in represented_org_ids(actor, scope="complaints"):
        raise Forbidden("您不能代表该主体投诉（需本单位账号或有效的授权委托）")
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = ["请填写案由"]
    if preferred_channel and preferred_channel not in Channel.values:
        errors["preferred_channel"] = [f"未知的渠道：{preferred_channel}"]
    rights = list(Right.objects.filter(pk__in=right_ids))
    if len(rights) != len(set(right_ids)):
        errors.setdefault("right_ids", []).append("有权利未在登记簿中找到")
    _check_rights(rights, complainant, errors)
    damages = _money(damages_claimed, "damages_claimed", errors)
    volume = _money(illegal_business_volume, "illegal_business_volume", errors)
    acts = acts or []
    for act in acts:
        if not isinstance(act, dict) or act.get("place_type", "online") not in PLACE_TYPES:
            errors.setdefault("acts", []).append(f"侵权地点类型应为：{'、'.join(PLACE_TYPES)}")
            break
    if respondent is None:
        try:
            respondent = resolve_respondent(uscc=respondent_uscc, name=respondent_name, shop_url=respondent_shop_url,
                                            address=respondent_address)
        except InvalidInput as exc:
            errors.setdefault("respondent", []).extend(sum(exc.errors.values(), []))
    if respondent is None and "respondent" not in errors:
        errors["respondent"] = ["请填写被投诉人（统一社会信用代码、名称、网店地址或地址）"]
    elif respondent is not None and respondent.pk == complainant.pk:
        errors["respondent"] = ["不能投诉本单位"]
    deposits = list(referral.deposits) if referral is not None else []
    for no in deposit_nos or []:
        found = evidence_selectors.deposits_visible_to(actor=actor).filter(deposit_no=no.strip().upper()).first()
        if found is None:
            errors.setdefault("deposit_nos", []).append(f"未找到存证 {no}")
        else:
            deposits.append(found)
    if not deposits and not files:
        errors.setdefault("evidence", []).append("请上传证据文件或引用已有存证")
    if errors:
        raise InvalidInput(errors)
    if files:
        outcome = evidence.make_deposit(actor=actor, title=f"投诉证据：{title.strip()}"[:200], files=files)
        deposits.append(outcome.deposit)
    duplicate = open_duplicate(right_ids=right_ids, respondent=respondent, exclude_pk=draft.pk if draft else None)
    if duplicate is not None:
        if not join:
            raise Conflict(f"已有未结案件 {duplicate.number} 针对同一权利和同一被投诉人，可加入该案件",
                           duplicate=duplicate.number)
        joined = _join(actor, duplicate, deposits, rights, now)
        if referral is not None:
            events.record(joined, actor, "referred", f"{actor} 移交并入本案：{referral.source}"[:300], at=now,
                          payload={"source": referral.source})
        return Filing(joined, joined=True)
    case = draft if draft is not None and draft.status == "draft" else Case(complainant=complainant, filed_by=actor)
    case.complainant, case.respondent, case.title, case.facts, case.acts = complainant, respondent, title.strip(), \
        facts, acts
    case.remedy_stop, case.remedy_apology, case.damages_claimed = remedy_stop, remedy_apology, damages
    case.illegal_business_volume, case.preferred_channel = volume, preferred_channel
    case.both_willing_to_mediate = both_willing_to_mediate
    case.agent = actor if actor.role == Role.AGENT else None
    case.right_type = rights[0].right_type
    case.district_id = (referral.district_id if referral is not None and referral.district_id else None) \
        or respondent.district_id or complainant.district_id
    result = triage(case, has_evidence=bool(deposits))
    case.complexity, case.proposed_channel, case.triage_rule = result.complexity, result.channel, result.rule
    case.channel = preferred_channel or result.channel
    code = codes.new_code()
    case.number, case.filed_at = events.next_number(now), now
    case.verification_hash = codes.digest(case.number, code)
    case.save()
    case.rights.set(rights)
    case.deposits.add(*deposits)
    case.assignee = events.pick_assignee(case)
    events.apply(case, "submit", actor, payload={"triage": result.reasons, "proposed_channel": result.channel},
                 now=now)
    events.record(case, None, "triage", f"分流建议：{case.get_complexity_display()}，"
                  f"{Channel(result.channel).label}", reason="；".join(result.reasons),
                  payload={"rule": result.rule.key if result.rule else None,
                           "version": result.rule.version if result.rule else None}, at=now)
    if referral is not None:
        events.record(case, actor, "referred", f"由 {actor} 代投诉人移交：{referral.source}"[:300], at=now,
                      payload={"source": referral.source, "filed_by": actor.username})
        events.tell(events.party_users(case, respondent=False), case, "referred",
                    f"您的投诉已移交立案：{case.number}", referral.source)
    if case.assignee:
        events.record(case, None, "assigned", f"按辖区和工作量分配给 {case.assignee}", at=now)
    evidence.submit_to_channel(actor=actor, deposits=deposits, channel=EVIDENCE_CHANNEL.get(case.channel, case.channel),
                               reference=case.number)
    events.tell(events.handlers_for(case), case, "filed", f"新案件 {case.number}：{case.title}")
    return Filing(case, triage=result, verification_code=code)


def refer_complaint(*, actor: User, complainant: Organisation, source: str, deposits: list, right_ids: list[int],
                    title: str, facts: str = "", respondent: Organisation | None = None,
                    acts: list[dict] | None = None, channel: str = Channel.ENFORCEMENT,
                    district_id: int | None = None, now: dt.datetime | None = None) -> Filing:
    """File a case on the complainant's behalf from a complaint lodged elsewhere (移交), e.g. at a fair booth.

    Why a separate entry point: the referrer (organiser or officer) does not act for the complainant, so the
    representation check of ``file_complaint`` cannot apply; instead the referrer's role is checked here, the
    case records the referrer as ``filed_by`` and a "referred" event names who transferred it and from where.
    The rights must still belong to the complainant and be in force. An open case on the same right against
    the same respondent is joined rather than duplicated.
    """
    if actor.role not in REFERRING_ROLES:
        raise Forbidden("只有执法人员或展会主办方/平台可以移交投诉")
    if not source.strip():
        raise InvalidInput({"source": ["请写明移交来源"]})
    return file_complaint(actor=actor, complainant=complainant, right_ids=right_ids, title=title, facts=facts,
                          respondent=respondent, acts=acts, preferred_channel=channel, join=True, now=now,
                          referral=Referral(source.strip(), list(deposits), district_id))


def _join(actor: User, case: Case, deposits: list, rights: list[Right], now: dt.datetime) -> Case:
    locked = events.lock(case, None)
    locked.deposits.add(*deposits)
    locked.rights.add(*rights)
    locked.version += 1
    locked.save(update_fields=["version", "updated_at"])
    events.record(locked, actor, "joined", f"{actor} 加入案件并补充证据 {len(deposits)} 份",
                  payload={"deposits": [d.deposit_no for d in deposits]}, at=now)
    evidence.submit_to_channel(actor=actor, deposits=deposits,
                               channel=EVIDENCE_CHANNEL.get(locked.channel, locked.channel), reference=locked.number)
    return locked
