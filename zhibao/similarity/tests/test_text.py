"""TextIndex (MinHash/LSH) and overlapping_passages."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhibao.similarity.errors import SimilarityInputError
from zhibao.similarity.text import TextIndex, overlapping_passages, shingles

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
