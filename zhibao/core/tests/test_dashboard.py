"""The 工作台 to-do: each role sees what waits on it, nobody sees another party's items, queries stay bounded."""

from __future__ import annotations

import pytest

from zhibao.core.dashboard import cards_for

pytestmark = pytest.mark.django_db


def _labels(user) -> dict[str, int]:  # noqa: ANN001
    return {c.label: c.count for c in cards_for(user)}


def test_each_role_sees_its_own_work(demo):  # noqa: ANN001
    xinghe = _labels(demo["xinghe"])
    assert xinghe["进行中的案件"] >= 3 and xinghe["待处理的预警"] >= 1 and "处理中的通知" in xinghe
    assert "待办案件" in _labels(demo["wangzhifa"])
    assert "待处理的侵权通知" in _labels(demo["jinggou"])
    assert "待审核的列入建议" in _labels(demo["qianxinyong"])
    assert _labels(demo["shenji"]) == {}  # the auditor handles nothing


def test_the_other_party_does_not_see_the_right_holders_alerts_or_drafts(demo, orgs, client_as):  # noqa: ANN001
    from zhibao.cases import services

    services.save_draft(actor=demo["xinghe"], complainant=orgs["xinghe"], title="未完成的投诉")
    assert _labels(demo["xinghe"])["未提交的投诉草稿"] == 1
    fangmao = _labels(demo["fangmao"])
    assert "待处理的预警" not in fangmao and "未提交的投诉草稿" not in fangmao
    page = client_as("fangmao").get("/dashboard/").content.decode()
    assert "未完成的投诉" not in page and "星禾" not in page


def test_home_page_lists_the_most_urgent_items_with_links(client_as, django_assert_max_num_queries):  # noqa: ANN001
    client = client_as("xinghe")
    with django_assert_max_num_queries(40):
        page = client.get("/dashboard/").content.decode()
    assert 'data-testid="todo"' in page and "/cases/ZB-" in page and "/monitoring/alerts/" in page


def test_capped_count_says_when_there_are_more(demo):  # noqa: ANN001
    from zhibao.accounts.models import User
    from zhibao.core.dashboard import capped_count

    total = User.objects.count()
    assert capped_count(User.objects.all(), cap=total) == (total, False)
    assert capped_count(User.objects.all(), cap=total - 1) == (total - 1, True)
