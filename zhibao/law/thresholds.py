"""Criminal thresholds for IP crimes: when an administrative case must be transferred to the police.

Why data: the thresholds come from SPC/SPP judicial interpretations that are revised (法释〔2004〕19号,
法释〔2007〕6号, 法释〔2020〕10号, then 法释〔2025〕5号). Each figure is stored with its source and
effective date, and :func:`check` applies the version in force on the date of the facts. Figures
marked [check] in ``source`` are our best reading, not yet verified against the official text.

Once a threshold is reached the enforcement authority must decide within 3 days whether to
transfer the case (国务院令第310号), hence ``transfer_required``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

RightType = Literal["trademark", "copyright", "trade_secret", "patent"]
Act = Literal["counterfeit_mark", "sell_counterfeit", "copyright_infringement", "trade_secret", "patent_passing_off"]
Figure = Literal["illegal_business_volume", "illegal_gains", "copies", "loss"]

FIGURE_NAMES: dict[str, str] = {
    "illegal_business_volume": "非法经营数额", "illegal_gains": "违法所得数额", "copies": "复制品数量",
    "loss": "损失数额",
}
UNITS: dict[str, str] = {"illegal_business_volume": "元", "illegal_gains": "元", "copies": "张（份）", "loss": "元"}
TRANSFER_NOTE = "涉嫌犯罪，应在3日内作出移送决定（国务院令第310号）"


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


_I2004 = "法释〔2004〕19号第一条"
_I2025 = "法释〔2025〕5号 [check]"

THRESHOLDS: tuple[Threshold, ...] = (
    # 2004 interpretation (effective 2004-12-22)
    Threshold("counterfeit_mark", "假冒注册商标罪", "illegal_business_volume", Decimal("50000"),
              f"{_I2004}第一款第（一）项", dt.date(2004, 12, 22), "2004"),
    Threshold("counterfeit_mark", "假冒注册商标罪", "illegal_gains", Decimal("30000"),
              f"{_I2004}第一款第（一）项", dt.date(2004, 12, 22), "2004"),
    Threshold("sell_counterfeit", "销售假冒注册商标的商品罪", "illegal_business_volume", Decimal("50000"),
              "法释〔2004〕19号第二条（销售金额五万元以上）", dt.date(2004, 12, 22), "2004"),
    Threshold("copyright_infringement", "侵犯著作权罪", "illegal_gains", Decimal("30000"),
              "法释〔2004〕19号第五条", dt.date(2004, 12, 22), "2004"),
    Threshold("copyright_infringement", "侵犯著作权罪", "illegal_business_volume", Decimal("50000"),
              "法释〔2004〕19号第五条", dt.date(2004, 12, 22), "2004"),
    Threshold("copyright_infringement", "侵犯著作权罪", "copies", Decimal("500"),
              "法释〔2007〕6号第一条（复制品数量合计五百张（份）以上）", dt.date(2007, 4, 5), "2004"),
    Threshold("trade_secret", "侵犯商业秘密罪", "loss", Decimal("300000"),
              "法释〔2020〕10号第四条 [check]", dt.date(2020, 9, 14), "2004"),
    Threshold("trade_secret", "侵犯商业秘密罪", "illegal_gains", Decimal("300000"),
              "法释〔2020〕10号第四条 [check]", dt.date(2020, 9, 14), "2004"),
    Threshold("patent_passing_off", "假冒专利罪", "illegal_business_volume", Decimal("200000"),
              "法释〔2004〕19号第四条", dt.date(2004, 12, 22), "2004"),
    Threshold("patent_passing_off", "假冒专利罪", "illegal_gains", Decimal("100000"),
              "法释〔2004〕19号第四条", dt.date(2004, 12, 22), "2004"),
    # 2025 interpretation (effective 2025-04-26): supersedes the above for facts from that date.
    Threshold("counterfeit_mark", "假冒注册商标罪", "illegal_business_volume", Decimal("50000"),
              _I2025, dt.date(2025, 4, 26), "2025"),
    Threshold("counterfeit_mark", "假冒注册商标罪", "illegal_gains", Decimal("30000"), _I2025, dt.date(2025, 4, 26), "2025"),
    Threshold("sell_counterfeit", "销售假冒注册商标的商品罪", "illegal_gains", Decimal("30000"),
              f"{_I2025}（刑法修正案（十一）后以违法所得数额为标准）", dt.date(2025, 4, 26), "2025"),
    Threshold("sell_counterfeit", "销售假冒注册商标的商品罪", "illegal_business_volume", Decimal("50000"),
              f"{_I2025}（销售金额）", dt.date(2025, 4, 26), "2025"),
    Threshold("copyright_infringement", "侵犯著作权罪", "illegal_gains", Decimal("30000"), _I2025,
              dt.date(2025, 4, 26), "2025"),
    Threshold("copyright_infringement", "侵犯著作权罪", "illegal_business_volume", Decimal("50000"), _I2025,
              dt.date(2025, 4, 26), "2025"),
    Threshold("copyright_infringement", "侵犯著作权罪", "copies", Decimal("500"), _I2025, dt.date(2025, 4, 26), "2025"),
    Threshold("trade_secret", "侵犯商业秘密罪", "loss", Decimal("300000"), _I2025, dt.date(2025, 4, 26), "2025"),
    Threshold("trade_secret", "侵犯商业秘密罪", "illegal_gains", Decimal("300000"), _I2025, dt.date(2025, 4, 26), "2025"),
    Threshold("patent_passing_off", "假冒专利罪", "illegal_business_volume", Decimal("200000"), _I2025,
              dt.date(2025, 4, 26), "2025"),
    Threshold("patent_passing_off", "假冒专利罪", "illegal_gains", Decimal("100000"), _I2025,
              dt.date(2025, 4, 26), "2025"),
)

#: Which acts belong to which right, so a mistyped combination is rejected rather than silently unchecked.
ACTS_BY_RIGHT: dict[str, tuple[str, ...]] = {
    "trademark": ("counterfeit_mark", "sell_counterfeit"), "copyright": ("copyright_infringement",),
    "trade_secret": ("trade_secret",), "patent": ("patent_passing_off",),
}


class CaseFacts(BaseModel):
    """Figures found by the enforcement authority; ``date`` selects the interpretation in force."""

    model_config = ConfigDict(extra="forbid")

    right_type: RightType
    act: Act
    illegal_business_volume: Decimal | None = Field(default=None, ge=0, allow_inf_nan=False)
    illegal_gains: Decimal | None = Field(default=None, ge=0, allow_inf_nan=False)
    copies: int | None = Field(default=None, ge=0)
    loss: Decimal | None = Field(default=None, ge=0, allow_inf_nan=False)
    date: dt.date | None = None


class Finding(BaseModel):
    rule: str
    source: str
    figure: str
    value: Decimal
    threshold: Decimal
    met: bool
    message: str
    transfer_required: bool


def _fmt(figure: str, amount: Decimal) -> str:
    if figure == "copies":
        return f"{int(amount):,}"
    return f"{amount.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


def thresholds_in_force(act: str, on: dt.date) -> list[Threshold]:
    """The thresholds of the newest interpretation effective on ``on`` for ``act``, one per figure."""
    latest: dict[str, Threshold] = {}
    for t in THRESHOLDS:
        if t.act == act and t.effective <= on:
            current = latest.get(t.figure)
            if current is None or t.effective >= current.effective:
                latest[t.figure] = t
    return list(latest.values())


def check(facts: CaseFacts) -> list[Finding]:
    """One finding per figure given and applicable; ``transfer_required`` on those reaching the threshold."""
    if facts.act not in ACTS_BY_RIGHT[facts.right_type]:
        raise ValueError(f"act {facts.act} 不属于 right_type {facts.right_type}（可用：{ACTS_BY_RIGHT[facts.right_type]}）")
    on = facts.date or dt.date.today()
    findings: list[Finding] = []
    for t in sorted(thresholds_in_force(facts.act, on), key=lambda t: list(FIGURE_NAMES).index(t.figure)):
        raw = getattr(facts, t.figure)
        if raw is None:
            continue
        value = Decimal(raw)
        met = value >= t.amount
        name, unit = FIGURE_NAMES[t.figure], UNITS[t.figure]
        head = f"{name} {_fmt(t.figure, value)} {unit} {'≥' if met else '<'} {int(t.amount):,} {unit}"
        message = f"{head}：{TRANSFER_NOTE}" if met else f"{head}：未达到{t.crime}的追诉标准"
        findings.append(Finding(rule=f"{t.crime}/{t.figure}@{t.version}", source=t.source, figure=t.figure,
                                value=value, threshold=t.amount, met=met, message=message, transfer_required=met))
    return findings


def transfer_required(findings: list[Finding]) -> bool:
    return any(f.transfer_required for f in findings)
