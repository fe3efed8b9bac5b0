"""Civil damages for IP infringement: which basis applies, the punitive multiple, and costs.

Why: the platform proposes a figure in mediation and adjudication; a figure nobody can trace to a
statute is useless there. Every step therefore names its legal reference, and the ranges, multiples
and references are versioned data (``data/damages_rules.json``) selected by the date ``on``.

Order of bases (see ``/work/shared/DOMAIN.md``):

* trademark (商标法第六十三条) and trade secret (反不正当竞争法第十七条): strict order — actual loss;
  only if it cannot be determined, the infringer's gains; then (trademark only) a reasonable multiple
  of the licence fee.
* patent (专利法第七十一条, since 2021-06-01) and copyright (著作权法第五十四条, since 2021-06-01):
  actual loss *or* gains. The 2020 amendments replaced the old order ("实际损失难以确定的，可以按照
  侵权人因侵权所获得的利益确定") with "实际损失或者侵权人因侵权所获得的利益", which makes them
  alternatives at the right holder's election. When both are proven we take the larger — the one a
  right holder would elect — and the step says so, so a different election can be recomputed by
  omitting the other figure. Then the licence fee (× a reasonable multiple for patents; the fee itself
  for copyright). The pre-2021 versions kept the strict order and are stored that way.
* statutory damages only when no basis is proven, within the right's range (else :class:`DamagesError`).

A value of 0 counts as proven (the loss was determined to be nothing); ``None`` means unproven. That
keeps the result monotonic: proving a larger amount never lowers the total.

Punitive damages (法释〔2021〕4号): only when wilful AND serious AND a multiple is given; base ×
multiple, never on a statutory amount (第五条), and reasonable costs are added after, never
multiplied (第五条第一款). Decimal arithmetic throughout; each reported figure is rounded to the fen
(ROUND_HALF_UP) once, at the end, and ``total`` is exactly ``compensation + reasonable_costs``.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from zhibao.law._data import parse_rows, read_rows

RightType = Literal["patent", "trademark", "copyright", "trade_secret"]
Basis = Literal["actual_loss", "infringer_gains", "licence_fee", "statutory"]

FEN = Decimal("0.01")
#: Sanity cap on any amount (CNY 10^15): far above any award, low enough that Decimal stays exact.
MAX_AMOUNT = Decimal("1e15")
PUNITIVE_REFERENCE = "法释〔2021〕4号《最高人民法院关于审理侵害知识产权民事案件适用惩罚性赔偿的解释》"
RIGHT_NAMES: dict[str, str] = {"patent": "专利权", "trademark": "商标专用权", "copyright": "著作权",
                               "trade_secret": "商业秘密"}

Money = Annotated[Decimal, Field(ge=0, le=MAX_AMOUNT, decimal_places=4, allow_inf_nan=False)]


class DamagesError(ValueError):
    """The inputs cannot give a lawful figure; ``field`` names the input to change, if one does."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class RuleSet:
    """One version of a right's damages article. ``ref_*`` are the paragraph references shown in steps."""

    right_type: RightType
    version: str
    effective: date
    law: str
    strict_order: bool
    licence_basis: Literal["multiple", "fee", "none"]
    statutory_min: Decimal
    statutory_max: Decimal
    punitive_max: Decimal | None  # None: punitive damages not available under this version
    ref_bases: str
    ref_statutory: str
    ref_costs: str
    wilful_word: str  # 故意 / 恶意, as the article says

    def __post_init__(self) -> None:
        if not Decimal(0) <= self.statutory_min <= self.statutory_max:
            raise ValueError("法定赔偿范围无效")
        if self.punitive_max is not None and self.punitive_max < 1:
            raise ValueError("惩罚性赔偿倍数上限应不小于 1")


def load_rulesets(path: str | Path | None = None) -> tuple[RuleSet, ...]:
    """Every version of every right's article (the packaged table, or a draft table at ``path``)."""
    return parse_rows(RuleSet, read_rows("damages_rules.json", path), "damages_rules.json")


RULESETS: tuple[RuleSet, ...] = load_rulesets()


