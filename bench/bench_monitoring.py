"""Benchmark monitoring's screening of new trademark applications against watch lists; prints markdown.

Usage: python bench/bench_monitoring.py [--watched N] [--items N] [--quick]

Why: every announcement issue (a few thousand applications a week) is screened against every right
holder's watched marks. The app screens through ``zhibao.monitoring.screening.Targets`` (the library's
``MarkIndex`` candidate generation over the watched marks, then the same exact rules); the named
baseline is the same rules applied to every watched mark (``Targets(..., brute_force=True)``), which is
what a straightforward loop over watch lists does. Both run in this process on the same synthetic data
(seeded; planted variants from bench_similarity.plant_marks), and the alerts of the two are compared on
the baseline's sample, so speed is not bought with missed alerts. No database: unsaved model instances.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhibao.settings")
os.environ.setdefault("ZHIBAO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from bench_similarity import GENERIC, common_chars, pct, plant_marks, rss_mb  # noqa: E402

from zhibao.monitoring import screening  # noqa: E402
from zhibao.monitoring.models import Screening  # noqa: E402
from zhibao.orgs.models import Organisation  # noqa: E402
from zhibao.rights.models import Right  # noqa: E402


def build_world(n_watched: int, n_items: int, rng: random.Random) -> tuple[list, list, set[tuple[int, str]]]:
    chars = common_chars()
    names = ["".join(rng.choice(chars) for _ in range(rng.choice((2, 3, 3, 4)))) for _ in range(n_watched)]
    for i in rng.sample(range(n_watched), n_watched // 5):
        names[i] += rng.choice(GENERIC)
    planted = plant_marks(names, max(4, n_items // 100), rng)  # (kind, original, variant)
    owners = [Organisation(name=f"权利人{k}", uscc=None) for k in range(max(1, n_watched // 5))]
    rows = []
    for i, name in enumerate(names):
        wl = SimpleNamespace(pk=i // 5, threshold=Decimal("0.70"))
        right = Right(pk=i + 1, right_type="trademark", title=name, owner=owners[i // 5 % len(owners)],
                      nice_classes=[9] if i % 3 else [rng.randint(1, 45)], status="valid")
        rows.append((wl, right, set(), ""))
    by_name = {r[1].title: r[1] for r in rows}
    announced = dt.date(2026, 11, 13)
    items, expected = [], set()
    for n, (_kind, original, variant) in enumerate(planted):
        items.append(Screening(pk=n + 1, source="application", name=variant, nice_classes=by_name[original].nice_classes,
                               announced_on=announced))
        expected.add((n + 1, original))
    while len(items) < n_items:
        name = "".join(rng.choice(chars) for _ in range(rng.choice((2, 3, 4))))
        items.append(Screening(pk=len(items) + 1, source="application", name=name, nice_classes=[rng.randint(1, 45)],
                               announced_on=announced))
    return rows, items, expected


def run(targets: screening.Targets, items: list) -> tuple[list[float], set[tuple[int, str]]]:
    times, alerts = [], set()
    for item in items:
        t = time.perf_counter()
        for wl, right, authorised, text in targets.for_item(item):
            hit = screening.hits_for(item, right, authorised_usccs=authorised, text_of_work=text)
            if hit is not None and hit.score >= wl.threshold:
                alerts.add((item.pk, right.title))
        times.append((time.perf_counter() - t) * 1000)
    return times, alerts


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--watched", type=int, default=50_000)
    p.add_argument("--items", type=int, default=2_000)
    p.add_argument("--baseline-items", type=int, default=100)
    p.add_argument("--quick", action="store_true")
    a = p.parse_args(argv)
    if a.quick:
        a.watched, a.items, a.baseline_items = 5_000, 300, 20
    rng = random.Random(20261125)
    started = time.perf_counter()
    rows, items, expected = build_world(a.watched, a.items, rng)
    rss0 = rss_mb()
    t = time.perf_counter()
    indexed = screening.Targets(rows)
    build_s = time.perf_counter() - t
    rss1 = rss_mb()
    brute = screening.Targets(rows, brute_force=True)
    times, alerts = run(indexed, items)
    planted_ids = {pk for pk, _ in expected}
    found = {(pk, title) for pk, title in alerts if (pk, title) in expected}
    sample = [i for i in items if i.pk in planted_ids][: a.baseline_items // 2] + \
        [i for i in items if i.pk not in planted_ids][: a.baseline_items // 2]
    b_times, b_alerts = run(brute, sample)
    sample_ids = {i.pk for i in sample}
    i_alerts = {x for x in alerts if x[0] in sample_ids}
    agree = len(i_alerts & b_alerts) / len(b_alerts) if b_alerts else 1.0
    total_s = sum(times) / 1000
    print(f"## zhibao.monitoring\n\n### Screening {len(items):,} new applications against {len(rows):,} watched marks "
          f"({len(rows) // 5:,} watch lists × 5, threshold 0.70; {len(expected)} planted look-alikes in the watched mark's class)\n")
    print("| metric | `Targets` (MarkIndex candidates → exact rules) | baseline: same rules on every watched mark | target |")
    print("| --- | --- | --- | --- |")
    print(f"| build per batch | {build_s:.2f} s, RSS +{rss1 - rss0:.0f} MB | – | – |")
    print(f"| per item p50 / p95 | {pct(times, 50):.2f} / {pct(times, 95):.2f} ms | "
          f"{pct(b_times, 50):.0f} / {pct(b_times, 95):.0f} ms ({len(sample)} items) | – |")
    print(f"| items per second | {len(items) / total_s:,.0f} | {len(sample) / (sum(b_times) / 1000):,.1f} | "
          f"a weekly issue (~5,000) in minutes |")
    print(f"| recall of planted look-alikes | {len(found) / len(expected):.2f} ({len(found)}/{len(expected)}) | – | ≥ 0.95 |")
    print(f"| alerts on the baseline's sample also raised by `Targets` | {agree:.2f} ({len(i_alerts & b_alerts)}/{len(b_alerts)}) | 1.00 | ≥ 0.95 |")
    print(f"| alerts raised in all | {len(alerts):,} | – | – |")
    print(f"\nThe baseline scores every watched mark with `compare` for each item, which grows with the number of "
          f"watched marks; `Targets` scores only the index's candidates. Whole run: {time.perf_counter() - started:.0f} s.")
    print("\nA partial reading (`含有读音相同部分`) is judged as the examination rules do (读音相同或者近似，*且*字形或者"
          "整体外观近似; a mark is compared as a whole): between two marks it needs look-alike characters; only a "
          "listing title or shop name that uses the whole watched (earlier) mark by sound among words describing the "
          "goods alerts without them (在他人在先商标中加上…特点的文字). Before, an application such as 缄艇旗舰店 was "
          "\"similar\" to the unrelated watched marks 健艇翻恕 and 硕煎艇, and 娃骚狠匙 to 羡石 (shared readings only); "
          "such alerts were the ones `Targets` missed against the baseline (0.89, 16/18 on a 20-item sample), and "
          "neither path raises them now (tests: `test_partial_reading_with_unrelated_characters_is_not_similar`, "
          "`test_later_sign_sounding_like_the_whole_earlier_mark_plus_descriptive_words_is_similar`), which is also "
          "why fewer alerts are raised in all (205, was 387).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
