"""Civil damages for IP infringement: which basis applies, the punitive multiple, and costs.

Why: the platform proposes a figure in mediation and adjudication; a figure nobody can trace to
a statute is useless there. Every step therefore names its legal reference, and the ranges,
multiples and references are versioned data (:data:`RULESETS`) selected by the date ``on``.

Order of bases (see ``/work/shared/DOMAIN.md``):

* trademark (商标法第六十三条) and trade secret (反不正当竞争法第十七条): strict order —
  actual loss, then infringer's gains, then (trademark only) a multiple of the licence fee.
* patent (专利法第七十一条) and copyright (著作权法第五十四条): actual loss *or* gains, at
  the right holder's choice — when both are proven the larger is used; then the licence fee
  (× a reasonable multiple for patents; the fee itself for copyright).
* statutory damages only when no basis is proven, within the right's range.

A value of 0 counts as proven (the loss was determined to be nothing); ``None`` means unproven.
That keeps the result monotonic: proving a larger amount never lowers the total.

Punitive damages (法释〔2021〕4号): only when wilful AND serious AND a multiple is given; base
× multiple, never on a statutory amount (第五条), and reasonable costs are added after, never
multiplied. All arithmetic is Decimal; rounding to the fen (ROUND_HALF_UP) happens once, at the end.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

RightType = Literal["patent", "trademark", "copyright", "trade_secret"]
Basis = Literal["actual_loss", "infringer_gains", "licence_fee", "statutory"]

FEN = Decimal("0.01")
PUNITIVE_REFERENCE = "法释〔2021〕4号《最高人民法院关于审理侵害知识产权民事案件适用惩罚性赔偿的解释》"


class DamagesError(ValueError):
    """The inputs cannot give a lawful figure (no basis, statutory amount out of range, …)."""


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


RULESETS: tuple[RuleSet, ...] = (
    RuleSet("patent", "patent@2009-10-01", date(2009, 10, 1), "专利法（2008年修正）", False, "multiple",
            Decimal("10000"), Decimal("1000000"), None,
            "专利法（2008年修正）第六十五条第一款", "专利法（2008年修正）第六十五条第二款",
            "专利法（2008年修正）第六十五条第一款", "故意"),
    RuleSet("patent", "patent@2021-06-01", date(2021, 6, 1), "专利法", False, "multiple",
            Decimal("30000"), Decimal("5000000"), Decimal("5"),
            "专利法第七十一条第一款", "专利法第七十一条第二款", "专利法第七十一条第三款", "故意"),
    RuleSet("trademark", "trademark@2014-05-01", date(2014, 5, 1), "商标法（2013年修正）", True, "multiple",
            Decimal("0"), Decimal("3000000"), Decimal("3"),
            "商标法（2013年修正）第六十三条第一款", "商标法（2013年修正）第六十三条第三款",
            "商标法（2013年修正）第六十三条第一款", "恶意"),
    RuleSet("trademark", "trademark@2019-11-01", date(2019, 11, 1), "商标法", True, "multiple",
            Decimal("0"), Decimal("5000000"), Decimal("5"),
            "商标法第六十三条第一款", "商标法第六十三条第三款", "商标法第六十三条第一款", "恶意"),
    RuleSet("copyright", "copyright@2010-04-01", date(2010, 4, 1), "著作权法（2010年修正）", False, "none",
            Decimal("0"), Decimal("500000"), None,
            "著作权法（2010年修正）第四十九条第一款", "著作权法（2010年修正）第四十九条第二款",
            "著作权法（2010年修正）第四十九条第一款", "故意"),
    RuleSet("copyright", "copyright@2021-06-01", date(2021, 6, 1), "著作权法", False, "fee",
            Decimal("500"), Decimal("5000000"), Decimal("5"),
            "著作权法第五十四条第一款", "著作权法第五十四条第二款", "著作权法第五十四条第三款", "故意"),
    # [check] the 2025 revision of the Anti-Unfair Competition Law (effective 2025-10-15) renumbered
    # the damages article; the figures are unchanged in our reading, the article number is to verify.
    RuleSet("trade_secret", "trade_secret@2019-04-23", date(2019, 4, 23), "反不正当竞争法", True, "none",
            Decimal("0"), Decimal("5000000"), Decimal("5"),
            "反不正当竞争法第十七条第三款", "反不正当竞争法第十七条第四款", "反不正当竞争法第十七条第三款",
            "恶意"),
)


def ruleset_for(right_type: RightType, on: date | None = None) -> RuleSet:
    """The version of the right's article in force on ``on`` (default today)."""
    day = on or date.today()
    candidates = [r for r in RULESETS if r.right_type == right_type and r.effective <= day]
    if not candidates:
        raise DamagesError(f"{day} 没有可用的 {right_type} 赔偿规则（规则数据自更早版本起未收录）")
    return max(candidates, key=lambda r: r.effective)



