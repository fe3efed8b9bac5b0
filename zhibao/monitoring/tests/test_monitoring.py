"""Monitoring end to end: announcement → alerts with reasons and deadline → triage → deposit and draft."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhibao.monitoring import services, tasks
from zhibao.monitoring.models import Alert, Screening, WatchList
from zhibao.notifications.models import Notification

CSV_HEAD = "申请号,商标名称,类别,申请人,申请人统一社会信用代码,初审公告日期,公告期号\n"


def _csv(*rows: str) -> bytes:
    return (CSV_HEAD + "\n".join(rows) + "\n").encode("utf-8")


def _upload(content: bytes, name: str = "announcement.csv") -> io.BytesIO:
    f = io.BytesIO(content)
    f.name = name
    return f


@pytest.fixture
def submit(django_capture_on_commit_callbacks):  # noqa: ANN001, ANN201
    """Submit items and run the on-commit screening task, as the worker would after the commit."""

    def run(**kwargs):  # noqa: ANN003, ANN202
        with django_capture_on_commit_callbacks(execute=True):
            items = services.submit_items(**kwargs)
        return items

    return run


def _post_json(client, url: str, body: dict):  # noqa: ANN001, ANN202
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_demo_announcement_raises_alerts_for_planted_look_alikes_only(demo):
    names = set(Alert.objects.filter(watch_list__owner__name="北京星河科技有限公司")
                .values_list("screening__name", flat=True))
    assert {"星禾", "猩河", "星河生活", "XINGHE"} <= names
    assert "月亮湾" not in names and "科技生活" not in names
    assert "星河" not in names  # same name, but class 30 (food) is neither the same nor a related class
    gi = Alert.objects.get(kind="gi")
    assert gi.screening.name == "平谷大桃" and "核准使用人" in gi.reasons[1]


@pytest.mark.django_db
def test_application_alert_names_reasons_and_the_opposition_deadline_rule(demo):
    alert = Alert.objects.get(screening__name="星禾", right__title="星河")
    assert any("同音" in r or "形近" in r for r in alert.reasons)
    assert any("第 9 类" in r for r in alert.reasons)
    assert alert.deadline == dt.date(2027, 2, 15)  # 2026-11-13 + 3 months = 02-13 (Sat) → Monday 02-15
    assert "商标法》第三十三条" in alert.deadline_rule


@pytest.mark.django_db
def test_import_via_api_screens_and_notifies_the_owner(demo, client_as, django_capture_on_commit_callbacks):
    before = Notification.objects.filter(recipient=demo["xinghe"], kind="monitoring.alert").count()
    with django_capture_on_commit_callbacks(execute=True):
        r = client_as("xinghe").post("/api/v1/monitoring/announcements",
                                     {"file": _upload(_csv("79000001,星河智联,9,某公司,,2026-11-20,第1969期"))})
    assert r.status_code == 201, r.content
    assert r.json()[0]["status"] == "pending"  # screened in the background after the commit
    assert Screening.objects.get(pk=r.json()[0]["id"]).alert_count >= 1
    assert Notification.objects.filter(recipient=demo["xinghe"], kind="monitoring.alert").count() > before
    assert not Notification.objects.filter(recipient=demo["fangmao"], kind="monitoring.alert").exists()


@pytest.mark.django_db
def test_the_owners_own_application_raises_no_alert(submit, demo, orgs):
    items = submit(actor=demo["xinghe"], source="application", items=[
        {"name": "星河", "nice_classes": [9], "party_uscc": orgs["xinghe"].uscc, "reference": "79000002",
         "announced_on": "2026-11-20"}])
    assert Screening.objects.get(pk=items[0].pk).alert_count == 0


@pytest.mark.django_db
def test_crawled_page_copying_a_registered_work_is_an_alert_with_the_passage(submit, demo):
    work = "《星辰大海》分镜脚本与成片说明（演示）"
    items = submit(actor=demo["xinghe"], source="crawl", items=[
        {"name": "某网站视频页", "reference": "https://example.com/v/1", "text": f"转载：{work} 未经授权"}])
    alert = Alert.objects.get(screening_id=items[0].pk)
    assert alert.right.title.startswith("星河品牌宣传片")
    assert any("重合" in r for r in alert.reasons)


@pytest.mark.django_db
def test_gi_name_used_by_an_authorised_user_raises_no_alert(submit, demo):
    from zhibao.orgs.models import Organisation

    orchard = Organisation.objects.get(name="北京平谷绿源果品专业合作社")
    ok = submit(actor=demo["jinggou"], source="listing", items=[
        {"name": "平谷大桃 5 斤装", "party": orchard.name, "party_uscc": orchard.uscc}])
    bad = submit(actor=demo["jinggou"], source="listing", items=[
        {"name": "正宗平谷大桃 5 斤装", "party": "某网店"}])
    by_name = submit(actor=demo["huizhan"], source="exhibit", items=[{"name": "平谷大桃礼盒", "party": orchard.name}])
    assert not Alert.objects.filter(screening_id=ok[0].pk).exists()
    assert not Alert.objects.filter(screening_id=by_name[0].pk).exists()
    assert Alert.objects.get(screening_id=bad[0].pk).kind == "gi"


@pytest.mark.parametrize("name, reason", [
    ("", "不能为空"), ("   ", "不能为空"), ("星" * 101, "过长"), ("星\x01河", "控制字符"),
])
@pytest.mark.django_db
def test_bad_names_are_400_naming_the_item(demo, client_as, name, reason):
    r = _post_json(client_as("xinghe"), "/api/v1/monitoring/items",
                   {"source": "crawl", "items": [{"name": "好的"}, {"name": name}]})
    assert r.status_code == 400
    assert reason in json.dumps(r.json(), ensure_ascii=False)
    assert "items[1].name" in r.json()["errors"]


@pytest.mark.parametrize("content, reason", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00binary", "不是文本"),
    (b"PK\x03\x04corrupt", "无法读取 XLSX"),
    ("商标名称,类别\n星河,9\n".encode(), "缺少必需的列"),
    (_csv("79000003,星河,99,某公司,,2026-11-20,"), "第 2 行 nice_classes"),
    (_csv("79000004,星河,9,某公司,,2026-13-45,"), "第 2 行 announced_on"),
    (CSV_HEAD.encode(), "没有数据行"),
])
@pytest.mark.django_db
def test_bad_announcement_files_are_400_and_import_nothing(demo, client_as, content, reason):
    count = Screening.objects.count()
    r = client_as("xinghe").post("/api/v1/monitoring/announcements", {"file": _upload(content)})
    assert r.status_code == 400, r.content
    assert reason in json.dumps(r.json(), ensure_ascii=False)
    assert Screening.objects.count() == count


@pytest.mark.django_db
def test_unknown_source_is_400_and_wrong_types_422(demo, client_as):
    c = client_as("xinghe")
    assert _post_json(c, "/api/v1/monitoring/items", {"source": "tv", "items": [{"name": "星河"}]}).status_code == 400
    assert _post_json(c, "/api/v1/monitoring/items", {"source": "crawl", "items": []}).status_code == 400
    assert _post_json(c, "/api/v1/monitoring/items", {"source": "crawl", "items": [{"name": 5, "x": 1}]}).status_code == 422


@pytest.mark.django_db
def test_a_failing_item_is_recorded_and_retried_at_most_max_attempts(submit, demo, monkeypatch):
    def boom(*a, **k):  # noqa: ANN002, ANN003, ANN202
        raise RuntimeError("index unavailable")

    monkeypatch.setattr(services.rules_engine, "hits_for", boom)
    item = submit(actor=demo["xinghe"], source="crawl", items=[{"name": "星禾"}])[0]
    item.refresh_from_db()
    assert (item.status, item.attempts) == ("pending", 1) and "index unavailable" in item.error
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    for _ in range(5):
        tasks.retry_screenings(now=later)
    item.refresh_from_db()
    assert (item.status, item.attempts) == ("failed", services.MAX_ATTEMPTS)
    monkeypatch.undo()
    assert "0 条" in tasks.retry_screenings(now=later)  # a failed item is not retried again


@pytest.mark.django_db
def test_pending_items_are_screened_by_the_periodic_job(demo):
    item = Screening.objects.create(source="crawl", name="星禾耳机", submitted_by=demo["xinghe"])
    summary = tasks.retry_screenings(now=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5))
    item.refresh_from_db()
    assert item.status == "done" and item.alert_count >= 1 and "新增预警" in summary


@pytest.mark.django_db
def test_other_parties_cannot_see_an_alert_and_staff_cannot_triage(demo, client_as):
    alert = Alert.objects.filter(watch_list__owner__name="北京星河科技有限公司").first()
    url = f"/api/v1/monitoring/alerts/{alert.pk}"
    assert client_as("fangmao").get(url).status_code == 404
    assert client_as("fangmao").get("/api/v1/monitoring/alerts").json()["count"] == 0
    assert client_as("wangzhifa").get(url).status_code == 200
    r = _post_json(client_as("wangzhifa"), url + "/dismiss", {"reason": "x"})
    assert r.status_code == 403
    assert client_as("fangmao").get(f"/monitoring/alerts/{alert.pk}/").status_code == 404
    assert client_as("fangmao").post(f"/monitoring/alerts/{alert.pk}/confirm/").status_code == 404
    assert client_as("wangzhifa").post(f"/monitoring/alerts/{alert.pk}/confirm/").status_code == 403
    assert client_as("wangzhifa").post(f"/monitoring/watch-lists/{alert.watch_list_id}/threshold/",
                                       {"threshold": "0.5"}).status_code == 403
    assert client_as("daili").get(url).status_code == 200  # agent under a power of attorney


@pytest.mark.django_db
def test_dismiss_needs_a_reason_and_twice_is_409_with_allowed_transitions(demo, client_as):
    alert = Alert.objects.filter(watch_list__owner__name="北京星河科技有限公司", status="new").first()
    c = client_as("xinghe")
    url = f"/api/v1/monitoring/alerts/{alert.pk}/dismiss"
    assert _post_json(c, url, {"reason": "  "}).status_code == 400
    r = _post_json(c, url, {"reason": "被许可人银汉软件", "true_positive": True})
    assert r.status_code == 200 and r.json()["status"] == "dismissed"
    r = _post_json(c, url, {"reason": "again"})
    assert r.status_code == 409 and "allowed_transitions" in json.dumps(r.json())
    alert.refresh_from_db()
    assert [e.action for e in alert.events.all()] == ["raised", "dismissed"]


@pytest.mark.django_db
def test_confirm_deposits_evidence_and_returns_a_draft(demo, client_as):
    alert = Alert.objects.get(screening__name="星禾", right__title="星河")
    r = _post_json(client_as("xinghe"), f"/api/v1/monitoring/alerts/{alert.pk}/confirm", {})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["alert"]["status"] == "confirmed" and body["deposit_no"].startswith("ZBCZ")
    assert body["draft"]["kind"] == "opposition" and body["draft"]["deadline"] == "2027-02-15"
    assert body["draft"]["right_id"] == alert.right_id
    from zhibao.evidence.models import Deposit

    deposit = Deposit.objects.get(deposit_no=body["deposit_no"])
    assert "星禾" in deposit.statement and "同一类别" in deposit.statement
    page = client_as("xinghe").get(f"/monitoring/alerts/{alert.pk}/draft/")
    assert page.status_code == 200 and "商标异议要点" in page.content.decode()
    assert _post_json(client_as("xinghe"), f"/api/v1/monitoring/alerts/{alert.pk}/confirm", {}).status_code == 409


@pytest.mark.django_db
def test_precision_per_watch_list_and_threshold_adjustment(demo, client_as):
    c = client_as("xinghe")
    alerts = list(Alert.objects.filter(watch_list__name="星河品牌监测", status="new")[:2])
    services.dismiss_alert(actor=demo["xinghe"], alert=alerts[0], reason="误报")
    services.confirm_alert(actor=demo["xinghe"], alert=alerts[1])
    wl = c.get("/api/v1/monitoring/watch-lists").json()["items"]
    mine = next(w for w in wl if w["name"] == "星河品牌监测")
    assert (mine["precision"], mine["judged"]) == (0.5, 2)
    r = c.patch(f"/api/v1/monitoring/watch-lists/{mine['id']}", data=json.dumps({"threshold": "1.5"}),
                content_type="application/json")
    assert r.status_code == 400 and "threshold" in r.json()["errors"]
    r = c.patch(f"/api/v1/monitoring/watch-lists/{mine['id']}", data=json.dumps({"threshold": "0.95"}),
                content_type="application/json")
    assert r.status_code == 200 and r.json()["threshold"] == "0.95"
    page = c.get("/monitoring/")
    assert "50%（1/2）" in page.content.decode()


@pytest.mark.django_db
def test_higher_threshold_drops_weaker_hits(submit, demo, orgs):
    wl = WatchList.objects.get(name="星河品牌监测")
    services.set_threshold(actor=demo["xinghe"], watch_list=wl, threshold="0.99")
    items = submit(actor=demo["xinghe"], source="listing", items=[{"name": "猩河音箱"}])
    assert not Alert.objects.filter(screening_id=items[0].pk, watch_list=wl).exists()


@pytest.mark.django_db
def test_watch_list_only_for_own_rights(demo, orgs, client_as):
    from zhibao.rights.models import Right

    own = Right.objects.get(number="45678901")
    foreign = Right.objects.get(number="56789012")
    c = client_as("xinghe")
    body = {"owner_id": orgs["xinghe"].pk, "name": "新清单", "right_ids": [own.pk, foreign.pk]}
    assert _post_json(c, "/api/v1/monitoring/watch-lists", body).status_code == 400
    body["right_ids"] = [own.pk]
    assert _post_json(c, "/api/v1/monitoring/watch-lists", body).status_code == 201
    assert _post_json(client_as("fangmao"), "/api/v1/monitoring/watch-lists", body).status_code == 404
    assert _post_json(client_as("wangzhifa"), "/api/v1/monitoring/watch-lists", body).status_code == 403


@pytest.mark.django_db
def test_risk_check_lists_similar_marks_and_renders_a_pdf(demo, client_as):
    c = client_as("fangmao")
    r = _post_json(c, "/api/v1/monitoring/risk-check", {"name": "星禾", "nice_classes": [9]})
    assert r.status_code == 200
    body = r.json()
    assert body["level"] == "高" and body["hits"][0]["title"] == "星河"
    assert isinstance(body["hits"][0]["credit"], list)
    r = _post_json(c, "/api/v1/monitoring/risk-check", {"name": "仿冒优品", "nice_classes": [35]})
    hit = next(h for h in r.json()["hits"] if h["title"] == "仿冒优选")
    # from the credit register, fed by the demo cases' decisions against 仿冒商贸
    assert any("行政处罚" in line and "2024-06-15" in line for line in hit["credit"])
    assert _post_json(c, "/api/v1/monitoring/risk-check", {"name": " "}).status_code == 400
    assert _post_json(c, "/api/v1/monitoring/risk-check", {"name": "星河", "nice_classes": [0]}).status_code == 400
    page = c.get("/monitoring/risk/", {"name": "星禾", "nice_classes": "9"})
    assert page.status_code == 200 and "<svg" in page.content.decode()
    pdf = c.get("/monitoring/risk/", {"name": "星禾", "nice_classes": "9", "pdf": "1"})
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    bad = c.get("/monitoring/risk/", {"name": "星禾", "nice_classes": "abc"})
    assert bad.status_code == 200 and "尼斯分类应为" in bad.content.decode()


@pytest.mark.django_db
def test_alert_list_page_and_api_have_bounded_queries(submit, demo, client_as, django_assert_max_num_queries):
    for n in range(30):
        submit(actor=demo["xinghe"], source="listing", items=[{"name": f"星禾耳机{n}号"}])
    c = client_as("xinghe")
    with django_assert_max_num_queries(14):
        r = c.get("/monitoring/")
    assert r.status_code == 200 and "星禾耳机" in r.content.decode()
    with django_assert_max_num_queries(8):
        assert c.get("/api/v1/monitoring/alerts?limit=50").status_code == 200
    with django_assert_max_num_queries(8):
        assert c.get("/api/v1/monitoring/watch-lists").status_code == 200


@pytest.mark.django_db
def test_alert_pages_and_exports(demo, client_as):
    c = client_as("xinghe")
    alert = Alert.objects.get(screening__name="猩河", right__title="星河")
    page = c.get(f"/monitoring/alerts/{alert.pk}/").content.decode()
    assert "side-by-side" in page and "同音" in page
    assert c.get("/monitoring/", {"q": "猩河"}).content.decode().count("猩河") >= 1
    csv = c.get("/monitoring/", {"export": "csv"})
    assert csv.status_code == 200 and "猩河".encode() in csv.content
    xlsx = c.get("/api/v1/monitoring/alerts/export", {"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert c.get("/api/v1/monitoring/alerts/export", {"format": "pdf"}).status_code == 400
    r = c.post(f"/monitoring/alerts/{alert.pk}/dismiss/", {"reason": ""})
    assert r.status_code == 302
    alert.refresh_from_db()
    assert alert.status == "new"
    c.post(f"/monitoring/alerts/{alert.pk}/confirm/")
    alert.refresh_from_db()
    assert alert.status == "confirmed" and alert.deposit_id


@pytest.mark.django_db
def test_watch_list_and_import_pages(demo, client_as, orgs):
    from zhibao.rights.models import Right

    c = client_as("xinghe")
    own = Right.objects.get(number="45678902")
    r = c.post("/monitoring/watch-lists/new/", {"owner": orgs["xinghe"].pk, "name": "英文商标", "rights": [own.pk],
                                               "threshold": "0.8"})
    assert r.status_code == 302 and WatchList.objects.filter(name="英文商标").exists()
    r = c.post("/monitoring/watch-lists/new/", {"owner": orgs["xinghe"].pk, "name": "英文商标", "rights": [own.pk],
                                               "threshold": "0.1"})
    assert r.status_code == 200 and "0.30" in r.content.decode()
    r = c.post("/monitoring/import/", {"file": _upload(b"\x00\x01binary")})
    assert r.status_code == 200 and "不是文本" in r.content.decode()
    r = c.post("/monitoring/import/", {"file": _upload(_csv("79000009,星河云,42,某公司,,2026-11-20,"))})
    assert r.status_code == 200 and "import-result" in r.content.decode()


@pytest.mark.django_db
def test_cli_screen_json_and_bad_input_exit_2(demo, tmp_path):
    f = tmp_path / "a.csv"
    f.write_bytes(_csv("79000010,星河优选,35,某公司,,2026-11-20,第1969期"))
    out = io.StringIO()
    call_command("monitoring", "screen", "--user", "haidian", "--file", str(f), "--json", stdout=out)
    body = json.loads(out.getvalue())
    assert body["screened"] == 1 and body["alerts"] and body["alerts"][0]["watched_right"]
    out = io.StringIO()
    call_command("monitoring", "screen", "--user", "jinggou", "--source", "listing", "--name", "猩河音箱",
                 "--json", stdout=out)
    assert json.loads(out.getvalue())["alerts"]
    for args in (["--user", "nobody", "--file", str(f)], ["--user", "haidian", "--file", str(tmp_path / "no.csv")],
                 ["--user", "haidian", "--source", "crawl", "--name", " "], ["--user", "haidian"]):
        with pytest.raises(CommandError) as exc:
            call_command("monitoring", "screen", *args)
        assert exc.value.returncode == 2
    out = io.StringIO()
    call_command("monitoring", "risk", "星禾", "--user", "fangmao", "--nice-class", "9",
                 "--pdf", str(tmp_path / "r.pdf"), "--json", stdout=out)
    assert json.loads(out.getvalue())["level"] == "高" and (tmp_path / "r.pdf").read_bytes()[:4] == b"%PDF"
    out = io.StringIO()
    call_command("monitoring", "alerts", "--user", "xinghe", "--json", stdout=out)
    assert len(json.loads(out.getvalue())) >= 8


def _logo(seed: int = 7) -> bytes:
    import random

    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    img = Image.new("RGB", (320, 240), "white")
    d = ImageDraw.Draw(img)
    for _ in range(14):
        x, y = rng.randrange(300), rng.randrange(220)
        d.ellipse((x, y, x + rng.randrange(20, 120), y + rng.randrange(20, 100)),
                  fill=tuple(rng.randrange(256) for _ in range(3)))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def _b64(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode()


@pytest.mark.django_db
def test_listing_image_mirrored_copy_of_a_watched_specimen_is_an_alert(submit, demo):
    from django.core.files.base import ContentFile
    from PIL import Image, ImageOps

    from zhibao.rights.models import Right

    right = Right.objects.get(number="45678902")  # XINGHE, on 星河's watch list
    right.mark_image.save("xinghe.png", ContentFile(_logo()), save=True)
    mirrored = io.BytesIO()
    ImageOps.mirror(Image.open(io.BytesIO(_logo()))).save(mirrored, "PNG")
    other = _logo(seed=99)
    items = submit(actor=demo["jinggou"], source="listing", items=[
        {"name": "蓝牙耳机", "images": [_b64(mirrored.getvalue())]}, {"name": "无关耳机", "images": [_b64(other)]}])
    alert = Alert.objects.get(screening_id=items[0].pk)
    assert alert.right == right and any("镜像" in r for r in alert.reasons)
    assert any("汉明距离" in r for r in alert.reasons)
    assert not Alert.objects.filter(screening_id=items[1].pk).exists()


@pytest.mark.django_db
def test_listing_image_rotated_copy_of_a_watched_specimen_is_found_by_pdq(submit, demo):
    """pHash (whole image, sub-windows, mirror image) misses a quarter turn; PDQ's eight variants do not."""
    from django.core.files.base import ContentFile
    from PIL import Image

    from zhibao.rights.models import Right

    right = Right.objects.get(number="45678902")
    right.mark_image.save("xinghe.png", ContentFile(_logo()), save=True)
    rotated = io.BytesIO()
    Image.open(io.BytesIO(_logo())).rotate(90, expand=True).save(rotated, "JPEG", quality=80)
    items = submit(actor=demo["jinggou"], source="listing", items=[
        {"name": "蓝牙耳机", "images": [_b64(rotated.getvalue())]}, {"name": "无关耳机", "images": [_b64(_logo(99))]}])
    assert len(Screening.objects.get(pk=items[0].pk).image_hashes[0][2]) == 64  # PDQ stored at submission
    alert = Alert.objects.get(screening_id=items[0].pk)
    assert alert.right == right and any(r.startswith("图像近似：PDQ 汉明距离") for r in alert.reasons)
    assert "旋转后近似（PDQ）" in alert.reasons and not any("pHash" in r for r in alert.reasons)
    assert alert.score >= alert.watch_list.threshold
    assert not Alert.objects.filter(screening_id=items[1].pk).exists()


@pytest.mark.django_db
def test_items_hashed_before_pdq_are_still_screened_by_phash(demo):
    from django.core.files.base import ContentFile

    from zhibao.rights.models import Right

    right = Right.objects.get(number="45678902")
    right.mark_image.save("xinghe.png", ContentFile(_logo()), save=True)
    plain, mirrored, _pdq = services._image_hashes(_logo())
    item = Screening.objects.create(source="listing", name="蓝牙耳机", image_hashes=[[plain, mirrored]])
    assert services.screen(screening_id=item.pk) == 1
    assert any("pHash" in r for r in Alert.objects.get(screening=item).reasons)


@pytest.mark.django_db
def test_corrupt_or_non_image_uploads_are_400(demo, client_as):
    c = client_as("jinggou")
    for images, reason in ((["!!notbase64"], "base64"), ([_b64(b"\x89PNG\r\n\x1a\n truncated")], "无法解码"),
                           ([_b64(b"GIF89a")] * 6, "最多 5 张")):
        r = _post_json(c, "/api/v1/monitoring/items", {"source": "listing", "items": [{"name": "耳机", "images": images}]})
        assert r.status_code == 400, r.content
        assert reason in json.dumps(r.json(), ensure_ascii=False)
