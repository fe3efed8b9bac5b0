"""Pages: case list with filters and export, work queue, intake (draft, then file), the case page with its
timeline, clocks and handling forms, the decision PDF, and the public status lookup (no login)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from zhibao.accounts.selectors import represented_org_ids
from zhibao.cases import bulk, events, from_alert, people, selectors, services
from zhibao.cases.api import EXPORT_HEADERS
from zhibao.cases.forms import (
    ACT_LABELS,
    ActionForm,
    ClockForm,
    DecisionForm,
    FilterForm,
    HearingForm,
    HearingRecordForm,
    IntakeForm,
    ReassignForm,
    StatusLookupForm,
    SwitchForm,
    TriageRuleForm,
)
from zhibao.cases.intake import EVIDENCE_CHANNEL, PLACE_TYPES
from zhibao.cases.models import Case
from zhibao.cases.rules import complainant_side, respondent_side
from zhibao.core import optional_apps
from zhibao.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhibao.core.exports import export_response
from zhibao.core.forms import add_service_errors
from zhibao.core.pagination import paginate, query_without_page
from zhibao.core.pdf import pdf_response
from zhibao.evidence import selectors as evidence_selectors
from zhibao.orgs.models import Organisation
from zhibao.rights.models import Right

CRUMB = ("案件", "/cases/")


def _case_or_404(user, number: str) -> Case:  # noqa: ANN001
    try:
        return selectors.case_for(user, number)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
def case_list(request):  # noqa: ANN001, ANN201
    form = FilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = selectors.cases_visible_to(actor=request.user, **{k: v for k, v in filters.items() if v})
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        rows = ([c.number, c.title, c.get_channel_display(), c.get_status_display(), c.complainant.name,
                 c.respondent.name if c.respondent else "", c.district_id or "", str(c.assignee or ""),
                 timezone.localtime(c.due_at).strftime("%Y-%m-%d") if c.due_at else "", c.due_rule,
                 timezone.localtime(c.filed_at).strftime("%Y-%m-%d %H:%M") if c.filed_at else ""]
                for c in cases[:50000])
        return export_response(fmt, "cases", EXPORT_HEADERS, rows)
    return render(request, "cases/list.html", {
        "form": form, "page": paginate(cases, request.GET.get("page")), "querystring": query_without_page(request),
        "may_file": bool(represented_org_ids(request.user, scope="complaints")), "now": timezone.now(),
        "breadcrumbs": [(CRUMB[0], None)]})


@login_required
def queue(request):  # noqa: ANN001, ANN201
    cases = selectors.queue_for(actor=request.user)
    return render(request, "cases/queue.html", {
        "page": paginate(cases, request.GET.get("page")), "now": timezone.now(),
        "overdue": selectors.overdue_cases(actor=request.user).count(),
        "breadcrumbs": [CRUMB, ("工作队列", None)]})


def _intake_choices(user) -> tuple[list, list]:  # noqa: ANN001
    org_ids = represented_org_ids(user, scope="complaints")
    complainants = [(o.pk, o.name) for o in Organisation.objects.filter(pk__in=org_ids).order_by("name")]
    rights = Right.objects.filter(owner_id__in=org_ids, status=Right.Status.VALID).select_related("owner")
    return complainants, [(r.pk, f"{r}（{r.owner.name}）") for r in rights]


@login_required
def intake(request, draft_pk: int | None = None):  # noqa: ANN001, ANN201
    complainants, rights = _intake_choices(request.user)
    if not complainants:
        raise Http404("您没有可代表投诉的主体")
    draft = None
    if draft_pk is not None:
        try:
            draft = selectors.draft_for(request.user, draft_pk)
        except NotFound as exc:
            raise Http404(exc.message) from exc
    initial, alert = {}, None
    if draft is None and request.method == "GET" and request.GET.get("from_alert"):
        try:
            alert = optional_apps.monitoring_alert_draft(actor=request.user, alert_id=request.GET["from_alert"])
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        initial = from_alert.intake_initial(alert) if alert is not None else {}
    if draft is not None:
        initial = {"complainant": draft.complainant_id, "rights": list(draft.rights.values_list("pk", flat=True)),
                   "title": draft.title, "facts": draft.facts, "damages_claimed": draft.damages_claimed,
                   "preferred_channel": draft.preferred_channel, "remedy_stop": draft.remedy_stop,
                   "remedy_apology": draft.remedy_apology, "both_willing_to_mediate": draft.both_willing_to_mediate}
    form = IntakeForm(request.POST or None, request.FILES or None, complainants=complainants, rights=rights,
                      initial=initial)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        complainant = Organisation.objects.get(pk=form.cleaned_data["complainant"])
        try:
            if "save_draft" in request.POST:
                draft = services.save_draft(
                    actor=request.user, complainant=complainant, draft=draft, title=kwargs["title"],
                    right_ids=kwargs["right_ids"], facts=kwargs["facts"], acts=kwargs["acts"],
                    damages_claimed=kwargs["damages_claimed"], preferred_channel=kwargs["preferred_channel"],
                    remedy_stop=kwargs["remedy_stop"], remedy_apology=kwargs["remedy_apology"],
                    both_willing_to_mediate=kwargs["both_willing_to_mediate"])
                messages.success(request, "草稿已保存，可稍后继续填写")
                return redirect("cases:draft", draft_pk=draft.pk)
            filing = services.file_complaint(actor=request.user, complainant=complainant, draft=draft, **kwargs)
            messages.success(request, f"已加入案件 {filing.case.number}" if filing.joined else
                             f"投诉已提交，案件编号 {filing.case.number}，查询码 {filing.verification_code}"
                             "（只显示这一次，请妥善保存；遗失可在案件页重新生成）")
            return redirect("cases:detail", number=filing.case.number)
        except InvalidInput as exc:
            add_service_errors(form, exc, aliases={"right_ids": "rights", "evidence": "files", "respondent":
                                                   "respondent_name"})
        except Conflict as exc:
            duplicate = exc.extra.get("duplicate")
            messages.error(request, exc.message)
        except Forbidden as exc:
            messages.error(request, exc.message)
    drafts = Case.objects.filter(status="draft", complainant_id__in=[c[0] for c in complainants]).order_by("-updated_at")
    return render(request, "cases/intake.html", {
        "form": form, "draft": draft, "duplicate": duplicate, "drafts": drafts[:20], "alert": alert,
        "breadcrumbs": [CRUMB, ("投诉", None)]})


def _handlers(case: Case) -> list[tuple[int, str]]:
    return [(u.pk, f"{u}（{u.get_role_display()}）") for u in selectors.eligible_handlers(case)]


def _handle_post(request, case: Case) -> str | None:  # noqa: ANN001
    """Run the posted form's service; returns a new verification code when one was generated (shown once)."""
    which = request.POST.get("form")
    if which == "code":
        return services.regenerate_verification_code(actor=request.user, case=case)
    if which == "reassign":
        form = ReassignForm(request.POST, prefix="reassign", handlers=_handlers(case))
        if not form.is_valid():
            raise InvalidInput({k: [str(e) for e in v] for k, v in form.errors.items()})
        from zhibao.accounts.models import User

        services.reassign(actor=request.user, case=case, assignee=User.objects.get(pk=form.cleaned_data["assignee"]),
                          reason=form.cleaned_data["reason"], expected_version=form.cleaned_data["expected_version"])
        return None
    if which == "consent":
        services.consent_to_mediation(actor=request.user, case=case, agree=request.POST.get("agree") == "1")
        return None
    if which == "message":
        people.send_message(actor=request.user, case=case, body=request.POST.get("body", ""),
                            files=request.FILES.getlist("files"), is_service=request.POST.get("is_service") == "on")
        return None
    form_class = {"action": ActionForm, "switch": SwitchForm, "decision": DecisionForm, "clock": ClockForm,
                  "hearing": HearingForm, "hearing_record": HearingRecordForm}[which]
    form = form_class(request.POST, prefix=which)
    if not form.is_valid():
        raise InvalidInput({k: [str(e) for e in v] for k, v in form.errors.items()})
    d = form.cleaned_data
    version = d.pop("expected_version")
    if which == "action":
        if d["action"] == "reject":
            services.reject(actor=request.user, case=case, legal_reason=d["reason"], expected_version=version)
        else:
            services.advance(actor=request.user, case=case, action=d["action"], reason=d["reason"],
                             expected_version=version)
    elif which == "switch":
        services.switch_channel(actor=request.user, case=case, expected_version=version, **d)
    elif which == "decision":
        services.decide(actor=request.user, case=case, expected_version=version, **d)
    elif which == "hearing":
        services.schedule_hearing(actor=request.user, case=case, expected_version=version, **d)
    elif which == "hearing_record":
        services.record_hearing(actor=request.user, case=case, record=d["record"])
    else:
        op = {"pause": services.pause_clock, "resume": services.resume_clock, "extend": services.extend_clock}[d["op"]]
        op(actor=request.user, case=case, reason=d["reason"], expected_version=version)
    return None