class DamagesInput(BaseModel):
    """What the right holder can prove. Amounts are CNY; decimal strings are accepted (and preferred)."""

    model_config = ConfigDict(extra="forbid")

    right_type: RightType
    actual_loss: Decimal | None = Field(default=None, ge=0, allow_inf_nan=False)
    infringer_gains: Decimal | None = Field(default=None, ge=0, allow_inf_nan=False)
    licence_fee: Decimal | None = Field(default=None, ge=0, allow_inf_nan=False)
    # A "reasonable multiple" of the licence fee (专利法第七十一条, 商标法第六十三条). Courts usually
    # use 1-3; the cap of 5 matches the punitive ceiling and stops typos (e.g. 50) from passing.
    licence_multiple: Decimal = Field(default=Decimal("1"), gt=0, le=5, allow_inf_nan=False)
    wilful: bool = False
    serious: bool = False
    punitive_multiple: Decimal | None = Field(default=None, ge=1, le=5, allow_inf_nan=False)
    reasonable_costs: Decimal = Field(default=Decimal("0"), ge=0, allow_inf_nan=False)
    statutory_amount: Decimal | None = Field(default=None, ge=0, allow_inf_nan=False)
    evidence_notes: str = ""


class Step(BaseModel):
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


def _fmt(amount: Decimal) -> str:
    return f"{amount.quantize(FEN, rounding=ROUND_HALF_UP):,}"


def _choose_base(inp: DamagesInput, rs: RuleSet, steps: list[Step], warnings: list[str]
                 ) -> tuple[Basis, Decimal] | None:
    loss, gains = inp.actual_loss, inp.infringer_gains
    ref = rs.ref_bases
    if rs.strict_order:
        if loss is not None:
            steps.append(Step(description=f"权利人的实际损失可以确定：{_fmt(loss)} 元", amount=loss,
                              legal_reference=ref))
            if gains is not None:
                steps.append(Step(description="按法定顺序，实际损失可以确定时不适用侵权人获利", amount=gains,
                                  legal_reference=ref))
            return "actual_loss", loss
        if gains is not None:
            steps.append(Step(description=f"实际损失难以确定，按侵权人因侵权所获利益：{_fmt(gains)} 元",
                              amount=gains, legal_reference=ref))
            return "infringer_gains", gains
    else:
        if loss is not None and gains is not None:
            if gains > loss:
                steps.append(Step(description=f"实际损失 {_fmt(loss)} 元与侵权获利 {_fmt(gains)} 元均已证明；"
                                  "二者可由权利人选择，取较高的侵权获利", amount=gains, legal_reference=ref))
                return "infringer_gains", gains
            steps.append(Step(description=f"实际损失 {_fmt(loss)} 元与侵权获利 {_fmt(gains)} 元均已证明；"
                              "二者可由权利人选择，取较高（或相等）的实际损失", amount=loss, legal_reference=ref))
            return "actual_loss", loss
        if loss is not None:
            steps.append(Step(description=f"按权利人的实际损失：{_fmt(loss)} 元", amount=loss, legal_reference=ref))
            return "actual_loss", loss
        if gains is not None:
            steps.append(Step(description=f"按侵权人因侵权所获利益：{_fmt(gains)} 元", amount=gains,
                              legal_reference=ref))
            return "infringer_gains", gains
    fee = inp.licence_fee
    if fee is not None:
        if rs.licence_basis == "multiple":
            amount = fee * inp.licence_multiple
            steps.append(Step(description=f"损失和获利均难以确定，参照许可使用费 {_fmt(fee)} 元的 "
                              f"{inp.licence_multiple} 倍合理确定：{_fmt(amount)} 元", amount=amount,
                              legal_reference=ref))
            return "licence_fee", amount
        if rs.licence_basis == "fee":
            if inp.licence_multiple != 1:
                warnings.append(f"{rs.law}按权利使用费本身计算，不适用倍数；已忽略倍数 {inp.licence_multiple}")
            steps.append(Step(description=f"损失和获利均难以确定，按权利使用费：{_fmt(fee)} 元", amount=fee,
                              legal_reference=ref))
            return "licence_fee", fee
        warnings.append(f"{rs.law}未规定以许可使用费为赔偿依据；许可使用费仅可作为确定损失的参考，已忽略")
    return None


