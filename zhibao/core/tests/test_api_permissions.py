"""Walk every API endpoint with every demo user and assert the expected 200/201/403/404.

The matrix must cover every operation in the OpenAPI schema: a new endpoint
without a row here fails ``test_every_endpoint_is_in_the_permission_matrix``.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.utils import timezone

from zhibao.accounts.roles import Role
from zhibao.law import uscc as uscc_lib

STAFF = {Role.OFFICER, Role.MEDIATOR, Role.ARBITRATOR, Role.COURT_LIAISON, Role.TECH_INVESTIGATOR,
         Role.CREDIT_OFFICER, Role.DISTRICT_ADMIN, Role.CITY_ADMIN, Role.AUDITOR}
REGISTRARS = {Role.OFFICER, Role.DISTRICT_ADMIN, Role.CITY_ADMIN}
RIGHT_ADMINS = {Role.DISTRICT_ADMIN, Role.CITY_ADMIN}
XINGHE_SIDE = {"xinghe", "daili"}


def _sees_xinghe(user) -> bool:  # noqa: ANN001
    return user.role in STAFF or user.username in XINGHE_SIDE


def _change_xinghe(user, ok: int) -> int:  # noqa: ANN001
    if not _sees_xinghe(user):
        return 404
    return ok if (user.role in REGISTRARS or user.username in XINGHE_SIDE) else 403


def _change_xinghe_right(user, ok: int) -> int:  # noqa: ANN001
    if not _sees_xinghe(user):
        return 404
    return ok if (user.role in RIGHT_ADMINS or user.username in XINGHE_SIDE) else 403


def _create_xinghe_right(user) -> int:  # noqa: ANN001
    return _change_xinghe_right(user, 201)


def _may_import(user) -> int:  # noqa: ANN001
    has_org_side = user.role in (Role.RIGHT_HOLDER, Role.PLATFORM_OPERATOR) or user.username == "daili"
    return 201 if (user.role in RIGHT_ADMINS or has_org_side) else 403


# (method, path template) → expected status for a user
MATRIX = {
    ("GET", "/api/v1/me"): lambda u: 200,
    ("GET", "/api/v1/tokens"): lambda u: 200,
    ("POST", "/api/v1/tokens"): lambda u: 201,
    ("POST", "/api/v1/tokens/{token_id}/revoke"): lambda u: 200 if u.username == "xinghe" else 404,
    ("GET", "/api/v1/audit"): lambda u: 200 if u.role in (Role.AUDITOR, Role.CITY_ADMIN) else 403,
    ("GET", "/api/v1/orgs"): lambda u: 200,
    ("POST", "/api/v1/orgs"): lambda u: 201 if u.role in REGISTRARS else 403,
    ("GET", "/api/v1/orgs/{org_id}"): lambda u: 200 if _sees_xinghe(u) else 404,
    ("PATCH", "/api/v1/orgs/{org_id}"): lambda u: _change_xinghe(u, 200),
    ("POST", "/api/v1/orgs/{org_id}/active"):
        lambda u: (200 if u.role in RIGHT_ADMINS else 403) if _sees_xinghe(u) else 404,
    ("GET", "/api/v1/orgs/{org_id}/history"): lambda u: 200 if _sees_xinghe(u) else 404,
    ("GET", "/api/v1/rights"): lambda u: 200,
    ("POST", "/api/v1/rights"): _create_xinghe_right,
    ("GET", "/api/v1/rights/export"): lambda u: 200,
    ("POST", "/api/v1/rights/import"): _may_import,
    ("GET", "/api/v1/rights/{right_id}"): lambda u: 200 if _sees_xinghe(u) else 404,
    ("PATCH", "/api/v1/rights/{right_id}"): lambda u: _change_xinghe_right(u, 200),
    ("POST", "/api/v1/rights/{right_id}/licences"): lambda u: _change_xinghe_right(u, 201),
    ("GET", "/api/v1/rights/{right_id}/history"): lambda u: 200 if _sees_xinghe(u) else 404,
    ("PUT", "/api/v1/rights/{right_id}/gi-users"):
        lambda u: (200 if u.role in RIGHT_ADMINS else 403) if u.role in STAFF else 404,
    ("GET", "/api/v1/law/uscc/{code}"): lambda u: 200,
    ("GET", "/api/v1/law/deadline"): lambda u: 200,
    ("GET", "/api/v1/law/rules"): lambda u: 200,
    ("POST", "/api/v1/law/damages"): lambda u: 200,
    ("GET", "/api/v1/law/references"): lambda u: 200,
    ("POST", "/api/v1/law/thresholds"): lambda u: 200,
    ("POST", "/api/v1/evidence/deposits"): lambda u: 201,
    ("GET", "/api/v1/evidence/deposits/{deposit_no}"): lambda u: 200 if _sees_xinghe(u) else 404,
    # an unsupported scheme: proves every role may reach the capture service without launching a browser
    ("POST", "/api/v1/evidence/captures"): lambda u: 400,
    ("GET", "/api/v1/evidence/checklists/{channel}"): lambda u: 200,
    ("GET", "/api/v1/public/verify"): lambda u: 200,
    ("GET", "/api/v1/powers"): lambda u: 200,
    ("POST", "/api/v1/powers"): lambda u: 201 if u.role == Role.RIGHT_HOLDER else 403,
    ("POST", "/api/v1/powers/{power_id}/revoke"):
        lambda u: 200 if (u.username in XINGHE_SIDE or u.role == Role.CITY_ADMIN) else 404,
    # one's own inbox only: listing and marking all read work for everyone
    ("GET", "/api/v1/notifications"): lambda u: 200,
    ("POST", "/api/v1/notifications/read"): lambda u: 200,
    # takedown: the demo notice is 星河 (xinghe side) → 京购 (jinggou) against a 仿冒商贸 (fangmao) listing
    ("POST", "/api/v1/takedown/notices"):
        lambda u: 201 if u.username in XINGHE_SIDE else (403 if u.role in STAFF else 404),
    ("GET", "/api/v1/takedown/notices"): lambda u: 200,
    ("GET", "/api/v1/takedown/notices/{notice_id}"): lambda u: 200 if _sees_notice(u) else 404,
    ("GET", "/api/v1/takedown/queue"): lambda u: 200 if u.username == "jinggou" else 404,
    ("GET", "/api/v1/takedown/queue/page"): lambda u: 200 if u.username == "jinggou" else 404,
    ("GET", "/api/v1/takedown/relist-flags"): lambda u: 200 if u.username == "jinggou" else 404,
    ("POST", "/api/v1/takedown/relist-flags/{flag_id}/confirm"):
        lambda u: 200 if u.username == "jinggou" else (403 if u.role in STAFF else 404),
    ("POST", "/api/v1/takedown/listings"): lambda u: 201 if u.username == "jinggou" else 404,
    ("GET", "/api/v1/takedown/metrics"): lambda u: 200 if u.username == "jinggou" else 404,
    ("GET", "/api/v1/takedown/export"): lambda u: 200 if u.username == "jinggou" else 404,
    ("GET", "/api/v1/takedown/items/{item_id}"): lambda u: 200 if _sees_item(u) else 404,
    ("POST", "/api/v1/takedown/items/{item_id}/measure"): lambda u: _item_act(u, "jinggou", 200),
    ("POST", "/api/v1/takedown/items/{item_id}/served"): lambda u: _item_act(u, "jinggou", 200),
    # measures were taken by jinggou just before, but no counter-notice exists yet: 409 lists what is allowed
    ("POST", "/api/v1/takedown/items/{item_id}/forward-counter"): lambda u: _item_act(u, "jinggou", 409),
    # fangmao (the seller) comes before jinggou, so the listing is still pending: 409
    ("POST", "/api/v1/takedown/items/{item_id}/counter-notice"): lambda u: _item_act(u, "fangmao", 409),
    # daili asks while the listing is pending (409); by xinghe's turn it is down, so the empty form is a 400
    ("POST", "/api/v1/takedown/items/{item_id}/proceeding"):
        lambda u: {"daili": 409, "xinghe": 400}.get(u.username) or _item_act(u, "", 0),
    ("POST", "/api/v1/takedown/items/{item_id}/extend"):
        lambda u: 409 if u.username in XINGHE_SIDE else _item_act(u, "", 0),
    ("GET", "/api/v1/public/takedown-notices"): lambda u: 200,
    # cases: the demo case is 星河 → 仿冒商贸, enforcement, just received in 朝阳 (王执法's district)
    ("GET", "/api/v1/cases"): lambda u: 200,
    ("POST", "/api/v1/cases"): lambda u: 201 if u.username in XINGHE_SIDE else 403,
    ("GET", "/api/v1/cases/queue"): lambda u: 200,
    ("POST", "/api/v1/cases/bulk"): lambda u: 200,  # per-row report: rows the user may not file are row errors
    ("GET", "/api/v1/cases/export"): lambda u: 200,
    ("GET", "/api/v1/cases/{number}"): lambda u: 200 if _sees_case(u) else 404,
    # "investigate" is not allowed while received: handlers get 409 with the allowed transitions
    ("POST", "/api/v1/cases/{number}/transitions"): lambda u: _case_act(u, 409),
    ("POST", "/api/v1/cases/{number}/switch-channel"): lambda u: _case_act(u, 400),  # empty reason
    ("POST", "/api/v1/cases/{number}/decision"): lambda u: _case_act(u, 409),
    ("POST", "/api/v1/cases/{number}/clock"): lambda u: _case_act(u, 409),  # resume a running clock
    ("POST", "/api/v1/cases/{number}/mediation-consent"):
        lambda u: (409 if u.username in (*XINGHE_SIDE, "fangmao") else 403) if _sees_case(u) else 404,
    # drafts: one unfinished 星河 draft; filing it without respondent, rights or evidence is a 400
    ("GET", "/api/v1/cases/drafts"): lambda u: 200,
    ("POST", "/api/v1/cases/drafts"): lambda u: 201 if u.username in XINGHE_SIDE else 403,
    ("PUT", "/api/v1/cases/drafts/{draft_id}"): lambda u: 200 if u.username in XINGHE_SIDE else 404,
    ("POST", "/api/v1/cases/drafts/{draft_id}/file"): lambda u: 400 if u.username in XINGHE_SIDE else 404,
    ("GET", "/api/v1/cases/triage-rules"): lambda u: 200 if u.role in STAFF else 404,
    # an unknown channel: the city admin hears 400, other staff may not edit rules at all
    ("POST", "/api/v1/cases/triage-rules"):
        lambda u: (400 if u.role == Role.CITY_ADMIN else 403) if u.role in STAFF else 404,
    ("GET", "/api/v1/cases/{number}/messages"): lambda u: 200 if _sees_case(u) else 404,
    ("POST", "/api/v1/cases/{number}/messages"):
        lambda u: 201 if u.username in ("wangzhifa", "shiju", "fangmao", *XINGHE_SIDE) else _case_act(u, 0),
    ("POST", "/api/v1/cases/{number}/messages/read"): lambda u: 200 if _sees_case(u) else 404,
    ("GET", "/api/v1/cases/{number}/experts"): lambda u: 200 if _sees_case(u) else 404,
    ("POST", "/api/v1/cases/{number}/experts"): lambda u: _case_act(u, 400),  # no question, no investigator
    # the demo request goes to 周技术; a report without its file is a 400
    ("POST", "/api/v1/cases/experts/{request_id}/report"):
        lambda u: 400 if u.username in ("zhoujishu", "wangzhifa", "shiju") else _case_act(u, 0),
    ("POST", "/api/v1/cases/{number}/conflicts"):
        lambda u: 201 if u.username in ("wangzhifa", "shiju", "zhoujishu") else _case_act(u, 0),
    # the demo enforcement case has no hearing: handlers get 409 (hearing) / 409 (record outside the hearing stage)
    ("POST", "/api/v1/cases/{number}/hearing"): lambda u: _case_act(u, 409),
    ("POST", "/api/v1/cases/{number}/hearing-record"): lambda u: _case_act(u, 409),
    # reassignment by the city admin (empty reason → 400; 海淀's admin is of another district → 403)
    ("POST", "/api/v1/cases/{number}/assignee"):
        lambda u: (400 if u.username == "shiju" else 403) if _sees_case(u) else 404,
    ("POST", "/api/v1/cases/{number}/verification-code"):
        lambda u: (200 if u.username in XINGHE_SIDE else 403) if _sees_case(u) else 404,
    ("GET", "/api/v1/public/case-status"): lambda u: 200,
    # monitoring: 星河's demo watch list and its alert 星禾 ≈ 星河 (daili dismisses it first, then it is 409)
    ("GET", "/api/v1/monitoring/watch-lists"): lambda u: 200,
    ("POST", "/api/v1/monitoring/watch-lists"): lambda u: _change_xinghe_watch(u, 201),
    ("PATCH", "/api/v1/monitoring/watch-lists/{watch_list_id}"): lambda u: _change_xinghe_watch(u, 200),
    ("GET", "/api/v1/monitoring/alerts"): lambda u: 200,
    ("GET", "/api/v1/monitoring/alerts/export"): lambda u: 200,
    ("GET", "/api/v1/monitoring/alerts/{alert_id}"): lambda u: 200 if _sees_xinghe(u) else 404,
    ("POST", "/api/v1/monitoring/alerts/{alert_id}/dismiss"):
        lambda u: {"daili": 200, "xinghe": 409}.get(u.username) or _change_xinghe_watch(u, 0),
    ("POST", "/api/v1/monitoring/alerts/{alert_id}/confirm"): lambda u: _change_xinghe_watch(u, 409),
    ("POST", "/api/v1/monitoring/items"): lambda u: 201 if _may_submit_items(u) else 403,
    ("POST", "/api/v1/monitoring/announcements"): lambda u: 201 if _may_submit_items(u) else 403,
    ("POST", "/api/v1/monitoring/risk-check"): lambda u: 200,

    # credit: a published listing of 仿冒商贸 (fangmao) with a pending repair application; state-changing
    # calls are made so that a permitted user gets a deterministic 400/409 (empty reasons, illegal transition)
    ("GET", "/api/v1/credit/check"): lambda u: 200 if u.role in CREDIT_CHECKERS else 403,
    ("POST", "/api/v1/credit/check/batch"): lambda u: 200 if u.role in CREDIT_CHECKERS else 403,
    ("GET", "/api/v1/credit/changes"): lambda u: 200 if u.role in CREDIT_CHECKERS else 403,
    ("POST", "/api/v1/credit/subscriptions"): lambda u: 201 if u.role in CREDIT_CHECKERS else 403,
    ("POST", "/api/v1/credit/facts"):
        lambda u: 400 if u.role in (Role.CREDIT_OFFICER, Role.CITY_ADMIN, Role.COURT_LIAISON) else 403,
    ("GET", "/api/v1/credit/orgs/{org_id}"): lambda u: 200 if (_sees_xinghe(u) or u.role == Role.AGENCY) else 404,
    ("GET", "/api/v1/credit/listings/{listing_id}"): lambda u: 200 if _sees_listing(u) else 404,
    ("POST", "/api/v1/credit/listings/{listing_id}/review"): lambda u: _credit_act(u, 409),
    ("POST", "/api/v1/credit/listings/{listing_id}/dismiss"): lambda u: _credit_act(u, 400),
    ("POST", "/api/v1/credit/listings/{listing_id}/notice"): lambda u: _credit_act(u, 409),
    ("POST", "/api/v1/credit/listings/{listing_id}/decision"): lambda u: _credit_act(u, 400),
    ("POST", "/api/v1/credit/listings/{listing_id}/publish"): lambda u: _credit_act(u, 409),
    ("POST", "/api/v1/credit/listings/{listing_id}/supersede"): lambda u: _credit_act(u, 400),
    ("POST", "/api/v1/credit/repairs/{repair_id}/review"): lambda u: _credit_act(u, 400),
    ("POST", "/api/v1/credit/listings/{listing_id}/statement"): lambda u: _credit_entity(u, 409),
    ("POST", "/api/v1/credit/listings/{listing_id}/repairs"): lambda u: _credit_entity(u, 400),
    # fairs: the demo fair of 会展公司 (huizhan); a booth complaint 星河 → 仿冒商贸's booth A-101 made in setup
    ("GET", "/api/v1/fairs"): lambda u: 200,
    ("GET", "/api/v1/fairs/{fair_id}/exhibitors"): lambda u: 200,
    # the complaint page: right holders' side only (others 404); a party other than 星河's side may not use its name
    ("POST", "/api/v1/fairs/{fair_id}/complaints"):
        lambda u: 201 if u.username in XINGHE_SIDE else (403 if u.username in ("fangmao", "jinggou", "huizhan")
                                                         else 404),
    ("GET", "/api/v1/fairs/complaints/{complaint_id}"): lambda u: 200 if _sees_fair_complaint(u) else 404,
    # an unknown outcome: the organiser and officers/district admins get 400, other viewers 403
    ("POST", "/api/v1/fairs/complaints/{complaint_id}/handle"):
        lambda u: (400 if u.username == "huizhan" or u.role in (Role.OFFICER, Role.DISTRICT_ADMIN) else 403)
        if _sees_fair_complaint(u) else 404,
}

CREDIT_CHECKERS = {Role.AGENCY, Role.CREDIT_OFFICER, Role.CITY_ADMIN}


def _sees_fair_complaint(user) -> bool:  # noqa: ANN001
    """The complainant's side, the respondent, the organiser, and staff."""
    return user.role in STAFF or user.username in (*XINGHE_SIDE, "fangmao", "huizhan")


