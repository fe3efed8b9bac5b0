"""The platform queue page at volume: cursor pages in queue order both ways, a bounded count, bad cursors
→ 400, and a number of queries that does not grow with the rows (the bench runs it at 100,000 items)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhibao.core.errors import InvalidInput
from zhibao.rights.models import Right
from zhibao.takedown import selectors, services
from zhibao.takedown.models import NoticeItem, Platform


def _notice(demo, orgs, n: int, start: int = 0):  # noqa: ANN001, ANN202
    return services.file_notice(
        actor=demo["xinghe"], notifier=orgs["xinghe"], platform=Platform.objects.get(),
        right_ids=[Right.objects.get(number="45678901").pk], goods_class=9,
        statement="使用星河注册商标的同类商品，承诺通知真实。",
        listings=[{"listing_id": f"P-{start + i}", "title": f"星河音箱 {start + i}", "shop_id": "p",
                   "seller_uscc": orgs["fangmao"].uscc} for i in range(n)])


@pytest.fixture
def mixed_queue(demo, orgs):  # noqa: ANN001, ANN201
    """Three notices (ties on the due time inside each), some items moved to the fast lane."""
    for k in range(3):
        notice = _notice(demo, orgs, 9, start=100 * k)
        NoticeItem.objects.filter(notice=notice).update(sla_due_at=notice.sla_due_at - dt.timedelta(hours=k))
    NoticeItem.objects.filter(listing__listing_id__in=["P-3", "P-104", "P-205", "P-206"]).update(fast_lane=True)
    return demo


def _walk(actor, status: str, size: int) -> tuple[list[int], list[list[int]]]:  # noqa: ANN001
    """Follow next links from the first page, then prev links back; ids seen each way, pages going forward."""
    page = selectors.queue_page(actor=actor, status=status, size=size)
    pages = [[i.pk for i in page.items]]
    while page.next_cursor:
        page = selectors.queue_page(actor=actor, status=status, after=page.next_cursor, size=size)
        pages.append([i.pk for i in page.items])
    back = [[i.pk for i in page.items]]
    while page.prev_cursor:
        page = selectors.queue_page(actor=actor, status=status, before=page.prev_cursor, size=size)
        back.insert(0, [i.pk for i in page.items])
    assert not page.paged  # walking back ends on the first page itself
    return [pk for p in back for pk in p], pages


@pytest.mark.parametrize("status", ["pending", ""])
def test_queue_pages_follow_queue_order_both_ways(mixed_queue, status: str):  # noqa: ANN001
    operator = mixed_queue["jinggou"]
    expected = list(selectors.queue(actor=operator, status=status).values_list("pk", flat=True))
    assert len(expected) >= 27
    forward_pages: list[list[int]] = []
    for size in (1, 4, 7, 100):
        backward, forward_pages = _walk(operator, status, size)
        assert [pk for p in forward_pages for pk in p] == expected
        assert backward == expected
        assert all(len(p) == size for p in forward_pages[:-1])
    assert NoticeItem.objects.filter(pk__in=expected[:4], fast_lane=True).count() == 4  # fast lane first


def test_queue_page_count_is_bounded(mixed_queue, monkeypatch):  # noqa: ANN001
    page = selectors.queue_page(actor=mixed_queue["jinggou"])
    assert (page.count, page.count_capped) == (28, False) and page.count_label == "28"
    monkeypatch.setattr(selectors, "QUEUE_COUNT_CAP", 10)
    page = selectors.queue_page(actor=mixed_queue["jinggou"])
    assert (page.count, page.count_capped, page.count_label) == (10, True, "10+")


def test_queue_page_bad_cursor_is_invalid_input_and_400(mixed_queue, client_as):  # noqa: ANN001
    operator = mixed_queue["jinggou"]
    for bad in ("zz", "2.1.1", "1.999999999999999999.1", "0.-999999999999999999.1", "1.5.1234567890123456789", "1.5.5;drop"):
        with pytest.raises(InvalidInput):
            selectors.queue_page(actor=operator, after=bad)
        assert client_as("jinggou").get("/takedown/queue/", {"after": bad}).status_code == 400
    with pytest.raises(InvalidInput):
        selectors.queue_page(actor=operator, after="0.1.1", before="0.1.1")
    assert client_as("jinggou").get("/takedown/queue/", {"after": "0.1.1", "before": "0.1.1"}).status_code == 400


def test_queue_page_walks_by_links_with_constant_queries(mixed_queue, client_as, settings):  # noqa: ANN001
    from django.core.cache import cache

    cache.clear()  # notifier scores are cached: start cold so the count does not depend on earlier tests
    settings.ZHIBAO_PAGE_SIZE = 5
    client = client_as("jinggou")
    seen, url, counts = [], "/takedown/queue/", []
    while url:
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(url).content.decode()
        counts.append(len(ctx.captured_queries))
        seen += re.findall(r'data-testid="queue-row-([^"]+)"', body)
        link = re.search(r'href="\?([^"]+)" data-testid="queue-next"', body)
        url = "/takedown/queue/?" + link[1].replace("&amp;", "&") if link else ""
    assert len(seen) == len(set(seen)) == 28 and "共 28 条" in body and "第一页" in body
    # session, user, platform, the page (one lane query, two when a page crosses from the fast lane),
    # bounded count, relisting and malicious flags, notifier scores on a cache miss (two grouped queries for
    # all the page's notifiers), unread notifications: never one per row or per notifier
    assert max(counts) <= 11 and len(counts) == 6


def test_notifier_scores_of_a_page_cost_two_queries_whatever_the_number_of_notifiers(demo, orgs):  # noqa: ANN001
    from django.core.cache import cache

    from zhibao.takedown import selectors

    cache.clear()
    ids = [o.pk for o in orgs.values()]
    with CaptureQueriesContext(connection) as ctx:
        qualities = selectors.notifier_qualities_cached(ids)
    assert len(ctx.captured_queries) == 2 and set(qualities) == set(ids)
    with CaptureQueriesContext(connection) as ctx:
        assert selectors.notifier_qualities_cached(ids) == qualities
    assert len(ctx.captured_queries) == 0
    assert selectors.notifier_quality(notifier_id=ids[0]) == qualities[ids[0]]