@login_required
def case_detail(request, number: str):  # noqa: ANN001, ANN201
    case = _case_or_404(request.user, number)
    may_handle = request.user.has_perm("cases.handle_case", case)
    new_code = None
    if request.method == "POST":
        try:
            new_code = _handle_post(request, case)
            if new_code is None:
                messages.success(request, "已办理")
                return redirect("cases:detail", number=case.number)
            # rendered, not redirected: the new code must not wait in a session or cookie
        except (InvalidInput, Conflict, Forbidden, KeyError) as exc:
            text = str(exc) if isinstance(exc, InvalidInput) else getattr(exc, "message", "无效的请求")
            messages.error(request, text)
        case = _case_or_404(request.user, number)
    else:
        people.mark_read(actor=request.user, case=case)
    allowed = events.allowed_actions(case) if may_handle else []
    initial = {"expected_version": case.version}
    is_party = complainant_side(request.user, case) or respondent_side(request.user, case)
    deposits = list(case.deposits.all())
    checklist = None
    if may_handle or complainant_side(request.user, case):  # the respondent cannot see the complainant's deposits
        checklist = evidence_selectors.checklist_for(
            actor=request.user, channel=EVIDENCE_CHANNEL.get(case.channel, case.channel),
            deposit_nos=[d.deposit_no for d in deposits])
    return render(request, "cases/detail.html", {
        "checklist": checklist, "unlabelled_deposits": sum(1 for d in deposits if not d.category),
        "acts": [{"act": ACT_LABELS.get(a.get("act", ""), a.get("act", "")),
                  "place_type": PLACE_TYPES.get(a.get("place_type", ""), a.get("place_type", "")),
                  "place": a.get("place", "")} for a in case.acts or [] if isinstance(a, dict)],
        "case": case, "events": selectors.timeline(case), "decision": selectors.decision_for(case),
        "rights": case.rights.all(), "deposits": deposits, "may_handle": may_handle,
        "messages_list": case.messages.select_related("sender", "deposit"),
        "experts": case.expert_requests.select_related("expert", "institution", "report"),
        "declarations": case.conflict_declarations.select_related("user"),
        "allowed": [(a, events.ACTIONS[a]) for a in allowed if a not in ("decide", "hold_hearing")],
        "may_decide": "decide" in allowed, "may_schedule_hearing": "hold_hearing" in allowed,
        "hearing_form": HearingForm(prefix="hearing", initial=initial),
        "hearing_record_form": HearingRecordForm(prefix="hearing_record", initial=initial), "now": timezone.now(), "act_labels": ACT_LABELS,
        "action_form": ActionForm(prefix="action", initial=initial),
        "switch_form": SwitchForm(prefix="switch", initial=initial),
        "decision_form": DecisionForm(prefix="decision", initial=initial),
        "clock_form": ClockForm(prefix="clock", initial=initial),
        "show_code": complainant_side(request.user, case), "new_code": new_code,
        "reassign_form": ReassignForm(prefix="reassign", initial=initial, handlers=_handlers(case))
        if request.user.has_perm("cases.reassign_case", case) and case.is_open else None,
        "may_consent": is_party and case.channel == "mediation" and case.status == "invited",
        "breadcrumbs": [CRUMB, (case.number, None)]})