def _sees_listing(user) -> bool:  # noqa: ANN001
    return user.role in STAFF or user.role == Role.AGENCY or user.username == "fangmao"


def _credit_act(user, ok: int) -> int:  # noqa: ANN001
    if user.role in (Role.CREDIT_OFFICER, Role.CITY_ADMIN):
        return ok
    return 403 if _sees_listing(user) else 404


def _credit_entity(user, ok: int) -> int:  # noqa: ANN001
    if user.username == "fangmao":
        return ok
    return 403 if _sees_listing(user) else 404


def _change_xinghe_watch(user, ok: int) -> int:  # noqa: ANN001
    """星河's watch lists and alerts: its side acts, staff only read (403), others do not see them (404)."""
    if user.username in XINGHE_SIDE:
        return ok
    return 403 if user.role in STAFF else 404


def _may_submit_items(user) -> bool:  # noqa: ANN001
    return user.role in (Role.RIGHT_HOLDER, Role.AGENT, Role.PLATFORM_OPERATOR, Role.OFFICER, Role.DISTRICT_ADMIN,
                         Role.CITY_ADMIN)


def _sees_case(user) -> bool:  # noqa: ANN001
    return _sees_xinghe(user) or user.username == "fangmao"


def _case_act(user, ok: int) -> int:  # noqa: ANN001
    """Handlers of the demo enforcement case (王执法 of 朝阳, the city admin) get ``ok``; other viewers 403."""
    if user.username in ("wangzhifa", "shiju"):
        return ok
    return 403 if _sees_case(user) else 404


