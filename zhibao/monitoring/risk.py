"""Enterprise risk warning (plan clause 10): screen a product name against the trademark register.

Why the library's ``MarkIndex`` and not a loop over the register: the check must stay fast as the
register grows to the national scale the benchmark uses (1,000,000 marks); the index is rebuilt only
when the register changes (keyed by row count and last update). The report names every similar mark,
its owner and classes, and what is on record about that owner, and renders as a PDF with a chart.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from django.db.models import Max
from django.utils import timezone

from zhibao.accounts.models import User
from zhibao.core.errors import InvalidInput
from zhibao.core.pdf import render_pdf
from zhibao.monitoring.screening import class_overlap
from zhibao.rights.models import Right, RightType
from zhibao.similarity import SimilarityInputError
from zhibao.similarity.marks import MarkIndex
from zhibao.similarity.normalize import validate_name

_lock = threading.Lock()
_cache: dict[str, object] = {}


@dataclass
class RiskHit:
    right: Right
    score: float
    similar: bool
    reasons: list[str]
    class_note: str
    in_scope: bool
    credit: list[str] = field(default_factory=list)


@dataclass
class RiskReport:
    name: str
    nice_classes: list[int]
    hits: list[RiskHit] = field(default_factory=list)
    created_at: object = None

    @property
    def level(self) -> str:
        if any(h.similar and h.in_scope for h in self.hits):
            return "高"
        if any(h.similar for h in self.hits) or any(h.in_scope and h.score >= 0.5 for h in self.hits):
            return "中"
        return "低"


def _register() -> tuple[MarkIndex | None, list[int]]:
    marks = Right.objects.filter(right_type=RightType.TRADEMARK,
                                 status__in=[Right.Status.VALID, Right.Status.PENDING])
    key = f"{marks.count()}:{marks.aggregate(m=Max('updated_at'))['m']}"
    with _lock:
        if _cache.get("key") != key:
            rows = list(marks.order_by("pk").values_list("pk", "title"))
            _cache["index"] = MarkIndex.from_names([t for _, t in rows]) if rows else None
            _cache["ids"] = [pk for pk, _ in rows]
            _cache["key"] = key
        return _cache["index"], _cache["ids"]  # type: ignore[return-value]


def risk_check(*, actor: User, name: str, nice_classes: list[int] | None = None, limit: int = 20) -> RiskReport:
    """Similar registered marks for ``name`` (any authenticated user; the register is public data)."""
    errors: dict[str, list[str]] = {}
    try:
        name = validate_name(name)
    except SimilarityInputError as exc:
        errors["name"] = [str(exc)]
    classes = []
    for c in nice_classes or []:
        if not isinstance(c, int) or not 1 <= c <= 45:
            errors.setdefault("nice_classes", []).append(f"尼斯分类应为 1–45：{c}")
        elif c not in classes:
            classes.append(c)
    if errors:
        raise InvalidInput(errors)
    report = RiskReport(name=name, nice_classes=classes, created_at=timezone.now())
    index, ids = _register()
    if index is None:
        return report
    matches = index.search(name, limit=limit, min_score=0.4)
    rights = Right.objects.select_related("owner").in_bulk([ids[m.index] for m in matches])
    credit = _credit_of(actor, {r.owner for r in rights.values()})
    for m in matches:
        right = rights[ids[m.index]]
        in_scope, note = class_overlap(classes, right.nice_classes)
        report.hits.append(RiskHit(right, m.score, m.similar, list(m.reasons), note, in_scope,
                                   credit.get(right.owner_id, [])))
    return report


def _credit_of(actor: User, owners: set) -> dict[int, list[str]]:
    """What the credit register shows the actor about each owner: listings and administrative penalties."""
    try:
        from zhibao.credit import selectors as credit
    except ImportError:  # pragma: no cover - the credit app is optional for monitoring
        return {}
    out: dict[int, list[str]] = {}
    for owner in owners:
        rows = [f"{li.list_type.name}（{li.get_status_display()}）"
                for li in credit.listings_of(actor=actor, organisation=owner)[:5]]
        rows += [f"{f.get_kind_display()}：{f.summary[:40]}（{f.occurred_on:%Y-%m-%d}）"
                 for f in credit.facts_of(actor=actor, organisation=owner).filter(kind="administrative_penalty")[:3]]
        out[owner.pk] = rows
    return out


def chart_svg(report: RiskReport) -> str:
    """A bar chart of the top scores (matplotlib SVG, embedded in the page and the PDF)."""
    from zhibao.core.charts import new_figure, to_svg

    hits = report.hits[:10]
    fig = new_figure(6, 0.4 * max(3, len(hits)) + 0.8)
    ax = fig.subplots()
    labels = [f"{h.right.title}（{h.right.owner.name[:8]}）" for h in hits] or ["无近似商标"]
    scores = [h.score for h in hits] or [0]
    colors = ["#c0392b" if h.similar and h.in_scope else "#e67e22" if h.similar else "#95a5a6" for h in hits]
    ax.barh(labels[::-1], scores[::-1], color=colors[::-1] or ["#95a5a6"])
    ax.set_xlim(0, 1)
    ax.axvline(0.7, color="#555", linestyle="--", linewidth=0.8)
    ax.set_xlabel("近似度（虚线：近似阈值 0.70）")
    return to_svg(fig)


def report_pdf(report: RiskReport) -> bytes:
    return render_pdf("monitoring/risk_report_pdf.html", {"report": report, "chart": chart_svg(report)})