@login_required
def decision_pdf(request, number: str):  # noqa: ANN001, ANN201
    case = _case_or_404(request.user, number)
    decision = selectors.decision_for(case)
    if decision is None:
        raise Http404("该案件尚无决定")
    return pdf_response("cases/decision_pdf.html", {"case": case, "decision": decision, "rights": case.rights.all()},
                        f"{case.number}-decision.pdf")


@login_required
def mediation_document(request, number: str, kind: str):  # noqa: ANN001, ANN201
    """调解协议书 (agreement) or 司法确认申请书 (confirmation application), from the recorded agreement."""
    case = _case_or_404(request.user, number)
    if case.channel != "mediation" or not case.agreement_terms:
        raise Http404("该案件没有调解协议")
    template = {"agreement": "cases/agreement_pdf.html", "confirmation": "cases/confirmation_pdf.html"}[kind]
    agreed = case.events.filter(kind="reach_agreement").order_by("-at").first()
    return pdf_response(template, {"case": case, "rights": case.rights.all(), "agreed_at": agreed.at if agreed else None,
                                   "now": timezone.now()}, f"{case.number}-{kind}.pdf")


@login_required
def bulk_upload(request):  # noqa: ANN001, ANN201
    """Agents upload a CSV of complaints and get a per-row report."""
    report, error = None, ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise InvalidInput({"file": ["请选择 CSV 文件"]})
            report = bulk.bulk_file(actor=request.user, content=upload.read())
        except InvalidInput as exc:
            error = str(exc)
    return render(request, "cases/bulk.html", {"report": report, "error": error, "columns": bulk.COLUMNS,
                                               "breadcrumbs": [CRUMB, ("批量投诉", None)]})


