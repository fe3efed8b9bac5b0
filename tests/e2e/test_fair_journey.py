"""Journey (c): an exhibitor files its rights and e-signs the pledge; a booth complaint with a photo taken on a
phone-sized screen is resolved by the organiser within the 24-hour clock; the post-fair report names the
exhibitor who broke its pledge."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_c_exhibitor_pledges_and_a_booth_complaint_is_resolved_within_24_hours(live_server, page, login, demo,  # noqa: ANN001
                                                                                orgs, tmp_path):
    from PIL import Image

    from zhibao.fairs.models import Exhibitor, Fair

    fair = Fair.objects.get()
    booth = Exhibitor.objects.get(organisation=orgs["fangmao"])
    certificate = tmp_path / "证书.pdf"
    certificate.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    photo = tmp_path / "booth.jpg"
    Image.new("RGB", (320, 240), "orange").save(photo, "JPEG")

    login("fangmao")
    page.goto(f"{live_server.url}/fairs/")
    page.get_by_test_id("my-booth").click()
    page.fill("#id_filing-exhibit", "优选蓝牙耳机")
    page.set_input_files("#id_filing-certificate", str(certificate))
    page.fill("#id_filing-certificate_no", "ZL202230000001")
    page.click("[data-testid=filing-form] button")
    assert "优选蓝牙耳机" in page.get_by_test_id("filings").inner_text()
    page.fill("#id_pledge-signer_name", "刘仿")
    page.check("#id_pledge-agree")
    page.click("[data-testid=pledge-form] button")
    assert "已签署" in page.get_by_test_id("pledge-signed").inner_text()

    page.set_viewport_size({"width": 390, "height": 844})  # the complaint is filed on the spot, on a phone
    login("xinghe")
    page.goto(f"{live_server.url}/fairs/{fair.pk}/")
    page.get_by_test_id("complain").click()
    page.select_option("#id_respondent", str(booth.pk))
    page.locator("input[name=rights]").first.check()
    page.fill("#id_description", "A-101 展台展出带“星河”标识的音箱，未经许可。")
    page.set_input_files("#id_photos", str(photo))
    page.click("[data-testid=complaint-form] button")
    assert "剩余" in page.get_by_test_id("complaint-due").inner_text()
    complaint_url = page.url

    login("huizhan")
    page.goto(complaint_url)
    page.select_option("#id_outcome", "remove_exhibits")
    page.fill("#id_note", "涉嫌侵权音箱已撤下并封存")
    page.click("[data-testid=handle-form] button")
    assert page.get_by_test_id("complaint-status").inner_text() == "撤展"
    assert "24 小时内" in page.get_by_test_id("complaint-outcome").inner_text()
    page.goto(f"{live_server.url}/fairs/{fair.pk}/")
    report = page.get_by_test_id("fair-report").inner_text()
    assert "A-101" in report and "1 / 1" in report
