"""The rights register: per-type validation, trade-secret masking, uploads by content, import/export."""

from __future__ import annotations

import io
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from zhibao.law import patents


def _post(client, body):  # noqa: ANN001, ANN202
    return client.post("/api/v1/rights", data=json.dumps(body), content_type="application/json")


def test_register_patent_with_valid_number_sets_kind(client_as, orgs):  # noqa: ANN001
    body12 = "202410567890"
    number = f"{body12}.{patents.compute_check_digit(body12)}"
    response = _post(client_as("xinghe"), {"owner_id": orgs["xinghe"].pk, "right_type": "patent",
                                           "title": "一种数据压缩方法", "number": "CN" + number.replace(".", ""),
                                           "ipc": "H03M 7/30"})
    assert response.status_code == 201, response.content
    assert response.json()["number"] == number and response.json()["patent_kind"] == "invention"


def test_malformed_patent_number_class_and_date_are_400_by_field(client_as, orgs):  # noqa: ANN001
    c = client_as("xinghe")
    bad_check = _post(c, {"owner_id": orgs["xinghe"].pk, "right_type": "patent", "title": "T",
                          "number": "202410567890.0" if patents.compute_check_digit("202410567890") != "0"
                          else "202410567890.1"})
    assert bad_check.status_code == 400 and "校验位错误" in bad_check.json()["errors"]["number"][0]
    bad_class = _post(c, {"owner_id": orgs["xinghe"].pk, "right_type": "trademark", "title": "T",
                          "number": "123", "nice_classes": [0, 46]})
    assert bad_class.status_code == 400 and "1-45" in bad_class.json()["errors"]["nice_classes"][0]
    bad_date = _post(c, {"owner_id": orgs["xinghe"].pk, "right_type": "trademark", "title": "T",
                         "number": "124", "nice_classes": [9], "valid_from": "2024-13-40"})
    assert bad_date.status_code == 422 and bad_date.json()["errors"][0]["field"].endswith("valid_from")
    reversed_dates = _post(c, {"owner_id": orgs["xinghe"].pk, "right_type": "trademark", "title": "T",
                               "number": "125", "nice_classes": [9], "valid_from": "2024-01-02",
                               "valid_until": "2023-01-01"})
    assert "valid_until" in reversed_dates.json()["errors"]


def test_unknown_right_type_is_400(client_as, orgs):  # noqa: ANN001
    response = _post(client_as("xinghe"), {"owner_id": orgs["xinghe"].pk, "right_type": "utility", "title": "T"})
    assert response.status_code == 400 and "right_type" in response.json()["errors"]


def test_trade_secret_description_is_visible_only_to_the_owner_side(client_as, demo):  # noqa: ANN001
    from zhibao.rights.models import Right

    secret = Right.objects.get(right_type="trade_secret")
    assert client_as("xinghe").get(f"/api/v1/rights/{secret.pk}").json()["secret_description"]
    assert client_as("daili").get(f"/api/v1/rights/{secret.pk}").json()["secret_description"]
    officer_view = client_as("wangzhifa").get(f"/api/v1/rights/{secret.pk}")
    assert officer_view.status_code == 200 and officer_view.json()["secret_description"] is None
    page = client_as("wangzhifa").get(f"/rights/{secret.pk}/").content.decode()
    # the description itself, not a fragment of it: two letters can turn up in a random CSRF token
    assert 'data-testid="secret-hidden"' in page and secret.secret_description not in page
    assert "DSP 参数表" not in page
    assert secret.secret_description in client_as("xinghe").get(f"/rights/{secret.pk}/").content.decode()
    assert client_as("fangmao").get(f"/api/v1/rights/{secret.pk}").status_code == 404


def test_search_by_number_name_owner_and_class(client_as, demo):  # noqa: ANN001
    c = client_as("wangzhifa")
    by_class = {r["title"] for r in c.get("/api/v1/rights", {"nice_class": "9"}).json()["items"]}
    assert by_class == {"星河", "XINGHE"}
    assert c.get("/api/v1/rights", {"q": "45678901"}).json()["items"][0]["title"] == "星河"
    assert c.get("/api/v1/rights", {"owner": "仿冒"}).json()["count"] == 1


def test_disguised_executable_upload_is_rejected_by_content(client_as, orgs):  # noqa: ANN001
    fake = SimpleUploadedFile("mark.png", b"MZ\x90\x00" + b"\x00" * 200, content_type="image/png")
    page = client_as("xinghe").post("/rights/new/", {
        "right_type": "trademark", "owner": orgs["xinghe"].pk, "title": "星河图形", "number": "88888888",
        "status": "valid", "nice_classes": "9", "mark_image": fake,
    }).content.decode()
    assert "可执行程序" in page