def _sees_notice(user) -> bool:  # noqa: ANN001
    return _sees_xinghe(user) or user.username == "jinggou"


def _sees_item(user) -> bool:  # noqa: ANN001
    return _sees_notice(user) or user.username == "fangmao"


def _item_act(user, who: str, ok: int) -> int:  # noqa: ANN001
    """``who`` may act on the demo notice's listing; others who see it get 403, the rest 404."""
    if user.username == who:
        return ok
    return 403 if _sees_item(user) else 404


def _relist_flag(item):  # noqa: ANN001, ANN202
    """A relisting flag on 京购's platform: a copy of the demo notice's listing under a new id."""
    from zhibao.takedown.models import Fingerprint, Listing, RelistFlag

    listing = item.listing
    fingerprint = Fingerprint.objects.create(platform=listing.platform, listing=listing, item=item,
                                             title_key="matrix", seller_key="matrix")
    copy = Listing.objects.create(platform=listing.platform, shop=listing.shop, listing_id="MATRIX-R1",
                                  title=listing.title)
    return RelistFlag.objects.create(listing=copy, fingerprint=fingerprint, matched_on="标题")


def _schema_operations() -> set[tuple[str, str]]:
    from zhibao.api import api

    schema = api.get_openapi_schema()
    ops = set()
    for path, methods in schema["paths"].items():
        for method in methods:
            ops.add((method.upper(), path))
    return ops