def ruleset_for(right_type: RightType, on: date | None = None, rulesets: Sequence[RuleSet] | None = None
                ) -> RuleSet:
    """The version of the right's article in force on ``on`` (default today)."""
    day = on or date.today()
    candidates = [r for r in (rulesets or RULESETS) if r.right_type == right_type and r.effective <= day]
    if not candidates:
        raise DamagesError(f"{day.isoformat()} 没有可用的{RIGHT_NAMES.get(right_type, right_type)}赔偿规则"
                           "（规则数据未收录更早的版本）", field="right_type")
    return max(candidates, key=lambda r: r.effective)


class DamagesInput(BaseModel):
    """What the right holder can prove. Amounts are CNY; decimal strings are accepted (and preferred).

    Bounds: amounts 0 ≤ x ≤ 10^15 with at most 4 decimal places (sub-fen precision for unit-price
    arithmetic); multiples at most 4 decimal places.
    """

    model_config = ConfigDict(extra="forbid")

    right_type: RightType
    actual_loss: Money | None = None
    infringer_gains: Money | None = None
    licence_fee: Money | None = None
    # A "reasonable multiple" of the licence fee (专利法第七十一条, 商标法第六十三条). Courts usually use
    # 1-3; the cap of 5 matches the punitive ceiling and stops typos (e.g. 50) from passing.
    licence_multiple: Decimal = Field(default=Decimal("1"), gt=0, le=5, decimal_places=4, allow_inf_nan=False)
    wilful: bool = False
    serious: bool = False
    punitive_multiple: Decimal | None = Field(default=None, ge=1, le=5, decimal_places=4, allow_inf_nan=False)
    reasonable_costs: Money = Decimal("0")
    statutory_amount: Money | None = None
    evidence_notes: str = Field(default="", max_length=10000)


class Step(BaseModel):
    """One line of the calculation sheet: what was done, the (unrounded) amount, and the article."""

    description: str
    amount: Decimal
    legal_reference: str


class DamagesResult(BaseModel):
    basis: Basis
    base: Decimal
    punitive_applied: bool
    punitive_multiple: Decimal | None
    compensation: Decimal
    reasonable_costs: Decimal
    total: Decimal
    steps: list[Step]
    warnings: list[str]
    rule_version: str


def _fen(amount: Decimal) -> Decimal:
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def _fmt(amount: Decimal) -> str:
    return f"{_fen(amount):,}"


def _choose_base(inp: DamagesInput, rs: RuleSet, steps: list[Step], warnings: list[str]
                 ) -> tuple[Basis, Decimal] | None:
    loss, gains = inp.actual_loss, inp.infringer_gains
    ref = rs.ref_bases

    def step(text: str, amount: Decimal) -> None:
        steps.append(Step(description=text, amount=amount, legal_reference=ref))

    if rs.strict_order:
        if loss is not None:
            step(f"权利人的实际损失可以确定：{_fmt(loss)} 元", loss)
            if gains is not None:
                step(f"按{rs.law}规定的顺序，实际损失可以确定时不适用侵权获利（{_fmt(gains)} 元）", gains)
            return "actual_loss", loss
        if gains is not None:
            step(f"实际损失难以确定，按侵权人因侵权所获得的利益：{_fmt(gains)} 元", gains)
            return "infringer_gains", gains
    elif loss is not None and gains is not None:
        larger: Basis = "infringer_gains" if gains > loss else "actual_loss"
        label = "侵权获利" if larger == "infringer_gains" else "实际损失"
        step(f"实际损失 {_fmt(loss)} 元与侵权获利 {_fmt(gains)} 元均已证明；{rs.law}规定二者择一（由权利人"
             f"选择），按权利人通常的选择取较高（相等时取实际损失）的{label}", max(loss, gains))
        return larger, max(loss, gains)
    elif loss is not None:
        step(f"按权利人因被侵权所受到的实际损失：{_fmt(loss)} 元", loss)
        return "actual_loss", loss
    elif gains is not None:
        step(f"按侵权人因侵权所获得的利益：{_fmt(gains)} 元", gains)
        return "infringer_gains", gains

    fee = inp.licence_fee
    if fee is None:
        return None
    if rs.licence_basis == "multiple":
        amount = fee * inp.licence_multiple
        step(f"实际损失和侵权获利均难以确定，参照许可使用费 {_fmt(fee)} 元的 {inp.licence_multiple} 倍"
             f"合理确定：{_fmt(amount)} 元", amount)
        return "licence_fee", amount
    if rs.licence_basis == "fee":
        if inp.licence_multiple != 1:
            warnings.append(f"{rs.law}参照权利使用费本身确定，不适用倍数；已忽略倍数 {inp.licence_multiple}")
        step(f"实际损失和违法所得均难以计算，参照权利使用费：{_fmt(fee)} 元", fee)
        return "licence_fee", fee
    warnings.append(f"{rs.law}未规定以许可使用费为赔偿依据；许可使用费仅可作为确定损失的参考，已忽略")
    return None


