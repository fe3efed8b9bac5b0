"""Precision and recall of compare() on labelled real and guideline pairs (data/labelled_pairs.csv).

Why: the rules are tuned by hand; this set, built from the examination guideline's grounds and
known disputes, stops a change that helps one case from quietly breaking others.
"""

from __future__ import annotations

import csv
from importlib import resources

from zhibao.similarity.marks import compare


def load() -> list[dict[str, str]]:
    text = (resources.files("zhibao.similarity") / "data" / "labelled_pairs.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def test_the_set_is_large_and_cited() -> None:
    rows = load()
    assert len(rows) >= 100
    assert all(r["source"].strip() and r["similar"] in {"0", "1"} for r in rows)
    assert {r["similar"] for r in rows} == {"0", "1"}


def test_every_source_is_checked_reported_or_constructed() -> None:
    """No case number from memory: a row cites a checked ruling or example (已核), a news report (报道),
    or says it is a constructed example of a named rule (构造示例, 依据规则 R0–R8; see data/SOURCES.md)."""
    for row in load():
        source = row["source"]
        assert not any(mark in source for mark in ("凭记忆", "待核", "未核")), row
        assert source.startswith(("已核", "报道", "构造示例, 依据规则 R")), row
        if source.startswith("已核") or source.startswith("报道"):
            assert "http" in source, row


def test_precision_and_recall(capsys) -> None:  # type: ignore[no-untyped-def]
    tp = fp = fn = tn = 0
    misses = []
    for row in load():
        predicted = compare(row["a"], row["b"]).similar
        actual = row["similar"] == "1"
        tp += predicted and actual
        fp += predicted and not actual
        fn += actual and not predicted
        tn += not predicted and not actual
        if predicted != actual:
            misses.append(f"{row['a']}/{row['b']} labelled {int(actual)}")
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    with capsys.disabled():
        print(f"\nlabelled pairs: {tp + fp + fn + tn}, precision {precision:.3f}, recall {recall:.3f}; "
              f"misses: {', '.join(misses) or 'none'}")
    assert precision >= 0.9 and recall >= 0.9