def test_every_endpoint_is_in_the_permission_matrix(db):  # noqa: ANN001
    assert _schema_operations() == set(MATRIX)


@pytest.mark.django_db
def test_every_role_gets_the_expected_status_on_every_endpoint(demo, orgs, client_as):  # noqa: ANN001
    from zhibao.accounts import services as accounts
    from zhibao.evidence import services as evidence
    from zhibao.rights.models import Right
    from zhibao.takedown.models import NoticeItem

    xinghe_org = orgs["xinghe"]
    right = Right.objects.get(number="45678901")
    gi = Right.objects.get(right_type="gi")
    token, _ = accounts.issue_token(actor=demo["xinghe"], name="matrix", scopes=["orgs:read"])
    deposit = evidence.make_deposit(actor=demo["xinghe"], title="matrix", files=[],
                                    statement="星河科技的书面声明").deposit
    # a separate, narrow power to revoke, so revoking it leaves the agent's general authority intact
    power = accounts.grant_power_of_attorney(actor=demo["xinghe"], agent=demo["daili"], principal=xinghe_org,
                                             scope="notices")
    td_item = NoticeItem.objects.get(listing__listing_id="JG-100001")
    relist_flag = _relist_flag(td_item)
    from zhibao.cases.demo import DEMO_OPEN_TITLE
    from zhibao.cases.models import Case

    case_number = Case.objects.get(title=DEMO_OPEN_TITLE).number
    demo_case = Case.objects.get(number=case_number)
    from zhibao.cases import people as case_people
    from zhibao.cases import services as case_services

    draft = case_services.save_draft(actor=demo["xinghe"], complainant=xinghe_org, title="矩阵草稿")
    expert_request = case_people.request_expert(
        actor=demo["wangzhifa"], case=demo_case, kind="investigator", question="矩阵：技术问题",
        due_date=timezone.localdate() + dt.timedelta(days=30), expert=demo["zhoujishu"])
    from zhibao.monitoring.models import Alert

    mon_alert = Alert.objects.get(screening__name="星禾", right__title="星河")

    credit_listing, repair = _published_credit_listing(demo, orgs)
    fair_complaint = _fair_complaint(demo, orgs)
    failures = []
    for n, user in enumerate(sorted(demo.values(), key=lambda u: u.username)):
        client = client_as(user.username)
        params = {"deposit_no": deposit.deposit_no, "token_id": token.pk, "org_id": xinghe_org.pk, "right_id": right.pk, "power_id": power.pk, "channel": "court",
                  "item_id": td_item.pk, "notice_id": td_item.notice_id, "number": case_number,
                  "flag_id": relist_flag.pk,
                  "alert_id": mon_alert.pk, "watch_list_id": mon_alert.watch_list_id,

                  "listing_id": credit_listing.pk, "repair_id": repair.pk,
                  "draft_id": draft.pk, "request_id": expert_request.pk,
                  "fair_id": fair_complaint.fair_id, "complaint_id": fair_complaint.pk,
                  "code": uscc_lib.make_uscc("91110105MA7" + f"{n:06d}")}
        for (method, template), expect in MATRIX.items():
            # the GI belongs to 平谷大桃协会, for which no demo party acts
            path = template.format(**{**params, "right_id": gi.pk} if template.endswith("gi-users") else params)
            body = _body(method, template, n, xinghe_org, orgs)
            if template == "/api/v1/cases":
                body = {**_case_body(n, xinghe_org), "deposit_nos": [deposit.deposit_no]}
            if template in ("/api/v1/cases/drafts", "/api/v1/cases/drafts/{draft_id}"):
                body = {**(body or {}), "complainant_id": xinghe_org.pk}
            if template == "/api/v1/evidence/deposits":
                upload = io.BytesIO(f"证据 {n}".encode())
                upload.name = f"e{n}.txt"
                response = client.post(path, {"title": f"证据 {n}", "files": upload})
            elif template == "/api/v1/public/verify":
                response = client.get(path, {"sha256": "0" * 64})
            elif template == "/api/v1/cases/bulk":
                upload = io.BytesIO(b"complainant_uscc,right_numbers,title,deposit_nos\nNOPE,45678901,X,NONE\n")
                upload.name = "cases.csv"
                response = client.post(path, {"file": upload})
            elif template == "/api/v1/rights/import":
                upload = io.BytesIO(b"right_type,title,owner_uscc\ntrademark,X,NOPE\n")
                upload.name = "r.csv"
                response = client.post(path, {"file": upload})
            elif template == "/api/v1/monitoring/announcements":
                upload = io.BytesIO(f"申请号,商标名称,类别,初审公告日期\n7{n:07d},星河{n},9,2026-11-20\n".encode())
                upload.name = "a.csv"
                response = client.post(path, {"file": upload})

            elif template == "/api/v1/cases/{number}/messages" and method == "POST":
                response = client.post(path, {"body": f"矩阵消息 {n}"})
            elif template == "/api/v1/cases/experts/{request_id}/report":
                response = client.post(path, {"summary": "矩阵意见"})
            elif template == "/api/v1/credit/check":
                response = client.get(path, {"uscc": orgs["fangmao"].uscc, "measure": "procurement"})
            elif template == "/api/v1/law/deadline":
                response = client.get(path, {"start": "2026-09-16", "days": 15})
            elif method == "GET":
                response = client.get(path)
            else:
                response = getattr(client, method.lower())(path, data=json.dumps(body or {}),
                                                           content_type="application/json")
            expected = expect(user)
            if response.status_code != expected:
                failures.append(f"{user.username}({user.role}) {method} {path}: {response.status_code} != {expected}"
                                f" {response.content[:200]!r}")
    assert not failures, "\n".join(failures)


