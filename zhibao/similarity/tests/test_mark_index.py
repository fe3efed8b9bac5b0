"""MarkIndex: finds the confusable marks of a register without scanning it, and round-trips a file."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from zhibao.similarity.marks import MarkIndex, Match, SimilarityInputError, compare
from zhibao.similarity.normalize import to_simplified

REGISTER = ["星河", "小米", "小米生活", "稻香村", "乔丹", "王老吉", "蜜蜂", "星巴克", "河星", "紅牛",
            "NEW BALANCE", "小米科技城", "华为", "海底捞", "康师傅", "雪碧", "全聚德", "NIKE"]


@pytest.fixture(scope="module")
def index() -> MarkIndex:
    return MarkIndex.from_names(REGISTER)


@pytest.mark.parametrize(
    ("query", "expected", "reason"),
    [
        ("星禾", "星河", "同音"),
        ("XINGHE", "星河", "拼音对应"),
        ("星何", "星河", "形近字"),
        ("北京稻香村", "稻香村", "含有在先商标"),
        ("QIAODAN", "乔丹", "拼音对应"),
        ("新百伦", "NEW BALANCE", "外文对应"),
        ("星巴巴", "星巴克", "仅一字之差"),
        ("红牛", "紅牛", "繁简体"),
        ("小米旗舰店", "小米", "含有在先商标"),
        ("康帅傅", "康师傅", "形近字"),
        ("雷碧", "雪碧", "形近字"),
        ("全聚得", "全聚德", "同音"),
        ("華為", "华为", "繁简体"),
        ("NIKF", "NIKE", "字母构成近似"),
    ],
)
def test_search_finds_the_confusable_mark_first(index: MarkIndex, query: str, expected: str, reason: str) -> None:
    found = index.search(query, limit=3)
    assert found, query
    top = found[0]
    assert isinstance(top, Match)
    assert top.name == expected and top.index == REGISTER.index(expected)
    assert top.similar and any(reason in r for r in top.reasons), top.reasons


def test_search_returns_containing_marks_and_respects_limit(index: MarkIndex) -> None:
    names = [m.name for m in index.search("小米", limit=10)]
    assert names[:3] == ["小米", "小米生活", "小米科技城"]
    assert len(index.search("小米", limit=1)) == 1


def test_search_scores_match_compare(index: MarkIndex) -> None:
    for m in index.search("星禾"):
        assert m.score == compare("星禾", m.name).score


def test_exceptions_are_not_flagged(index: MarkIndex) -> None:
    assert all(not m.similar for m in index.search("蜂蜜"))  # 蜜蜂: different meaning
    assert all(m.name != "海底捞" or not m.similar for m in index.search("河底捞"))


def test_save_and_load_round_trip(index: MarkIndex, tmp_path: Path) -> None:
    path = tmp_path / "marks.idx"
    index.save(path)
    loaded = MarkIndex.load(path)
    assert len(loaded) == len(index) and loaded.name(3) == "稻香村"
    assert [(m.name, m.score) for m in loaded.search("星禾")] == [(m.name, m.score) for m in index.search("星禾")]
    assert path.stat().st_size < 20_000


def test_load_rejects_missing_foreign_and_damaged_files(tmp_path: Path) -> None:
    with pytest.raises(SimilarityInputError):
        MarkIndex.load(tmp_path / "nope.idx")
    junk = tmp_path / "junk.idx"
    junk.write_bytes(b"not an index")
    with pytest.raises(SimilarityInputError):
        MarkIndex.load(junk)


def test_bad_register_names_name_the_line() -> None:
    with pytest.raises(SimilarityInputError, match="第 2 个"):
        MarkIndex.from_names(["星河", "  ", "小米"])
    with pytest.raises(SimilarityInputError):
        MarkIndex.from_names(["星" * 101])


@pytest.mark.parametrize("bad", ["", "   ", "星" * 101, None, 7])
def test_bad_query(index: MarkIndex, bad: object) -> None:
    with pytest.raises(SimilarityInputError):
        index.search(bad)  # type: ignore[arg-type]


def test_bad_limit(index: MarkIndex) -> None:
    with pytest.raises(SimilarityInputError):
        index.search("星河", limit=0)


def test_empty_register() -> None:
    empty = MarkIndex.from_names([])
    assert len(empty) == 0 and empty.search("星河") == []


def test_planted_variants_found_in_a_synthetic_register() -> None:
    """20,000 random marks with planted homophone, shape, traditional, added-word and pinyin variants."""
    rng = random.Random(7)
    chars = [bytes([hi, lo]).decode("gb2312") for hi in range(0xB0, 0xD7) for lo in range(0xA1, 0xFF)]
    names = ["".join(rng.choice(chars) for _ in range(rng.choice((2, 3, 3, 4)))) for _ in range(20_000)]
    from zhibao.similarity.phonetic import char_readings
    from zhibao.similarity.shapes import neighbours

    by_sound: dict[str, list[str]] = {}
    for c in chars:
        by_sound.setdefault(char_readings(c)[0], []).append(c)
    cases = []
    for n, slot in enumerate(rng.sample(range(len(names)), 100)):
        base = names[slot]
        pos = rng.randrange(len(base))
        kind = n % 5
        if kind == 0:
            options = [c for c in by_sound[char_readings(base[pos])[0]] if c != base[pos]] or [base[pos]]
            variant = base[:pos] + rng.choice(options) + base[pos + 1:]
        elif kind == 1:
            variant = base[:pos] + (neighbours(base[pos])[:1] or base[pos]) + base[pos + 1:]
        elif kind == 2:
            variant = "".join(c if to_simplified(c) != c else c for c in base) + "旗舰店"
        elif kind == 3:
            variant = "官方" + base + "科技"
        else:
            variant = "".join(char_readings(c)[0] for c in base).upper()
        cases.append((slot, variant))
    index = MarkIndex.from_names(names)
    hits = sum(any(m.index == slot for m in index.search(variant, limit=10)) for slot, variant in cases)
    assert hits >= 95, hits
