"""Journey: three roles log in and each sees only what it may see (issue 3, "Done means")."""

from __future__ import annotations

import os

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_three_roles_see_only_their_own_world(live_server, page, login, demo, orgs, tmp_path):  # noqa: ANN001
    from zhibao.rights.models import Right

    secret = Right.objects.get(right_type="trade_secret")

    # 星河科技 (right holder): its own organisation and rights, the trade secret in clear, no audit log.
    login("xinghe")
    assert page.get_by_test_id("current-user").inner_text().startswith("张星河")
    assert page.locator("nav.mainnav").get_by_text("审计日志").count() == 0
    page.goto(f"{live_server.url}/orgs/")
    rows = page.get_by_test_id("org-table").locator("tbody tr")
    assert rows.count() == 1 and "北京星河科技有限公司" in rows.first.inner_text()
    page.goto(f"{live_server.url}/rights/{secret.pk}/")
    assert "EQ 曲线" in page.get_by_test_id("secret").inner_text()
    response = page.goto(f"{live_server.url}/orgs/{orgs['fangmao'].pk}/")
    assert response.status == 404
    page.goto(f"{live_server.url}/dashboard/")
    shot = os.environ.get("ZHIBAO_SCREENSHOT_DIR") or str(tmp_path)
    page.screenshot(path=os.path.join(shot, "screenshot-dashboard.png"), full_page=True)

    # 仿冒商贸 (another right holder): cannot see 星河科技's rights at all.
    login("fangmao")
    page.goto(f"{live_server.url}/rights/")
    titles = page.get_by_test_id("rights-table").locator("tbody tr").all_inner_texts()
    assert len(titles) == 1 and "仿冒优选" in titles[0]
    assert page.goto(f"{live_server.url}/rights/{secret.pk}/").status == 404

    # 王执法 (officer): reads the whole register, but the trade secret stays hidden; registers a respondent.
    login("wangzhifa")
    page.goto(f"{live_server.url}/rights/?nice_class=9")
    assert page.get_by_test_id("rights-table").locator("tbody tr").count() == 2
    page.goto(f"{live_server.url}/rights/{secret.pk}/")
    assert page.get_by_test_id("secret-hidden").is_visible()
    page.goto(f"{live_server.url}/orgs/new/")
    page.fill("#id_name", "某网店（身份待查）")
    page.check("#id_provisional")
    page.click("form.panel button[type=submit]")
    assert page.locator("h1").inner_text().startswith("某网店（身份待查）")
    assert page.locator(".messages").inner_text().startswith("已登记市场主体")

    # 冯审计 (auditor): sees the officer's write in the audit log.
    login("shenji")
    page.goto(f"{live_server.url}/accounts/audit/?q=某网店")
    assert "王执法" in page.get_by_test_id("audit-table").inner_text()


def test_uscc_checker_page_explains_a_wrong_check_digit(live_server, page, login, demo):  # noqa: ANN001
    from zhibao.law import uscc as uscc_lib

    code = uscc_lib.make_uscc("91110108MA01XH001")
    wrong = code[:17] + ("1" if code[17] != "1" else "2")
    login("xinghe")
    page.goto(f"{live_server.url}/law/uscc/")
    page.fill("#id_code", wrong)
    page.get_by_test_id("uscc-result").wait_for()
    assert "校验码错误" in page.get_by_test_id("uscc-result").inner_text()
    page.fill("#id_code", code)
    page.get_by_text("有效", exact=True).wait_for()
