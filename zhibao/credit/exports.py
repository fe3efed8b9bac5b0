"""Export column layouts for sharing with the national credit platform (信用中国) — documented in README.

Columns are fixed and ordered; names follow the 双公示 data standard's field names in Chinese [check]. Person
names (legal representatives of individual businesses) are masked.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from zhibao.credit.models import CreditFact, Listing
from zhibao.credit.selectors import public_name

LIST_COLUMNS = ("主体名称", "统一社会信用代码", "名单名称", "认定机关", "列入依据", "决定书编号", "列入日期",
                "移出日期", "联合惩戒措施", "状态")
DUAL_COLUMNS = ("类别", "行政相对人名称", "统一社会信用代码", "决定文书号", "事实摘要", "依据", "金额（元）",
                "决定机关", "决定日期")


def list_rows(listings: Iterable[Listing]) -> Iterator[list[object]]:
    for li in listings.prefetch_related("decisions") if hasattr(listings, "prefetch_related") else listings:
        current = [d for d in li.decisions.all() if d.superseded_by_id is None]
        yield [public_name(li.organisation), li.organisation.uscc or "", li.list_type.name,
               li.list_type.issuing_authority, li.basis, current[-1].decision_no if current else "",
               li.start_on, li.end_on, "、".join(li.list_type.measure_labels()), li.get_status_display()]


def dual_rows(facts: Iterable[CreditFact]) -> Iterator[list[object]]:
    for f in facts:
        yield [f.get_kind_display(), public_name(f.organisation), f.organisation.uscc or "", f.source_ref, f.summary,
               f.legal_basis, f.amount, f.authority, f.occurred_on]