@login_required
def triage_rules(request):  # noqa: ANN001, ANN201
    """The 繁简分流 rules: everyone on staff reads them; the city administrator saves new versions."""
    from zhibao.accounts.selectors import is_staff_role
    from zhibao.cases.models import TriageRule

    if not is_staff_role(request.user):
        raise Http404("未找到")
    editable = request.user.role == "city_admin"
    form = TriageRuleForm(request.POST or None, initial=request.GET or None)
    if request.method == "POST" and editable and form.is_valid():
        try:
            rule = services.save_triage_rule(actor=request.user, **form.cleaned_data)
            messages.success(request, f"已保存 {rule}")
            return redirect("cases:triage_rules")
        except InvalidInput as exc:
            add_service_errors(form, exc)
    return render(request, "cases/triage_rules.html", {
        "current": TriageRule.objects.filter(is_current=True).order_by("priority", "key"),
        "history": TriageRule.objects.filter(is_current=False).select_related("created_by").order_by("key", "-version"),
        "form": form if editable else None, "breadcrumbs": [CRUMB, ("分流规则", None)]})


def public_decisions(request):  # noqa: ANN001, ANN201
    """No login: published decisions, respondent masked when it is a natural person or unidentified."""
    page = paginate(selectors.published_decisions(), request.GET.get("page"))
    rows = [(d, selectors.mask_party(d.case.respondent)) for d in page]
    return render(request, "cases/public_decisions.html", {"page": page, "rows": rows})


def public_status(request):  # noqa: ANN001, ANN201
    """No login: number + the complainant's verification code → channel, status, current deadline only."""
    form = StatusLookupForm(request.GET or None)
    case = None
    searched = form.is_bound and form.is_valid()
    if searched:
        case = selectors.public_status(number=form.cleaned_data["number"], code=form.cleaned_data["code"])
    return render(request, "cases/public_status.html", {"form": form, "case": case, "searched": searched})
