"""Throughput of zhibao.law: statutory deadlines and damages calculations per second.

Why: the intake page computes deadlines for every complaint and the mediation screen recomputes
damages as figures are typed, so both must stay cheap. Each figure is compared, in the same run,
with a named naive baseline doing the same job the obvious way:

* deadlines — baseline "naive day loop": walk day by day calling ``chinese_calendar.is_workday``
  (which re-validates the year range on every call); same answers, checked below.
* damages — baseline "bare float formula": max(loss, gains) × multiple + costs in floats, with no
  validation, no legal order, no steps; the cost of doing it properly, not a competitor.

Run: ``python bench/bench_law.py`` (prints a markdown section; well under 30 s).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import chinese_calendar as cc

from zhibao.law import damages, periods

DURATION = 1.5  # seconds per measurement


def _rate(fn: Callable[[int], object], n_inputs: int) -> float:
    """Calls per second of ``fn(i)`` cycling over ``n_inputs`` prepared inputs for about DURATION s."""
    count, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < DURATION:
        for i in range(200):
            fn((count + i) % n_inputs)
        count += 200
    return count / elapsed


def naive_deadline(start: date, days: int) -> date:
    """The baseline: count calendar days, then step forward one day at a time asking the package."""
    d = start + timedelta(days=days)
    while not cc.is_workday(d):
        d += timedelta(days=1)
    return d


def naive_damages(loss: float, gains: float, multiple: float, costs: float) -> float:
    return max(loss, gains) * multiple + costs


def main() -> None:
    rng = random.Random(20260916)
    starts = [date(2024, 1, 1) + timedelta(days=rng.randrange(0, 900)) for _ in range(500)]
    lengths = [rng.choice([3, 15, 30, 20, 5]) for _ in starts]
    for s, n in zip(starts, lengths, strict=True):  # same answers before timing anything
        assert periods.deadline(s, days=n).deadline == naive_deadline(s, n)
    inputs = [damages.DamagesInput(right_type=rng.choice(["patent", "trademark", "copyright", "trade_secret"]),
                                   actual_loss=Decimal(rng.randrange(0, 10**7)) / 100,
                                   infringer_gains=Decimal(rng.randrange(0, 10**7)) / 100,
                                   wilful=True, serious=rng.random() < 0.5, punitive_multiple=Decimal("2.5"),
                                   reasonable_costs=Decimal("12000.50")) for _ in range(500)]
    floats = [(float(i.actual_loss or 0), float(i.infringer_gains or 0), 2.5, 12000.5) for i in inputs]
    on = date(2026, 11, 25)

    rows = [
        ("deadline(start, days=N)", _rate(lambda i: periods.deadline(starts[i], days=lengths[i]), len(starts)),
         "naive day loop (chinese_calendar.is_workday per day)",
         _rate(lambda i: naive_deadline(starts[i], lengths[i]), len(starts))),
        ("deadline(start, working_days=N)",
         _rate(lambda i: periods.deadline(starts[i], working_days=lengths[i]), len(starts)),
         "naive day loop counting is_workday days",
         _rate(lambda i: _naive_working(starts[i], lengths[i]), len(starts))),
        ("damages.calculate (validated input)", _rate(lambda i: damages.calculate(inputs[i], on=on), len(inputs)),
         "bare float formula", _rate(lambda i: naive_damages(*floats[i]), len(floats))),
    ]
    print("## zhibao.law\n")
    print(f"Python throughput, {DURATION:g} s per measurement, 500 prepared inputs each "
          f"(chinese_calendar {cc.__version__ if hasattr(cc, '__version__') else '?'}).\n")
    print("| operation | per second | baseline | baseline per second | ratio |")
    print("|---|---:|---|---:|---:|")
    for name, rate, base_name, base_rate in rows:
        print(f"| {name} | {rate:,.0f} | {base_name} | {base_rate:,.0f} | {rate / base_rate:.2f}× |")


def _naive_working(start: date, n: int) -> date:
    d, counted = start, 0
    while counted < n:
        d += timedelta(days=1)
        if cc.is_workday(d):
            counted += 1
    return d


if __name__ == "__main__":
    main()
