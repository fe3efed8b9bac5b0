"""The law engine through the API, the pages and the CLI: sources named, bad input is 4xx / exit 2."""

from __future__ import annotations

import json
import subprocess
import sys


def _post(client, path, body):  # noqa: ANN001, ANN202
    return client.post(path, data=json.dumps(body), content_type="application/json")


def test_deadline_over_national_day_names_the_skipped_days(client_as, demo):  # noqa: ANN001
    body = client_as("xinghe").get("/api/v1/law/deadline", {"start": "2026-09-16", "days": 15}).json()
    assert body["deadline"] == "2026-10-08"
    assert body["skipped"], body


def test_named_rule_deadline_carries_its_source(client_as, demo):  # noqa: ANN001
    body = client_as("wangzhifa").get("/api/v1/law/deadline", {"start": "2026-09-16",
                                                              "rule": "ecommerce_counter_notice"}).json()
    assert body["deadline"] == "2026-10-08" and "电子商务法" in body["source"]


def test_deadline_bad_input_is_400_or_422_naming_the_field(client_as, demo):  # noqa: ANN001
    c = client_as("xinghe")
    assert c.get("/api/v1/law/deadline", {"start": "2026-02-30", "days": 3}).status_code == 422
    unknown = c.get("/api/v1/law/deadline", {"start": "2026-09-16", "rule": "no_such_rule"})
    assert unknown.status_code == 400 and "rule" in unknown.json()["errors"]
    both = c.get("/api/v1/law/deadline", {"start": "2026-09-16", "days": 3, "working_days": 3})
    assert both.status_code == 400
    far = c.get("/api/v1/law/deadline", {"start": "2099-01-01", "days": 3})
    assert far.status_code == 400


def test_damages_punitive_trademark_example(client_as, demo):  # noqa: ANN001
    body = _post(client_as("xinghe"), "/api/v1/law/damages", {
        "right_type": "trademark", "actual_loss": "100000", "wilful": True, "serious": True,
        "punitive_multiple": "3", "reasonable_costs": "20000"}).json()
    assert body["basis"] == "actual_loss" and body["punitive_applied"] is True
    assert body["compensation"] == "300000.00" and body["total"] == "320000.00"
    assert any("商标法" in s["legal_reference"] for s in body["steps"])


def test_damages_bad_input_is_rejected_naming_the_field(client_as, demo):  # noqa: ANN001
    c = client_as("xinghe")
    negative = _post(c, "/api/v1/law/damages", {"right_type": "patent", "actual_loss": "-1"})
    assert negative.status_code == 422 and "actual_loss" in json.dumps(negative.json()["errors"])
    multiple = _post(c, "/api/v1/law/damages", {"right_type": "patent", "actual_loss": "1", "wilful": True,
                                                "serious": True, "punitive_multiple": "6"})
    assert multiple.status_code == 422 and "punitive_multiple" in json.dumps(multiple.json()["errors"])
    unknown_type = _post(c, "/api/v1/law/damages", {"right_type": "design", "actual_loss": "1"})
    assert unknown_type.status_code == 422
    extra = _post(c, "/api/v1/law/damages", {"right_type": "patent", "actual_loss": "1", "bonus": "1"})
    assert extra.status_code == 422
    out_of_range = _post(c, "/api/v1/law/damages", {"right_type": "patent", "statutory_amount": "10000"})
    assert out_of_range.status_code == 400 and "30" in json.dumps(out_of_range.json(), ensure_ascii=False)


def test_calculator_page_updates_and_exports_a_pdf(client_as, demo):  # noqa: ANN001
    c = client_as("wangzhifa")
    form = {"right_type": "copyright", "infringer_gains": "80000", "reasonable_costs": "5000",
            "licence_multiple": "1"}
    partial = c.post("/law/damages/", form, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="damages-total">85000.00<' in partial and "著作权法" in partial
    pdf = c.post("/law/damages/", {**form, "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
    bad = c.post("/law/damages/", {**form, "infringer_gains": "abc"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="damages-errors"' in bad and "infringer_gains" in bad


def test_deadline_page_shows_the_result(client_as, demo):  # noqa: ANN001
    page = client_as("xinghe").get("/law/deadline/", {"start": "2026-09-16", "mode": "days", "amount": 15})
    assert 'data-testid="deadline-date">2026-10-08<' in page.content.decode()


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "zhibao.manage", "law", *args], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "ZHIBAO_DEBUG": "1", "ZHIBAO_DATA_DIR": "/tmp/zhibao-cli",
                               "DJANGO_SETTINGS_MODULE": "zhibao.settings"})


def test_cli_deadline_json_and_bad_input_exit_2():
    ok = _cli("deadline", "--start", "2026-09-16", "--days", "15", "--json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["deadline"] == "2026-10-08"
    bad = _cli("deadline", "--start", "2026-13-01", "--days", "15", "--json")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and bad.stderr.strip()


def test_deadline_into_2027_is_400_unless_provisional_is_asked(client_as, demo):  # noqa: ANN001
    client = client_as("wangzhifa")
    strict = client.get("/api/v1/law/deadline", {"start": "2026-12-20", "days": 15})
    assert strict.status_code == 400 and "2027" in str(strict.json()["errors"])
    body = client.get("/api/v1/law/deadline", {"start": "2026-12-20", "days": 15, "provisional": "true"}).json()
    assert body["deadline"] == "2027-01-04" and body["provisional"] is True and "须重新计算" in body["warnings"][0]


def test_deadline_page_shows_the_provisional_warning(client_as, demo):  # noqa: ANN001
    html = client_as("xinghe").get("/law/deadline/", {"start": "2026-12-20", "mode": "days", "amount": 15,
                                                      "provisional": "on"}).content.decode()
    assert "2027-01-04" in html and 'data-testid="deadline-warning"' in html