def _statutory(inp: DamagesInput, rs: RuleSet, steps: list[Step]) -> Decimal:
    amount = inp.statutory_amount
    if amount is None:
        raise DamagesError("没有可确定的赔偿依据（实际损失、侵权获利、许可使用费），也没有提出法定赔偿数额 "
                           "statutory_amount", field="statutory_amount")
    if not rs.statutory_min <= amount <= rs.statutory_max:
        low = f"{_fmt(rs.statutory_min)} 元以上、" if rs.statutory_min > 0 else ""
        raise DamagesError(f"法定赔偿数额 {_fmt(amount)} 元超出范围：{rs.ref_statutory}规定"
                           f"{low}{_fmt(rs.statutory_max)} 元以下", field="statutory_amount")
    steps.append(Step(description=f"实际损失、侵权获利和许可使用费均难以确定，由人民法院根据侵权行为的情节在"
                      f"法定范围内确定：{_fmt(amount)} 元", amount=amount, legal_reference=rs.ref_statutory))
    return amount


def _punitive(inp: DamagesInput, rs: RuleSet, basis: Basis, base: Decimal, steps: list[Step],
              warnings: list[str]) -> Decimal | None:
    """The punitive multiple to apply, or None (with a warning saying why not)."""
    multiple = inp.punitive_multiple
    wants = inp.wilful and inp.serious
    if multiple is not None and not wants:
        missing = "、".join(w for w, ok in ((f"{rs.wilful_word}侵权", inp.wilful), ("情节严重", inp.serious))
                           if not ok)
        warnings.append(f"惩罚性赔偿需同时具备{rs.wilful_word}侵权和情节严重，缺少：{missing}；未适用倍数")
        return None
    if not wants:
        return None
    if multiple is None:
        warnings.append(f"已认定{rs.wilful_word}侵权且情节严重，但未提供惩罚性赔偿倍数 punitive_multiple；未适用")
        return None
    if basis == "statutory":
        warnings.append("惩罚性赔偿的计算基数不包括法定赔偿数额（法释〔2021〕4号第五条）；未适用倍数")
        return None
    if rs.punitive_max is None:
        warnings.append(f"{rs.law}（{rs.version}）未规定惩罚性赔偿；未适用倍数")
        return None
    if multiple > rs.punitive_max:
        raise DamagesError(f"惩罚性赔偿倍数 {multiple} 超出 {rs.ref_bases} 规定的 1–{rs.punitive_max} 倍",
                           field="punitive_multiple")
    compensation = base * multiple
    steps.append(Step(description=f"{rs.wilful_word}侵权且情节严重，以基数 {_fmt(base)} 元（不含合理开支）的 "
                      f"{multiple} 倍确定赔偿：{_fmt(compensation)} 元（{PUNITIVE_REFERENCE}第五条、第六条）",
                      amount=compensation, legal_reference=rs.ref_bases))
    return multiple


