"""Throughput of zhibao.law: statutory deadlines and damages calculations per second.

Why: the intake page computes deadlines for every complaint and the mediation screen recomputes
damages as figures are typed, so both must stay cheap. Each figure is compared, in the same run,
with a named naive baseline doing the same job the obvious way:

* deadlines — baseline "naive day loop": step day by day calling ``chinese_calendar.is_workday``
  (which re-validates the year range on every call). The answers are checked equal before timing.
* damages — baseline "bare float formula": max(loss, gains) × multiple + costs in floats, with no
  validation, no legal order, no steps, no Decimal: the cost of doing it properly, not a competitor.

Run: ``python bench/bench_law.py`` (prints a markdown section; about 15 s, well under 30 s).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import chinese_calendar as cc

from zhibao.law import damages, periods

DURATION = 1.2  # seconds per measurement
N_INPUTS = 500


def _rate(fn: Callable[[int], object], n_inputs: int) -> float:
    """Calls per second of ``fn(i)`` cycling over ``n_inputs`` prepared inputs for about DURATION s."""
    count, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < DURATION:
        for i in range(100):
            fn((count + i) % n_inputs)
        count += 100
    return count / elapsed


def naive_deadline(start: date, days: int) -> date:
    """Baseline: count calendar days, then step forward one day at a time asking the package."""
    d = start + timedelta(days=days)
    while not cc.is_workday(d):
        d += timedelta(days=1)
    return d


def naive_working(start: date, n: int) -> date:
    """Baseline: step day by day, counting the days the package calls working days."""
    d, counted = start, 0
    while counted < n:
        d += timedelta(days=1)
        if cc.is_workday(d):
            counted += 1
    return d


def naive_months(start: date, months: int) -> date:
    """Baseline: month arithmetic, then the same day loop."""
    return naive_deadline(start, (periods.add_months(start, months) - start).days)


def naive_damages(loss: float, gains: float, multiple: float, costs: float) -> float:
    return max(loss, gains) * multiple + costs


def main() -> None:
    rng = random.Random(20260916)
    starts = [date(2024, 1, 1) + timedelta(days=rng.randrange(0, 900)) for _ in range(N_INPUTS)]
    lengths = [rng.choice([3, 5, 15, 20, 30]) for _ in starts]
    for s, n in zip(starts, lengths, strict=True):  # same answers before timing anything
        assert periods.deadline(s, days=n).deadline == naive_deadline(s, n)
        assert periods.deadline(s, working_days=n).deadline == naive_working(s, n)
        assert periods.deadline_for("adjudication_decision", s).deadline == naive_months(s, 3)
    raw = [{"right_type": rng.choice(["patent", "trademark", "copyright", "trade_secret"]),
            "actual_loss": str(Decimal(rng.randrange(0, 10**7)) / 100),
            "infringer_gains": str(Decimal(rng.randrange(0, 10**7)) / 100),
            "wilful": True, "serious": rng.random() < 0.5, "punitive_multiple": "2.5",
            "reasonable_costs": "12000.50"} for _ in range(N_INPUTS)]
    inputs = [damages.DamagesInput.model_validate(r) for r in raw]
    floats = [(float(i.actual_loss or 0), float(i.infringer_gains or 0), 2.5, 12000.5) for i in inputs]
    on = date(2026, 11, 25)

    rows = [
        ("deadline(start, days=N)", _rate(lambda i: periods.deadline(starts[i], days=lengths[i]), N_INPUTS),
         "naive day loop (chinese_calendar.is_workday per day)",
         _rate(lambda i: naive_deadline(starts[i], lengths[i]), N_INPUTS)),
        ("deadline(start, working_days=N)",
         _rate(lambda i: periods.deadline(starts[i], working_days=lengths[i]), N_INPUTS),
         "naive day loop counting is_workday days", _rate(lambda i: naive_working(starts[i], lengths[i]), N_INPUTS)),
        ("deadline_for('adjudication_decision') (3 months)",
         _rate(lambda i: periods.deadline_for("adjudication_decision", starts[i]), N_INPUTS),
         "month arithmetic + naive day loop", _rate(lambda i: naive_months(starts[i], 3), N_INPUTS)),
        ("damages.calculate (validated input)", _rate(lambda i: damages.calculate(inputs[i], on=on), N_INPUTS),
         "bare float formula", _rate(lambda i: naive_damages(*floats[i]), N_INPUTS)),
        ("damages: validate JSON-like dict + calculate",
         _rate(lambda i: damages.calculate(damages.DamagesInput.model_validate(raw[i]), on=on), N_INPUTS),
         "bare float formula", _rate(lambda i: naive_damages(*floats[i]), N_INPUTS)),
    ]
    first, last = periods.supported_years()
    print("## zhibao.law\n")
    print(f"Python throughput, {DURATION:g} s per measurement, {N_INPUTS} prepared inputs each "
          f"(chinese_calendar {getattr(cc, '__version__', '?')}, holiday data {first}–{last}). "
          "Deadline answers were checked equal to the baseline's before timing.\n")
    print("| operation | per second | baseline | baseline per second | ratio |")
    print("|---|---:|---|---:|---:|")
    for name, rate, base_name, base_rate in rows:
        print(f"| {name} | {rate:,.0f} | {base_name} | {base_rate:,.0f} | {rate / base_rate:.2f}× |")


if __name__ == "__main__":
    main()
