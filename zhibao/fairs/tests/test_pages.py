"""Fair pages: the exhibitor signs the pledge and files an exhibit, a booth complaint is filed and handled."""

from __future__ import annotations

import io

from PIL import Image

from zhibao.fairs.models import BoothComplaint, Exhibitor, Fair
from zhibao.rights.models import Right


def _png() -> io.BytesIO:
    buf = io.BytesIO()
    Image.new("RGB", (40, 40), "red").save(buf, "PNG")
    buf.seek(0)
    buf.name = "booth.png"
    return buf


def test_exhibitor_pages_file_and_sign(demo, orgs, client_as):  # noqa: ANN001
    booth = Exhibitor.objects.get(organisation=orgs["xinghe"])
    url = f"/fairs/exhibitors/{booth.pk}/"
    client = client_as("xinghe")
    mark = Right.objects.get(number="45678901")
    assert client.post(url, {"filing-exhibit": "星河 S1", "filing-right": mark.pk}).status_code == 302
    bad = client.post(url, {"pledge-signer_name": "张星河"})
    assert "请阅读并同意承诺内容" in bad.content.decode()
    assert client.post(url, {"pledge-signer_name": "张星河", "pledge-agree": "on"}).status_code == 302
    assert 'data-testid="pledge-signed"' in client.get(url).content.decode()
    assert client_as("fangmao").get(url).status_code == 404
    assert client_as("huizhan").get(url).status_code == 200


def test_complaint_form_and_handling_pages(demo, orgs, client_as, django_assert_max_num_queries):  # noqa: ANN001
    fair = Fair.objects.get()
    respondent = Exhibitor.objects.get(organisation=orgs["fangmao"])
    client = client_as("xinghe")
    mark = Right.objects.get(number="45678901")
    bad = client.post(f"/fairs/{fair.pk}/complain/", {"respondent": respondent.pk, "complainant": orgs["xinghe"].pk,
                                                      "rights": [mark.pk], "description": "短"})
    assert bad.status_code == 200 and "至少 10 个字" in bad.content.decode()
    response = client.post(f"/fairs/{fair.pk}/complain/", {
        "respondent": respondent.pk, "complainant": orgs["xinghe"].pk, "rights": [mark.pk],
        "description": "A-101 展出带“星河”标识的音箱。", "photos": _png()})
    assert response.status_code == 302
    complaint = BoothComplaint.objects.get()
    assert complaint.deposit is not None
    organiser = client_as("huizhan")
    page = organiser.get(f"/fairs/complaints/{complaint.pk}/").content.decode()
    assert 'data-testid="handle-form"' in page
    assert client_as("jinggou").get(f"/fairs/complaints/{complaint.pk}/").status_code == 404
    organiser.post(f"/fairs/complaints/{complaint.pk}/", {"outcome": "cover", "note": "侵权标识已遮盖"})
    complaint.refresh_from_db()
    assert complaint.status == "covered" and complaint.within_clock
    with django_assert_max_num_queries(25):
        report = organiser.get(f"/fairs/{fair.pk}/")
    assert 'data-testid="fair-report"' in report.content.decode()


def test_fair_list_renders_for_parties_and_staff(demo, client_as):  # noqa: ANN001
    for username in ("xinghe", "fangmao", "huizhan", "wangzhifa"):
        assert client_as(username).get("/fairs/").status_code == 200


def test_organiser_registers_a_fair_and_its_exhibitors(demo, orgs, client_as):  # noqa: ANN001
    client = client_as("huizhan")
    bad = client.post("/fairs/new/", {"name": "秋季展", "venue": "国展", "district_code": "110105",
                                      "starts_on": "2026-12-10", "ends_on": "2026-12-01"})
    assert "闭幕日不能早于开幕日" in bad.content.decode()
    ok = client.post("/fairs/new/", {"name": "秋季展", "venue": "国展", "district_code": "110105",
                                     "starts_on": "2026-12-01", "ends_on": "2026-12-03"})
    fair = Fair.objects.get(name="秋季展")
    assert ok.status_code == 302
    client.post(f"/fairs/{fair.pk}/exhibitors/", {"uscc": orgs["xinghe"].uscc, "booth": "c-1"})
    assert fair.exhibitors.get().booth == "C-1"
    again = client.post(f"/fairs/{fair.pk}/exhibitors/", {"uscc": orgs["fangmao"].uscc, "booth": "C-1"}, follow=True)
    assert "已分配" in again.content.decode()
    assert client_as("jinggou").get("/fairs/new/").status_code == 404
    assert client_as("jinggou").post(f"/fairs/{fair.pk}/exhibitors/", {"uscc": "x", "booth": "D"}).status_code == 404
