"""Journey: 星河科技 deposits a file; anyone verifies it on the public page, with the proof checked in-browser."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_deposit_then_public_verification_three_outcomes(live_server, page, login, demo, tmp_path):  # noqa: ANN001
    evidence = tmp_path / "listing.pdf"
    evidence.write_bytes(b"%PDF-1.4 counterfeit listing page")
    other = tmp_path / "other.pdf"
    other.write_bytes(b"%PDF-1.4 something else")
    for n in range(3):  # a few more leaves, so the audit path is not trivial
        extra = tmp_path / f"extra{n}.txt"
        extra.write_text(f"补充证据 {n}", encoding="utf-8")

    login("xinghe")
    page.goto(f"{live_server.url}/evidence/new/")
    page.fill("#id_title", "仿冒商贸网店商品页")
    page.set_input_files("#id_files", [str(evidence)])
    page.click("[data-testid=deposit-form] button[type=submit]")
    deposit_no = page.get_by_test_id("deposit-no").inner_text()
    page.get_by_test_id("browser-check").filter(has_text="✓").wait_for()
    for n in range(3):
        page.goto(f"{live_server.url}/evidence/new/")
        page.fill("#id_title", f"补充证据 {n}")
        page.set_input_files("#id_files", [str(tmp_path / f"extra{n}.txt")])
        page.click("[data-testid=deposit-form] button[type=submit]")
        page.get_by_test_id("deposit-no").wait_for()

    page.context.clear_cookies()  # the public needs no login
    page.goto(f"{live_server.url}/verify/")
    page.set_input_files("#id_file", str(evidence))
    page.click("[data-testid=verify-form] button[type=submit]")
    assert page.get_by_test_id("verify-label").inner_text() == "核验通过"
    check = page.get_by_test_id("browser-check")
    check.filter(has_text="✓").wait_for()
    assert check.get_attribute("data-result") == "ok"

    page.goto(f"{live_server.url}/verify/")
    page.set_input_files("#id_file", str(other))
    page.click("[data-testid=verify-form] button[type=submit]")
    assert page.get_by_test_id("verify-label").inner_text() == "尚未存证"

    page.goto(f"{live_server.url}/verify/")
    page.set_input_files("#id_file", str(other))
    page.fill("#id_deposit_no", deposit_no)
    page.click("[data-testid=verify-form] button[type=submit]")
    assert page.get_by_test_id("verify-label").inner_text() == "比对不一致"

    # the browser's own check fails when the proof is tampered with
    page.goto(f"{live_server.url}/verify/?deposit_no={deposit_no}")
    result = page.evaluate("""async () => {
        const el = document.querySelector('[data-proof]');
        const d = JSON.parse(el.dataset.proof);
        const unhex = (s) => new Uint8Array(s.match(/../g).map((h) => parseInt(h, 16)));
        const good = await window.zhibaoVerifyInclusion(unhex(d.leaf_hex), d.leaf_index, d.tree_size,
                                                        d.inclusion_proof.map(unhex), d.root);
        const bad = await window.zhibaoVerifyInclusion(unhex(d.leaf_hex), d.leaf_index, d.tree_size,
                                                       d.inclusion_proof.map(unhex), (d.root[0] === '0' ? '1' : '0') + d.root.slice(1));
        return [good, bad];
    }""")
    assert result == [True, False]