def calculate(inp: DamagesInput, on: date | None = None) -> DamagesResult:
    """Damages for ``inp`` under the rules in force on ``on`` (default today).

    Raises :class:`DamagesError` when no basis is proven and no statutory amount is asked for, when
    the statutory amount is outside the right's range, or a punitive multiple exceeds the version's cap.
    """
    rs = ruleset_for(inp.right_type, on)
    steps: list[Step] = []
    warnings: list[str] = []
    chosen = _choose_base(inp, rs, steps, warnings)
    if chosen is None:
        if inp.statutory_amount is None:
            raise DamagesError("没有可确定的赔偿依据（实际损失、侵权获利、许可使用费），也没有提出法定赔偿数额 "
                               "statutory_amount")
        amount = inp.statutory_amount
        if not rs.statutory_min <= amount <= rs.statutory_max:
            low = f"{_fmt(rs.statutory_min)} 元以上、" if rs.statutory_min > 0 else ""
            raise DamagesError(f"法定赔偿数额 {_fmt(amount)} 元超出范围：{rs.ref_statutory}规定"
                               f"{low}{_fmt(rs.statutory_max)} 元以下")
        basis: Basis = "statutory"
        base = amount
        steps.append(Step(description=f"实际损失、侵权获利和许可使用费均难以确定，由人民法院根据侵权情节"
                          f"在法定范围内确定：{_fmt(amount)} 元", amount=amount, legal_reference=rs.ref_statutory))
    else:
        basis, base = chosen
        if inp.statutory_amount is not None:
            warnings.append("已有可确定的赔偿依据，法定赔偿仅在各项依据均难以确定时适用；已忽略 statutory_amount")

    punitive_applied = False
    compensation = base
    multiple = inp.punitive_multiple
    wants = inp.wilful and inp.serious
    if multiple is not None and not wants:
        missing = "、".join(w for w, ok in ((rs.wilful_word, inp.wilful), ("情节严重", inp.serious)) if not ok)
        warnings.append(f"惩罚性赔偿需同时具备{rs.wilful_word}侵权和情节严重，缺少：{missing}；未适用倍数")
    elif wants and multiple is None:
        warnings.append("已认定故意和情节严重，但未提供惩罚性赔偿倍数 punitive_multiple；未适用")
    elif wants and multiple is not None:
        if basis == "statutory":
            warnings.append("惩罚性赔偿的计算基数不包括法定赔偿数额（法释〔2021〕4号第五条）；未适用倍数")
        elif rs.punitive_max is None:
            warnings.append(f"{rs.law}（{rs.version}）未规定惩罚性赔偿；未适用倍数")
        elif multiple > rs.punitive_max:
            raise DamagesError(f"惩罚性赔偿倍数 {multiple} 超出 {rs.ref_bases} 规定的 1–{rs.punitive_max} 倍")
        else:
            punitive_applied = True
            compensation = base * multiple
            steps.append(Step(description=f"{rs.wilful_word}侵权且情节严重，以基数 {_fmt(base)} 元的 {multiple} 倍"
                              f"确定赔偿：{_fmt(compensation)} 元（{PUNITIVE_REFERENCE}第五条、第六条）",
                              amount=compensation, legal_reference=rs.ref_bases))
    costs = inp.reasonable_costs
    if costs:
        steps.append(Step(description=f"另加权利人为制止侵权行为所支付的合理开支 {_fmt(costs)} 元（不计入惩罚性"
                          "赔偿基数）", amount=costs, legal_reference=rs.ref_costs))
    total = (compensation + costs).quantize(FEN, rounding=ROUND_HALF_UP)
    steps.append(Step(description=f"合计：{_fmt(total)} 元", amount=total, legal_reference=rs.ref_bases))
    return DamagesResult(
        basis=basis, base=base.quantize(FEN, rounding=ROUND_HALF_UP), punitive_applied=punitive_applied,
        punitive_multiple=multiple if punitive_applied else None,
        compensation=compensation.quantize(FEN, rounding=ROUND_HALF_UP),
        reasonable_costs=costs.quantize(FEN, rounding=ROUND_HALF_UP), total=total, steps=steps,
        warnings=warnings, rule_version=rs.version,
    )


def _quantile(sorted_values: list[Decimal], q: Decimal) -> Decimal:
    """Linear interpolation between closest ranks (the 'inclusive' method, numpy's default)."""
    position = (len(sorted_values) - 1) * q
    low = int(position)
    high = min(low + 1, len(sorted_values) - 1)
    fraction = position - low
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * fraction


def typed_references(awards: Iterable[tuple[str, str, str, Decimal]], min_count: int
                     ) -> list[dict[str, object]]:
    """Reference ranges of past awards per (right type, industry, infringement type).

    Why ``min_count``: a "typical award" from two cases misleads more than it helps, so smaller
    groups are omitted. Quartiles use linear interpolation (inclusive method); results are
    sorted by the group key and money is rounded to the fen.
    """
    groups: dict[tuple[str, str, str], list[Decimal]] = defaultdict(list)
    for right_type, industry, infringement_type, amount in awards:
        groups[(right_type, industry, infringement_type)].append(Decimal(amount))
    out: list[dict[str, object]] = []
    for (right_type, industry, infringement_type), values in sorted(groups.items()):
        if len(values) < max(min_count, 1):
            continue
        values.sort()
        out.append({
            "right_type": right_type, "industry": industry, "infringement_type": infringement_type,
            "count": len(values),
            "median": Decimal(statistics.median(values)).quantize(FEN, rounding=ROUND_HALF_UP),
            "q1": _quantile(values, Decimal("0.25")).quantize(FEN, rounding=ROUND_HALF_UP),
            "q3": _quantile(values, Decimal("0.75")).quantize(FEN, rounding=ROUND_HALF_UP),
        })
    return out