def _case_body(n: int, xinghe_org) -> dict:  # noqa: ANN001
    from zhibao.rights.models import Right

    return {"complainant_id": xinghe_org.pk, "right_ids": [Right.objects.get(number="45678901").pk],
            "title": f"矩阵投诉 {n}", "respondent_name": f"矩阵被投诉网店 {n}"}


_CASE_BODIES = {
    "/api/v1/cases/drafts": {"title": "矩阵草稿"},  # complainant_id is added per run
    "/api/v1/cases/drafts/{draft_id}": {"title": "矩阵草稿（改）"},
    "/api/v1/cases/drafts/{draft_id}/file": {},
    "/api/v1/cases/triage-rules": {"key": "matrix", "name": "矩阵规则", "conditions": {}, "complexity": "simple",
                                   "channel": "nowhere"},
    "/api/v1/cases/{number}/experts": {"kind": "investigator", "question": "", "due_date": "2099-01-01"},
    "/api/v1/cases/{number}/conflicts": {"has_conflict": False},
    "/api/v1/cases/{number}/hearing": {"mode": "onsite", "at": "2026-12-21T09:30:00+08:00"},
    "/api/v1/cases/{number}/hearing-record": {"record": "矩阵笔录"},
    "/api/v1/cases/{number}/transitions": {"action": "investigate"},
    "/api/v1/cases/{number}/switch-channel": {"channel": "mediation", "reason": ""},
    "/api/v1/cases/{number}/decision": {"infringement_found": True, "legal_basis": "《商标法》第六十条"},
    "/api/v1/cases/{number}/clock": {"op": "resume", "reason": "核对"},
    "/api/v1/cases/{number}/mediation-consent": {"agree": True},
    "/api/v1/cases/{number}/assignee": {"assignee_id": 1, "reason": ""},
}
def _published_credit_listing(demo, orgs):  # noqa: ANN001, ANN202
    """仿冒商贸 listed early in 2025 (so repair is open now), with one pending repair application."""
    import datetime as dt

    from django.utils import timezone

    from zhibao.credit import services as credit

    then = dt.datetime(2025, 1, 10, 10, tzinfo=timezone.get_default_timezone())
    officer = demo["qianxinyong"]
    credit.record_fact(actor=officer, organisation=orgs["fangmao"], kind="administrative_penalty",
                       occurred_on="2024-12-20", legal_basis="《商标法》第六十条", summary="第二次销售侵权商品",
                       source_type="manual", source_ref="matrix-1")
    listing = orgs["fangmao"].credit_listings.get()
    credit.start_review(actor=officer, listing=listing, now=then)
    credit.serve_notice(actor=officer, listing=listing, now=then)
    credit.decide(actor=officer, listing=listing, list_entity=True, reasons="两次认定侵权", now=then + dt.timedelta(days=10))
    credit.publish(actor=officer, listing=listing, now=then + dt.timedelta(days=10))
    repair = credit.apply_repair(actor=demo["fangmao"], listing=listing, evidence_kinds=["penalty_paid"],
                                 statement="已缴纳罚款")
    return listing, repair


