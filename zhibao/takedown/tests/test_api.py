"""The takedown API: scoped tokens, bad input as 4xx JSON, another platform's notice is 404, public feed masked."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from zhibao.accounts import services as accounts
from zhibao.accounts.roles import Role
from zhibao.law import uscc as uscc_lib
from zhibao.orgs import services as orgs_services
from zhibao.rights.models import Right
from zhibao.takedown import services
from zhibao.takedown.models import NoticeItem, Platform


def _bearer(user, scopes):  # noqa: ANN001, ANN202
    _, raw = accounts.issue_token(actor=user, name="t", scopes=scopes)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _post(client, path, body):  # noqa: ANN001, ANN202
    return client.post(path, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def notice_body(demo, orgs):  # noqa: ANN001, ANN201
    def make(n: int, start: int = 0) -> dict:
        return {"notifier_id": orgs["xinghe"].pk, "platform_id": Platform.objects.get().pk,
                "right_ids": [Right.objects.get(number="45678901").pk], "goods_class": 9,
                "statement": "使用星河注册商标的同类商品，承诺通知真实。",
                "listings": [{"listing_id": f"A-{start + i}", "title": f"星河音箱 {i}", "shop_id": "s",
                              "seller_uscc": orgs["fangmao"].uscc} for i in range(n)]}
    return make


def test_right_holder_files_300_listings_by_token_and_301_is_a_400(demo, notice_body):  # noqa: ANN001
    client = _bearer(demo["xinghe"], ["takedown:notices"])
    ok = _post(client, "/api/v1/takedown/notices", notice_body(300))
    assert ok.status_code == 201, ok.content
    assert len(ok.json()["items"]) == 300
    too_many = _post(client, "/api/v1/takedown/notices", notice_body(301, 1000))
    assert too_many.status_code == 400
    assert "300" in too_many.json()["errors"]["listings"][0]
    wrong_scope = _post(_bearer(demo["xinghe"], ["rights:read"]), "/api/v1/takedown/notices", notice_body(1, 5000))
    assert wrong_scope.status_code == 403
    typo = _post(client, "/api/v1/takedown/notices", {**notice_body(1, 6000), "colour": "red"})
    assert typo.status_code == 422


def test_platform_pulls_queue_and_posts_measures_and_another_platform_gets_404(demo, orgs, notice_body):  # noqa: ANN001
    _post(_bearer(demo["xinghe"], ["takedown:notices"]), "/api/v1/takedown/notices", notice_body(2))
    jinggou = _bearer(demo["jinggou"], ["takedown:platform"])
    queue = jinggou.get("/api/v1/takedown/queue").json()
    assert queue["count"] == 3  # the demo notice's listing and the two just filed
    item_id = queue["items"][-1]["id"]
    bad = _post(jinggou, f"/api/v1/takedown/items/{item_id}/measure", {"measure": "no_action"})
    assert bad.status_code == 400 and "reason" in bad.json()["errors"]
    done = _post(jinggou, f"/api/v1/takedown/items/{item_id}/measure", {"measure": "remove"})
    assert done.status_code == 200 and done.json()["status"] == "taken_down"
    again = _post(jinggou, f"/api/v1/takedown/items/{item_id}/measure", {"measure": "block"})
    assert again.status_code == 409 and "allowed_transitions" in again.json()
    # a second platform's operator with a valid token cannot see or act on 京购's notices
    other_org = orgs_services.register_organisation(
        actor=None, name="北京另一平台有限公司", kind="company", sector="ecommerce_platform",
        uscc=uscc_lib.make_uscc("91110105MA7" + "999999"), district_code="110105")
    other_user = accounts.create_user(actor=None, username="other_op", password="Zhibao@Demo2026x",
                                      role=Role.PLATFORM_OPERATOR, organisation=other_org, check_password=False)
    services.register_platform(actor=None, organisation=other_org, name="另一平台")
    other = _bearer(other_user, ["takedown:platform"])
    assert _post(other, f"/api/v1/takedown/items/{item_id}/measure", {"measure": "remove"}).status_code == 404
    assert other.get(f"/api/v1/takedown/items/{item_id}").status_code == 404
    assert other.get("/api/v1/takedown/queue").json()["count"] == 0


def test_the_queue_pages_by_cursor_through_every_item_once_and_back(demo, orgs, notice_body):  # noqa: ANN001
    _post(_bearer(demo["xinghe"], ["takedown:notices"]), "/api/v1/takedown/notices", notice_body(5))
    jinggou = _bearer(demo["jinggou"], ["takedown:platform"])
    everything = [i["id"] for i in jinggou.get("/api/v1/takedown/queue", {"limit": 100}).json()["items"]]
    assert len(everything) == 6  # the demo notice's listing and the five just filed
    seen, pages, after = [], [], ""
    while True:
        page = jinggou.get("/api/v1/takedown/queue/page", {"limit": 2, "after": after}).json()
        assert page["count"] == 6 and page["count_capped"] is False
        pages.append(page)
        seen += [i["id"] for i in page["items"]]
        if not page["next_cursor"]:
            break
        after = page["next_cursor"]
    assert seen == everything and len(pages) == 3  # the offset queue's order, each item once
    back = jinggou.get("/api/v1/takedown/queue/page", {"limit": 2, "before": pages[2]["prev_cursor"]}).json()
    assert [i["id"] for i in back["items"]] == everything[2:4]


@pytest.mark.parametrize("params, field", [
    ({"after": "nonsense"}, "cursor"),
    ({"after": "x", "before": "y"}, "cursor"),
    ({"limit": 0}, "limit"),
    ({"status": "vanished"}, "status"),
])
def test_a_bad_queue_page_request_is_400_naming_the_field(demo, params, field):  # noqa: ANN001
    r = _bearer(demo["jinggou"], ["takedown:platform"]).get("/api/v1/takedown/queue/page", params)
    assert r.status_code == 400 and field in r.json()["errors"]


def test_served_receipt_twice_is_idempotent(demo, notice_body):  # noqa: ANN001
    jinggou = _bearer(demo["jinggou"], ["takedown:platform"])
    item_id = NoticeItem.objects.get(listing__listing_id="JG-100001").pk
    first = _post(jinggou, f"/api/v1/takedown/items/{item_id}/served", {"served_at": "2026-11-20T10:00:00+08:00"})
    second = _post(jinggou, f"/api/v1/takedown/items/{item_id}/served", {"served_at": "2026-11-21T10:00:00+08:00"})
    assert first.status_code == second.status_code == 200
    at = [dt.datetime.fromisoformat(r.json()["seller_served_at"].replace("Z", "+00:00")) for r in (first, second)]
    assert at[0] == at[1] == dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)


def test_public_feed_masks_natural_persons_and_needs_no_login(demo, orgs):  # noqa: ANN001
    platform = Platform.objects.get()
    services.file_notice(actor=demo["xinghe"], notifier=orgs["xinghe"], platform=platform,
                         right_ids=[Right.objects.get(number="45678901").pk], goods_class=9,
                         statement="使用星河注册商标的同类商品，承诺通知真实。",
                         listings=[{"listing_id": "P-1", "title": "星河音箱", "seller_name": "王小明"}])
    data = Client().get("/api/v1/public/takedown-notices").json()
    sellers = {i["listing_id"]: i["seller"] for n in data["items"] for i in n["items"]}
    assert sellers["P-1"] == "王**"
    assert sellers["JG-100001"] == orgs["fangmao"].name  # an organisation with a USCC is shown


def test_platform_bulk_export_csv_and_bad_format(demo):  # noqa: ANN001
    jinggou = _bearer(demo["jinggou"], ["takedown:platform"])
    csv = jinggou.get("/api/v1/takedown/export?format=csv&status=")
    assert csv.status_code == 200
    assert "JG-100001" in csv.content.decode("utf-8-sig")
    assert jinggou.get("/api/v1/takedown/export?format=pdf").status_code == 400
    xlsx = jinggou.get("/api/v1/takedown/export?format=xlsx&status=")
    assert xlsx.content[:2] == b"PK"
