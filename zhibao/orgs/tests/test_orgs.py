"""The organisations register: USCC validation, duplicates, foreign entities, 404s, locking, history."""

from __future__ import annotations

import json

from zhibao.law import uscc as uscc_lib


def _post(client, body):  # noqa: ANN001, ANN202
    return client.post("/api/v1/orgs", data=json.dumps(body), content_type="application/json")


def test_register_organisation_derives_district_and_entity_type(client_as, demo):  # noqa: ANN001
    code = uscc_lib.make_uscc("91110106MA1234567")
    response = _post(client_as("shiju"), {"name": "北京丰台新材料有限公司", "uscc": code})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["district_id"] == "110106" and body["entity_type"] == "企业"


def test_malformed_uscc_is_400_naming_the_field_and_the_check(client_as, demo):  # noqa: ANN001
    code = uscc_lib.make_uscc("91110106MA1234567")
    wrong_check = code[:17] + ("0" if code[17] != "0" else "1")
    response = _post(client_as("shiju"), {"name": "错码公司", "uscc": wrong_check})
    assert response.status_code == 400
    assert "校验码错误" in response.json()["errors"]["uscc"][0]
    response = _post(client_as("shiju"), {"name": "错字公司", "uscc": "91110106MA12345I7X"})
    assert "非法字符 'I'" in response.json()["errors"]["uscc"][0]


def test_duplicate_uscc_is_rejected(client_as, orgs):  # noqa: ANN001
    response = _post(client_as("shiju"), {"name": "冒名公司", "uscc": orgs["xinghe"].uscc})
    assert response.status_code == 400 and "已登记" in response.json()["errors"]["uscc"][0]


def test_foreign_entity_needs_country_and_registration_number(client_as, demo):  # noqa: ANN001
    c = client_as("shiju")
    missing = _post(c, {"name": "Acme Ltd", "kind": "foreign"})
    assert set(missing.json()["errors"]) == {"country", "foreign_registration_no"}
    ok = _post(c, {"name": "Acme Ltd", "kind": "foreign", "country": "英国", "foreign_registration_no": "01234567"})
    assert ok.status_code == 201 and ok.json()["uscc"] is None


def test_unknown_json_field_is_422(client_as, demo):  # noqa: ANN001
    response = _post(client_as("shiju"), {"name": "X", "uscc": "", "provisional": True, "colour": "red"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].endswith("colour")


def test_another_partys_organisation_is_404_without_its_data(client_as, orgs):  # noqa: ANN001
    response = client_as("fangmao").get(f"/api/v1/orgs/{orgs['xinghe'].pk}")
    assert response.status_code == 404 and "星河" not in response.content.decode()
    assert client_as("fangmao").get(f"/orgs/{orgs['xinghe'].pk}/").status_code == 404
    listing = client_as("fangmao").get("/api/v1/orgs").json()
    assert [o["name"] for o in listing["items"]] == ["北京仿冒商贸有限公司"]


def test_concurrent_edit_loses_with_409(client_as, orgs):  # noqa: ANN001
    path = f"/api/v1/orgs/{orgs['xinghe'].pk}"
    version = orgs["xinghe"].version
    first = client_as("shiju").patch(path, data=json.dumps({"expected_version": version, "address": "甲"}),
                                     content_type="application/json")
    second = client_as("wangzhifa").patch(path, data=json.dumps({"expected_version": version, "address": "乙"}),
                                          content_type="application/json")
    assert first.status_code == 200 and second.status_code == 409
    assert second.json()["current_version"] == version + 1


def test_history_shows_before_and_after(client_as, orgs):  # noqa: ANN001
    c = client_as("xinghe")
    c.patch(f"/api/v1/orgs/{orgs['xinghe'].pk}", data=json.dumps({"address": "北京市海淀区新地址 8 号"}),
            content_type="application/json")
    history = c.get(f"/api/v1/orgs/{orgs['xinghe'].pk}/history").json()
    assert history[0]["action"] == "update" and history[0]["after"] == {"address": "北京市海淀区新地址 8 号"}
    page = c.get(f"/orgs/{orgs['xinghe'].pk}/").content.decode()
    assert "新地址" in page


def test_right_holder_cannot_correct_its_own_uscc(client_as, orgs):  # noqa: ANN001
    code = uscc_lib.make_uscc("91110108MA7654321")
    response = client_as("xinghe").patch(f"/api/v1/orgs/{orgs['xinghe'].pk}", data=json.dumps({"uscc": code}),
                                         content_type="application/json")
    assert response.status_code == 403


def test_org_form_shows_uscc_error_in_place(client_as, demo):  # noqa: ANN001
    page = client_as("shiju").post("/orgs/new/", {"name": "表单公司", "kind": "company", "sector": "general",
                                                  "uscc": "123"}).content.decode()
    assert 'data-testid="error-uscc"' in page and "长度应为18位" in page


def test_org_list_searches_and_exports(client_as, demo):  # noqa: ANN001
    c = client_as("wangzhifa")
    page = c.get("/orgs/", {"q": "仿冒"}).content.decode()
    assert "北京仿冒商贸有限公司" in page and "北京星河科技有限公司" not in page
    xlsx = c.get("/orgs/", {"q": "仿冒", "export": "xlsx"})
    assert xlsx.content[:2] == b"PK"


def test_provisional_respondent_needs_no_code(client_as, demo):  # noqa: ANN001
    response = _post(client_as("wangzhifa"), {"name": "某网店（身份待查）", "provisional": True,
                                               "shop_url": "https://shop.example.cn/123"})
    assert response.status_code == 201 and response.json()["provisional"] is True


def test_deactivation_keeps_the_record_and_needs_a_reason(client_as, orgs):  # noqa: ANN001
    from zhibao.accounts.models import AuditEntry

    c = client_as("shiju")
    path = f"/api/v1/orgs/{orgs['fangmao'].pk}/active"
    assert c.post(path, data=json.dumps({"active": False, "reason": ""}),
                  content_type="application/json").status_code == 400
    off = c.post(path, data=json.dumps({"active": False, "reason": "注销登记"}), content_type="application/json")
    assert off.status_code == 200 and off.json()["is_active"] is False
    assert c.get(f"/api/v1/orgs/{orgs['fangmao'].pk}").status_code == 200
    assert all(o["name"] != "北京仿冒商贸有限公司" for o in c.get("/api/v1/orgs", {"limit": 500}).json()["items"])
    assert AuditEntry.objects.filter(action="deactivate", reason="注销登记").exists()
    assert client_as("wangzhifa").post(path, data=json.dumps({"active": True, "reason": "x"}),
                                       content_type="application/json").status_code == 403
