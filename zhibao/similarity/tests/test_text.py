"""TextIndex (MinHash/LSH) and overlapping_passages."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhibao.similarity.errors import SimilarityInputError
from zhibao.similarity.text import (
    TextIndex,
    _code_points,
    _fast_normalise,
    jaccard,
    overlapping_passages,
    shingles,
)

CHARS = "的一是不了人我在有他这中大来上个国到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小心多天而能好"


def doc(seed: int, n: int = 400) -> str:
    r = random.Random(seed)
    return "".join(r.choice(CHARS) for _ in range(n))


@pytest.fixture(scope="module")
def index() -> TextIndex:
    idx = TextIndex()
    for i in range(300):
        idx.add(f"d{i}", doc(i))
    return idx


def test_near_duplicate_found_with_estimate(index: TextIndex) -> None:
    original = doc(42)
    copied = original[:200] + "，本店新增一句广告语，" + original[200:]
    hits = index.query(copied, threshold=0.6)
    assert hits[0][0] == "d42" and hits[0][1] >= 0.8
    true_j = len(set(shingles(copied)) & set(shingles(original))) / len(set(shingles(copied)) | set(shingles(original)))
    assert abs(hits[0][1] - true_j) < 0.15


def test_formatting_changes_do_not_hide_copy(index: TextIndex) -> None:
    spaced = " ".join(doc(7)[i : i + 40] for i in range(0, 400, 40))
    assert index.query(spaced.upper(), threshold=0.7)[0][0] == "d7"


def test_unrelated_text_not_returned(index: TextIndex) -> None:
    assert index.query(doc(10_000), threshold=0.5) == []


def test_incremental_add_after_query(index: TextIndex) -> None:
    index.add("late", doc(5000))
    assert index.query(doc(5000), threshold=0.9)[0] == ("late", 1.0)


def test_bad_input() -> None:
    idx = TextIndex()
    with pytest.raises(SimilarityInputError):
        idx.add("a", "   ")
    idx.add("a", "正文")
    with pytest.raises(SimilarityInputError):
        idx.add("a", "重复的编号")  # doc ids are unique
    with pytest.raises(SimilarityInputError):
        idx.query(123, 0.5)  # type: ignore[arg-type]
    with pytest.raises(SimilarityInputError):
        idx.query("text", 1.5)
    assert idx.query("没有任何文档", 0.1) == []


def test_overlapping_passages_spans() -> None:
    shared = "本产品采用进口原料精心制作口感醇厚回味悠长"
    a = "开头不同的文字" + shared + "结尾也不同"
    b = "完全另外的开头内容啊" + shared + "。"
    got = overlapping_passages(a, b)
    assert len(got) == 1
    (a0, a1), (b0, b1), passage = got[0]
    assert passage == shared == a[a0:a1] == b[b0:b1]


def test_overlapping_passages_multiple_and_none() -> None:
    p1, p2 = doc(1, 30), doc(2, 30)
    a = p1 + "甲" * 10 + p2
    b = p2 + "乙" * 5 + p1
    got = overlapping_passages(a, b)
    assert [g[2] for g in got] == [p1, p2]
    assert overlapping_passages("短文本", "另一个", min_chars=12) == []


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="甲乙丙丁ab", max_size=60), st.text(alphabet="甲乙丙丁ab", max_size=60))
def test_passages_are_real_common_substrings(a: str, b: str) -> None:
    for (a0, a1), (b0, b1), passage in overlapping_passages(a, b, min_chars=4):
        assert a[a0:a1] == b[b0:b1] == passage and len(passage) >= 4


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="甲乙丙丁繁體ＡＢab，。 _1２", max_size=30), min_size=1, max_size=6))
def test_batch_normalisation_matches_per_text(texts: list[str]) -> None:
    """The numpy lookup-table path normalises exactly like the per-text one (NFKC, case, 繁→简, punctuation)."""
    cps, lengths = _code_points(texts)
    got = cps.tobytes().decode("utf-32-le")
    assert lengths.tolist() == [len(_fast_normalise(t)) for t in texts]
    assert got == "".join(_fast_normalise(t) for t in texts)


def test_add_many_signs_like_add() -> None:
    texts = [doc(i, n) for i, n in enumerate((400, 3, 1, 40, 900))]
    one, many = TextIndex(), TextIndex()
    for i, t in enumerate(texts):
        one.add(i, t)
    many.add_many(enumerate(texts))
    assert (one._sig16.view() == many._sig16.view()).all()
    for t in texts:
        assert (one.signature(t) == many.signature(t)).all()
        assert many.query(t, 0.99)[0][1] == 1.0


def test_add_many_is_all_or_nothing() -> None:
    idx = TextIndex()
    idx.add("a", doc(1))
    for bad in ([("b", doc(2)), ("c", "，。！")], [("b", doc(2)), ("b", doc(3))], [("b", doc(2)), ("a", doc(4))],
                [("b", doc(2)), ("c", None)]):
        with pytest.raises(SimilarityInputError):
            idx.add_many(bad)  # type: ignore[arg-type]
        assert len(idx) == 1 and "b" not in idx
    with pytest.raises(SimilarityInputError, match="'c'"):
        idx.add_many([("b", doc(2)), ("c", "   ")])


def test_estimates_track_true_jaccard() -> None:
    """One-permutation hashing with densification estimates Jaccard without bias (mean error ≈ 0)."""
    r = random.Random(5)
    idx = TextIndex()
    base = [doc(100 + i, r.randrange(50, 800)) for i in range(60)]
    idx.add_many(enumerate(base))
    errors = []
    for i, text in enumerate(base):
        edited = "".join(c if r.random() > 0.06 else r.choice(CHARS) for c in text)
        est = dict(idx.query(edited, 0.0)).get(i, 0.0)
        errors.append(est - jaccard(text, edited))
    assert abs(sum(errors) / len(errors)) < 0.03
    assert max(map(abs, errors)) < 0.25


def test_short_texts_are_indexed() -> None:
    idx = TextIndex()
    idx.add_many([("one", "甲"), ("three", "甲乙丙"), ("title", "限时优惠正品保障")])
    assert idx.query("甲", 0.9) == [("one", 1.0)]
    assert idx.query("甲乙丙", 0.9) == [("three", 1.0)]
    assert idx.query("限时优惠 正品保障！", 0.9) == [("title", 1.0)]