def calculate(inp: DamagesInput, on: date | None = None, *, rulesets: Sequence[RuleSet] | None = None
              ) -> DamagesResult:
    """Damages for ``inp`` under the article version in force on ``on`` (default today).

    Raises :class:`DamagesError` (with ``field``) when no basis is proven and no statutory amount is
    asked for, when the statutory amount is outside the right's range, or when the punitive multiple
    exceeds the version's cap. ``rulesets`` replaces the packaged table (drafts, tests).
    """
    rs = ruleset_for(inp.right_type, on, rulesets)
    steps: list[Step] = []
    warnings: list[str] = []
    with localcontext() as ctx:
        ctx.prec = 60  # inputs are bounded to 20 significant digits: every product below is exact
        chosen = _choose_base(inp, rs, steps, warnings)
        if chosen is None:
            basis: Basis = "statutory"
            base = _statutory(inp, rs, steps)
        else:
            basis, base = chosen
            if inp.statutory_amount is not None:
                warnings.append("已有可确定的赔偿依据，法定赔偿仅在各项依据均难以确定时适用；已忽略 statutory_amount")
        multiple = _punitive(inp, rs, basis, base, steps, warnings)
        compensation = _fen(base * multiple if multiple is not None else base)
        costs = _fen(inp.reasonable_costs)
    if costs:
        steps.append(Step(description=f"另加权利人为制止侵权行为所支付的合理开支 {_fmt(costs)} 元（不计入惩罚性"
                          "赔偿基数）", amount=costs, legal_reference=rs.ref_costs))
    total = compensation + costs
    steps.append(Step(description=f"合计：赔偿 {_fmt(compensation)} 元 + 合理开支 {_fmt(costs)} 元 = {_fmt(total)} 元",
                      amount=total, legal_reference=rs.ref_bases))
    return DamagesResult(
        basis=basis, base=_fen(base), punitive_applied=multiple is not None, punitive_multiple=multiple,
        compensation=compensation, reasonable_costs=costs, total=total, steps=steps, warnings=warnings,
        rule_version=rs.version,
    )


# --- reference ranges of past awards -----------------------------------------------------------

class ReferenceGroup(BaseModel):
    """Past awards of one kind: the "similar cases were awarded …" panel."""

    right_type: str
    industry: str
    infringement_type: str
    count: int
    median: Decimal
    q1: Decimal
    q3: Decimal
    minimum: Decimal
    maximum: Decimal


def _quantile(sorted_values: list[Decimal], q: Decimal) -> Decimal:
    """Linear interpolation between closest ranks (the 'inclusive' method, numpy's default)."""
    position = (len(sorted_values) - 1) * q
    low = int(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def _award(amount: object) -> Decimal:
    try:
        value = Decimal(str(amount)) if isinstance(amount, float) else Decimal(amount)  # type: ignore[arg-type]
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError(f"判赔金额无效：{amount!r}") from None
    if not value.is_finite() or value < 0:
        raise ValueError(f"判赔金额应为非负有限数：{amount!r}")
    return value


def typed_references(awards: Iterable[tuple[str, str, str, Decimal | str | int | float]], min_count: int
                     ) -> list[ReferenceGroup]:
    """Reference ranges of past awards per (right type, industry, infringement type).

    Why ``min_count``: a "typical award" from two cases misleads more than it helps, so smaller groups
    are omitted (``min_count`` below 1 counts as 1). Quartiles use linear interpolation (inclusive
    method); groups are sorted by key; money is rounded to the fen. Pure statistics: the caller decides
    which closed cases count as awards.
    """
    groups: dict[tuple[str, str, str], list[Decimal]] = defaultdict(list)
    for right_type, industry, infringement_type, amount in awards:
        groups[(right_type, industry, infringement_type)].append(_award(amount))
    out: list[ReferenceGroup] = []
    for (right_type, industry, infringement_type), values in sorted(groups.items()):
        if len(values) < max(min_count, 1):
            continue
        values.sort()
        out.append(ReferenceGroup(
            right_type=right_type, industry=industry, infringement_type=infringement_type, count=len(values),
            median=_fen(Decimal(statistics.median(values))), q1=_fen(_quantile(values, Decimal("0.25"))),
            q3=_fen(_quantile(values, Decimal("0.75"))), minimum=_fen(values[0]), maximum=_fen(values[-1]),
        ))
    return out
