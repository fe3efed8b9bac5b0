"""Criminal thresholds for IP crimes: when an administrative case must be transferred to the police.

Why data: the thresholds come from SPC/SPP judicial interpretations that get revised (法释〔2004〕19号,
法释〔2007〕6号, 法释〔2020〕10号, then 法释〔2025〕5号, which replaced them all from 2025-04-26). Each
figure is stored in ``data/criminal_thresholds.json`` with its source and effective date; every
figure is marked [check] (best reading, to verify against the official text).

Which interpretation applies (最高人民法院、最高人民检察院《关于适用刑事司法解释时间效力问题的规定》,
2001, 第三条): the one in force when the act was committed (``CaseFacts.date``), unless the one in
force when the case is handled (``found_on``) is more favourable to the suspect. We apply that per
figure: when the two differ, a figure counts only if both interpretations use it, against the higher
(more lenient) of the two thresholds, and the finding says so ("从旧兼从轻").

Once a threshold is reached the enforcement authority must decide within 3 days of the report
whether to transfer the case (国务院令第310号第五条), hence ``transfer_required`` and
``transfer_deadline`` (computed by :mod:`zhibao.law.periods`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from zhibao.law import periods
from zhibao.law._data import parse_rows, read_rows

RightType = Literal["trademark", "copyright", "trade_secret", "patent"]
Act = Literal["counterfeit_mark", "sell_counterfeit", "copyright_infringement", "trade_secret",
              "patent_passing_off"]
Figure = Literal["illegal_business_volume", "illegal_gains", "copies", "loss"]

#: Other spellings accepted for ``act`` (the names used in the project brief), mapped to the canonical ones.
ACT_ALIASES: dict[str, str] = {"counterfeit_trademark": "counterfeit_mark", "pirate_copyright": "copyright_infringement",
                               "sell_counterfeits": "sell_counterfeit", "counterfeit_patent": "patent_passing_off"}

#: Which acts belong to which right, so a mistyped combination is rejected rather than silently unchecked.
ACTS_BY_RIGHT: dict[str, tuple[str, ...]] = {
    "trademark": ("counterfeit_mark", "sell_counterfeit"), "copyright": ("copyright_infringement",),
    "trade_secret": ("trade_secret",), "patent": ("patent_passing_off",),
}
FIGURE_NAMES: dict[str, str] = {
    "illegal_business_volume": "非法经营数额", "illegal_gains": "违法所得数额", "copies": "复制品数量",
    "loss": "损失数额",
}
UNITS: dict[str, str] = {"illegal_business_volume": "元", "illegal_gains": "元", "copies": "张（份）", "loss": "元"}
TRANSFER_RULE = "criminal_transfer_decision"
TIME_EFFECT_SOURCE = "《最高人民法院、最高人民检察院关于适用刑事司法解释时间效力问题的规定》第三条"


@dataclass(frozen=True)
class Threshold:
    """One figure of one interpretation: reaching ``amount`` of ``figure`` for ``act`` is a suspected crime."""

    act: Act
    crime: str
    figure: Figure
    amount: Decimal
    source: str
    effective: dt.date
    version: str

    def __post_init__(self) -> None:
        if self.amount <= 0 or not self.source.strip():
            raise ValueError("追诉标准需要正数数额和来源")


def load_thresholds(path: str | Path | None = None) -> tuple[Threshold, ...]:
    """Every stored threshold (the packaged table, or a draft table at ``path``)."""
    return parse_rows(Threshold, read_rows("criminal_thresholds.json", path), "criminal_thresholds.json")


THRESHOLDS: tuple[Threshold, ...] = load_thresholds()


def _act(value: object) -> object:
    return ACT_ALIASES.get(value, value) if isinstance(value, str) else value


Amount = Annotated[Decimal, Field(ge=0, le=Decimal("1e15"), allow_inf_nan=False)]


class CaseFacts(BaseModel):
    """Figures found by the enforcement authority.

    ``date``: when the act was committed (selects the interpretation; default: ``found_on``).
    ``found_on``: when the suspected crime was reported to the authority's head (starts the 3-day
    transfer clock and is the "handling" date for 从旧兼从轻; default: today).
    """

    model_config = ConfigDict(extra="forbid")

    right_type: RightType
    act: Annotated[Act, BeforeValidator(_act)]
    illegal_business_volume: Amount | None = None
    illegal_gains: Amount | None = None
    copies: int | None = Field(default=None, ge=0, le=10**12)
    loss: Amount | None = None
    date: dt.date | None = None
    found_on: dt.date | None = None


class Finding(BaseModel):
    rule: str
    source: str
    figure: str
    value: Decimal
    threshold: Decimal
    met: bool
    message: str
    transfer_required: bool
    transfer_deadline: dt.date | None = None
    transfer_source: str = ""


def _fmt(figure: str, amount: Decimal) -> str:
    if figure == "copies":
        return f"{int(amount):,}"
    return f"{amount.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


def thresholds_in_force(act: str, on: dt.date, table: tuple[Threshold, ...] | None = None) -> list[Threshold]:
    """The thresholds for ``act`` on ``on``: the newest interpretation set that has started, and within it
    the newest row per figure (a set replaces earlier sets entirely)."""
    rows = [t for t in (table or THRESHOLDS) if t.act == act and t.effective <= on]
    if not rows:
        return []
    started = {t.version: min(r.effective for r in rows if r.version == t.version) for t in rows}
    current = max(started, key=lambda v: started[v])
    latest: dict[str, Threshold] = {}
    for t in sorted((t for t in rows if t.version == current), key=lambda t: t.effective):
        latest[t.figure] = t
    return [latest[f] for f in FIGURE_NAMES if f in latest]


def applicable_thresholds(act: str, acted_on: dt.date, handled_on: dt.date,
                          table: tuple[Threshold, ...] | None = None) -> list[tuple[Threshold, str]]:
    """Thresholds under 从旧兼从轻, each with a note ('' when act and handling fall under the same row).

    No stored interpretation at the time of the act: the one in force when handled applies (第二条).
    """
    then: dict[str, Threshold] = {t.figure: t for t in thresholds_in_force(act, acted_on, table)}
    now: dict[str, Threshold] = {t.figure: t for t in thresholds_in_force(act, max(handled_on, acted_on), table)}
    if not then or then == now:
        return [(t, "") for t in (then or now).values()]
    out: list[tuple[Threshold, str]] = []
    for figure in FIGURE_NAMES:
        old, new = then.get(figure), now.get(figure)
        if old is None or new is None:
            continue  # a figure only one of the two interpretations uses cannot be the more lenient basis
        if old.amount == new.amount:
            out.append((old, ""))  # same figure either way: nothing to choose
            continue
        lenient = new if new.amount > old.amount else old
        out.append((lenient, f"行为时适用{old.source}（{int(old.amount):,}），处理时适用{new.source}"
                             f"（{int(new.amount):,}），从旧兼从轻取{'处理时' if lenient is new else '行为时'}"
                             f"标准（{TIME_EFFECT_SOURCE}）"))
    return out


def transfer_deadline(found_on: dt.date) -> periods.Deadline:
    """When the decision to transfer is due: 3 days after the report (国务院令第310号第五条)."""
    return periods.deadline_for(TRANSFER_RULE, found_on)


def check(facts: CaseFacts, *, today: dt.date | None = None, table: tuple[Threshold, ...] | None = None
          ) -> list[Finding]:
    """One finding per figure given and applicable; ``transfer_required`` on those reaching the threshold.

    ``today`` stands in for the current date when ``found_on`` is not given (tests, replays);
    ``table`` replaces the packaged thresholds (drafts, tests).

    A finding that reaches its threshold carries the transfer decision deadline when the holiday
    calendar covers it; when it does not, the message says so instead of guessing a date.
    """
    if facts.act not in ACTS_BY_RIGHT[facts.right_type]:
        raise ValueError(f"act {facts.act} 不属于 right_type {facts.right_type}"
                         f"（可用：{'、'.join(ACTS_BY_RIGHT[facts.right_type])}）")
    handled = facts.found_on or today or dt.date.today()
    acted = facts.date or handled
    deadline: dt.date | None = None
    due = ""
    try:
        result = transfer_deadline(handled)
        deadline = result.deadline if not isinstance(result.deadline, dt.datetime) else result.deadline.date()
        due = f"（{deadline.isoformat()} 前）"
    except ValueError as exc:  # CalendarUnavailable
        due = f"（截止日无法计算：{exc}）"
    transfer_source = periods.get_rule(TRANSFER_RULE).source
    findings: list[Finding] = []
    for t, note in applicable_thresholds(facts.act, acted, handled, table):
        raw = getattr(facts, t.figure)
        if raw is None:
            continue
        value = Decimal(raw)
        met = value >= t.amount
        name, unit = FIGURE_NAMES[t.figure], UNITS[t.figure]
        head = f"{name} {_fmt(t.figure, value)} {unit} {'≥' if met else '<'} {int(t.amount):,} {unit}"
        if met:
            message = f"{head}：涉嫌犯罪，应在3日内{due}作出是否移送的决定（{t.crime}；国务院令第310号第五条）"
        else:
            message = f"{head}：未达到{t.crime}的追诉标准"
        if note:
            message += f"；{note}"
        findings.append(Finding(
            rule=f"{t.crime}/{t.figure}@{t.version}", source=t.source, figure=t.figure, value=value,
            threshold=t.amount, met=met, message=message, transfer_required=met,
            transfer_deadline=deadline if met else None, transfer_source=transfer_source if met else "",
        ))
    return findings


def transfer_required(findings: list[Finding]) -> bool:
    """True when any figure reaches its threshold: a transfer decision is due."""
    return any(f.transfer_required for f in findings)
