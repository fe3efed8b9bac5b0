"""Typed compensation references (类型化赔偿参考, plan clause 2) from the platform's own decisions.

Beside the damages calculator a user sees what similar decided cases awarded — median and
interquartile range per right type, industry and infringement act — so an award is argued from
comparable cases, not from nothing (赔偿低). Groups smaller than ``ZHIBAO_REFERENCE_MIN_COUNT`` are not
shown: a "typical award" from two cases misleads. The statistics are ``zhibao.law.damages.typed_references``;
the awards come from ``cases.selectors.awarded_damages`` (no party, number or date).
"""

from __future__ import annotations

from django.conf import settings

from zhibao.cases import selectors as cases
from zhibao.cases.forms import ACT_LABELS as CASE_ACT_LABELS
from zhibao.core.charts import new_figure, to_svg
from zhibao.law.damages import ReferenceGroup, typed_references
from zhibao.rights.models import RightType

#: The labels the register and the intake form use, so a chart row reads like the case it came from.
RIGHT_TYPE_LABELS = dict(RightType.choices)
ACT_LABELS = {**CASE_ACT_LABELS, "": "未注明"}


def reference_groups(*, right_type: str = "") -> list[ReferenceGroup]:
    awards = [a for a in cases.awarded_damages() if not right_type or a[0] == right_type]
    return typed_references(((rt, industry or "未注明", act, amount) for rt, industry, act, amount in awards),
                            min_count=settings.ZHIBAO_REFERENCE_MIN_COUNT)


def label(group: ReferenceGroup) -> str:
    return (f"{RIGHT_TYPE_LABELS.get(group.right_type, group.right_type)}·{group.industry}·"
            f"{ACT_LABELS.get(group.infringement_type, group.infringement_type)}")


def chart_svg(groups: list[ReferenceGroup]) -> str:
    """Interquartile range (bar) and median (mark) of each group, in ten-thousands of yuan."""
    shown = groups[:12]
    fig = new_figure(6.5, 0.45 * max(2, len(shown)) + 1)
    ax = fig.subplots()
    names = [f"{label(g)}（{g.count} 件）" for g in shown][::-1]
    q1 = [float(g.q1) / 1e4 for g in shown][::-1]
    q3 = [float(g.q3) / 1e4 for g in shown][::-1]
    med = [float(g.median) / 1e4 for g in shown][::-1]
    ax.barh(names, [b - a for a, b in zip(q1, q3, strict=True)], left=q1, color="#9ecae1", label="四分位区间")
    ax.scatter(med, names, color="#08519c", zorder=3, label="中位数")
    ax.set_xlabel("判赔/裁决赔偿数额（万元）")
    ax.legend(loc="lower right", fontsize=8)
    return to_svg(fig)


def as_dict(group: ReferenceGroup) -> dict:
    return {"right_type": group.right_type, "industry": group.industry, "infringement_type": group.infringement_type,
            "label": label(group), "count": group.count, "median": str(group.median), "q1": str(group.q1),
            "q3": str(group.q3), "minimum": str(group.minimum), "maximum": str(group.maximum)}