def _fair_complaint(demo, orgs):  # noqa: ANN001, ANN202
    from zhibao.fairs import services as fairs
    from zhibao.fairs.models import Exhibitor
    from zhibao.rights.models import Right

    return fairs.file_complaint(actor=demo["xinghe"], respondent=Exhibitor.objects.get(organisation=orgs["fangmao"]),
                                complainant=orgs["xinghe"], right_ids=[Right.objects.get(number="45678901").pk],
                                description="A-101 展出带“星河”标识的音箱，未经许可。")


def _body(method: str, template: str, n: int, xinghe_org, orgs) -> dict | None:  # noqa: ANN001
    if method == "GET":
        return None
    if template == "/api/v1/fairs/{fair_id}/complaints":
        from zhibao.fairs.models import Exhibitor
        from zhibao.rights.models import Right

        return {"respondent_id": Exhibitor.objects.get(organisation=orgs["fangmao"]).pk,
                "complainant_id": xinghe_org.pk, "right_ids": [Right.objects.get(number="45678901").pk],
                "description": f"矩阵投诉 {n}：展位展出带“星河”标识的音箱"}
    if template == "/api/v1/fairs/complaints/{complaint_id}/handle":
        return {"outcome": "burn", "note": "矩阵处理"}
    if template in _CASE_BODIES:
        return _CASE_BODIES[template]
    if template == "/api/v1/credit/check/batch":
        return {"uscc": [orgs["fangmao"].uscc], "measure": "procurement"}
    if template == "/api/v1/credit/facts":
        return {"organisation_id": orgs["fangmao"].pk, "kind": "positive", "occurred_on": "2026-01-01",
                "legal_basis": "x", "summary": "", "source_ref": f"m-{n}"}
    if template == "/api/v1/credit/listings/{listing_id}/decision":
        return {"list_entity": True, "reasons": ""}
    if template == "/api/v1/credit/listings/{listing_id}/supersede":
        return {"reasons": ""}
    if template == "/api/v1/credit/listings/{listing_id}/statement":
        return {"text": "陈述"}
    if template == "/api/v1/credit/listings/{listing_id}/repairs":
        return {"evidence_kinds": [], "statement": ""}
    if template == "/api/v1/credit/repairs/{repair_id}/review":
        return {"approve": False, "reason": ""}
    if template == "/api/v1/tokens":
        return {"name": f"t{n}", "scopes": ["orgs:read"]}
    if template == "/api/v1/orgs":
        return {"name": f"测试主体{n}", "uscc": uscc_lib.make_uscc("91110105MA8" + f"{n:06d}"),
                "district_code": "110105"}
    if template == "/api/v1/orgs/{org_id}":
        return {"address": f"北京市海淀区测试路 {n} 号"}
    if template == "/api/v1/rights":
        return {"owner_id": xinghe_org.pk, "right_type": "trademark", "title": f"星河{n}",
                "number": f"9900{n:04d}", "nice_classes": [9]}
    if template == "/api/v1/rights/{right_id}":
        return {"goods": f"计算机软件 {n}"}
    if template == "/api/v1/rights/{right_id}/gi-users":
        return {"organisation_ids": [orgs["licensee"].pk]}
    if template == "/api/v1/orgs/{org_id}/active":
        return {"active": True, "reason": "核实后恢复"}
    if template == "/api/v1/law/damages":
        return {"right_type": "trademark", "actual_loss": "100000"}
    if template == "/api/v1/law/thresholds":
        return {"right_type": "trademark", "act": "counterfeit_mark", "illegal_business_volume": "62000"}
    if template == "/api/v1/evidence/captures":
        return {"url": "file:///etc/hostname"}
    if template == "/api/v1/powers":
        return {"agent": "daili", "scope": "rights"}
    if template == "/api/v1/powers/{power_id}/revoke":
        return {"reason": "合同到期"}
    if template == "/api/v1/takedown/notices":
        from zhibao.rights.models import Right
        from zhibao.takedown.models import Platform

        return {"notifier_id": xinghe_org.pk, "platform_id": Platform.objects.get().pk,
                "right_ids": [Right.objects.get(number="45678901").pk], "goods_class": 9,
                "statement": "使用星河注册商标的同类商品，承诺通知真实。",
                "listings": [{"listing_id": f"M-{n}", "title": f"星河音箱 {n}", "shop_id": "m"}]}
    if template == "/api/v1/monitoring/watch-lists":
        from zhibao.rights.models import Right

        return {"owner_id": xinghe_org.pk, "name": f"清单{n}", "right_ids": [Right.objects.get(number="45678901").pk]}
    if template == "/api/v1/monitoring/watch-lists/{watch_list_id}":
        return {"threshold": "0.75"}
    if template == "/api/v1/monitoring/alerts/{alert_id}/dismiss":
        return {"reason": "被许可人"}
    if template == "/api/v1/monitoring/items":
        return {"source": "crawl", "items": [{"name": f"星河{n}", "reference": f"https://example.com/{n}"}]}
    if template == "/api/v1/monitoring/risk-check":
        return {"name": "星禾", "nice_classes": [9]}
    if template == "/api/v1/takedown/listings":
        return [{"listing_id": f"P-{n}", "title": f"平台商品 {n}", "shop_id": "p"}]  # type: ignore[return-value]
    if template == "/api/v1/takedown/items/{item_id}/measure":
        return {"measure": "remove"}
    if template == "/api/v1/takedown/relist-flags/{flag_id}/confirm":
        return {"note": f"矩阵确认 {n}"}
    if template == "/api/v1/takedown/items/{item_id}/counter-notice":
        return {"statement": "本店商品为正品，附进货凭证。", "deposit_nos": []}
    if template == "/api/v1/takedown/items/{item_id}/extend":
        return {"working_days": 5, "reason": "域外证据公证"}
    if template == "/api/v1/rights/{right_id}/licences":
        return {"licensee_id": orgs["licensee"].pk, "fee": "1000.00", "start": "2025-01-01"}
    return {}