def test_real_png_mark_image_is_accepted(client_as, orgs):  # noqa: ANN001
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, format="PNG")
    response = client_as("xinghe").post("/rights/new/", {
        "right_type": "trademark", "owner": orgs["xinghe"].pk, "title": "星河图形", "number": "88888889",
        "status": "valid", "nice_classes": "9", "mark_image": SimpleUploadedFile("m.png", buf.getvalue()),
    })
    assert response.status_code == 302


def test_csv_import_keeps_good_rows_and_reports_bad_ones(client_as, orgs):  # noqa: ANN001
    from zhibao.rights.models import Right

    code = orgs["xinghe"].uscc
    csv_text = (
        "right_type,number,title,owner_uscc,nice_classes,valid_from\n"
        f"trademark,61000001,星河一号,{code},9,2024-01-01\n"
        f"trademark,61000002,星河二号,{code},99,2024-01-01\n"
        f"trademark,61000003,星河三号,NOT-A-CODE,9,2024-01-01\n"
        f"trademark,61000004,星河四号,{code},9,2024-02-30\n"
        f"copyright,,星河文集,{code},,\n"
    )
    upload = SimpleUploadedFile("rights.csv", csv_text.encode("utf-8"))
    batch = client_as("xinghe").post("/api/v1/rights/import", {"file": upload}).json()
    assert (batch["total_rows"], batch["imported_rows"], batch["error_rows"]) == (5, 1, 4)
    assert Right.objects.filter(number__startswith="6100000").count() == 1
    report = batch["error_report"]
    assert "3,nice_classes" in report and "4,owner_uscc" in report and "5,valid_from" in report
    assert "6,number" in report
    page = client_as("xinghe").get(f"/rights/import/{batch['id']}/report.csv")
    assert page.status_code == 200 and "nice_classes" in page.content.decode("utf-8-sig")
    assert client_as("fangmao").get(f"/rights/import/{batch['id']}/report.csv").status_code == 404


def test_xlsx_import_and_export_round_trip(client_as, orgs):  # noqa: ANN001
    wb = Workbook()
    ws = wb.active
    ws.append(["right_type", "number", "title", "owner_uscc", "nice_classes"])
    ws.append(["trademark", "62000001", "星河表格", orgs["xinghe"].uscc, "9,35"])
    buf = io.BytesIO()
    wb.save(buf)
    upload = SimpleUploadedFile("rights.xlsx", buf.getvalue())
    batch = client_as("xinghe").post("/api/v1/rights/import", {"file": upload}).json()
    assert batch["imported_rows"] == 1, batch
    export = client_as("xinghe").get("/api/v1/rights/export", {"format": "csv", "q": "62000001"})
    text = export.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("right_type,number,title,owner_uscc")
    assert "星河表格" in text and "9,35" in text


def test_import_with_missing_columns_is_400(client_as, demo):  # noqa: ANN001
    upload = SimpleUploadedFile("bad.csv", b"foo,bar\n1,2\n")
    response = client_as("xinghe").post("/api/v1/rights/import", {"file": upload})
    assert response.status_code == 400 and "缺少必需的列" in response.json()["errors"]["file"][0]


def test_export_with_unknown_format_is_400(client_as, demo):  # noqa: ANN001
    assert client_as("xinghe").get("/api/v1/rights/export", {"format": "pdf"}).status_code == 400


def test_licence_fee_must_be_a_non_negative_amount(client_as, demo, orgs):  # noqa: ANN001
    from zhibao.rights.models import Right

    right = Right.objects.get(number="45678901")
    response = client_as("xinghe").post(f"/api/v1/rights/{right.pk}/licences", data=json.dumps({
        "licensee_id": orgs["licensee"].pk, "fee": "-5", "start": "2025-01-01"}), content_type="application/json")
    assert response.status_code == 400 and "fee" in response.json()["errors"]


def test_right_page_shows_licences_and_history(client_as, demo):  # noqa: ANN001
    from zhibao.rights.models import Right

    right = Right.objects.get(number="45678901")
    page = client_as("xinghe").get(f"/rights/{right.pk}/").content.decode()
    assert "200000.00" in page and "北京银汉软件有限公司" in page and 'data-testid="history"' in page


def test_self_declared_copyright_needs_a_work_file(client_as, orgs):  # noqa: ANN001
    response = _post(client_as("xinghe"), {"owner_id": orgs["xinghe"].pk, "right_type": "copyright",
                                           "title": "星河随笔", "self_declared": True})
    assert response.status_code == 400 and "work_file" in response.json()["errors"]
    page = client_as("xinghe").post("/rights/new/", {
        "right_type": "copyright", "owner": orgs["xinghe"].pk, "title": "星河随笔", "status": "valid",
        "self_declared": "on", "work_file": SimpleUploadedFile("essay.txt", "星河随笔正文".encode()),
    })
    assert page.status_code == 302
