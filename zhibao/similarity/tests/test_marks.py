"""compare(): each examiner's ground gives a similar verdict and a reason a user can check."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhibao.similarity.marks import THRESHOLD, SimilarityInputError, compare
from zhibao.similarity.normalize import normalise
from zhibao.similarity.phonetic import segment_pinyin
from zhibao.similarity.shapes import neighbours, shape_similar


def reasons(a: str, b: str) -> str:
    result = compare(a, b)
    return " | ".join(result.reasons)


@pytest.mark.parametrize(
    ("a", "b", "reason"),
    [
        ("星河", "星禾", "同音: xing he"),
        ("张河", "藏河", "近音: zhang he / zang he"),
        ("星河", "星何", "形近字: 河/何"),
        ("己成", "已成", "形近字: 己/已"),
        ("红牛", "紅牛", "繁简体: 红牛/紅牛"),
        ("ＮＩＫＥ", "nike", "全半角/大小写"),
        ("小米", "小米生活", "含有在先商标: 小米"),
        ("小米", "小米生活", "添加通用词: 生活"),
        ("星河", "XINGHE", "拼音对应: XINGHE/星河"),
        ("乔丹", "QIAODAN", "拼音对应"),
        ("新百伦", "New Balance", "外文对应"),
        ("星河", "河星", "字序颠倒"),
        ("星巴克", "星巴巴", "仅一字之差"),
        ("拉菲", "拉菲庄园", "含有在先商标: 拉菲"),
        ("HAWK WOLF", "WOLF HAWK", "单词顺序不同"),
        ("NIKE", "NIKF", "字母构成近似"),
        ("星河XINGHE", "星河", "注音: XINGHE"),
        ("星河", "大星何", "含有读音相同部分: xing he"),  # same sound and a look-alike (河/何) inside
    ],
)
def test_similar_with_reason(a: str, b: str, reason: str) -> None:
    result = compare(a, b)
    assert result.similar, (a, b, result)
    assert result.score >= THRESHOLD
    assert any(reason in r for r in result.reasons), result.reasons


@pytest.mark.parametrize(
    ("a", "b", "reason"),
    [
        ("小米科技", "华为科技", "仅共有通用词: 科技"),
        ("科技", "小米科技", "仅共有通用词: 科技"),
        ("蜂蜜", "蜜蜂", "含义明显不同"),
        ("海底捞", "河底捞", "首字不同"),
        ("王老吉", "加多宝", "均不近似"),
        ("小米", "小麦", ""),
        ("ADI", "IDA", ""),
    ],
)
def test_not_similar_and_why(a: str, b: str, reason: str) -> None:
    result = compare(a, b)
    assert not result.similar, result
    assert result.score < THRESHOLD
    assert result.reasons and reason in " ".join(result.reasons)


@pytest.mark.parametrize(
    ("a", "b"),
    [("缄艇旗舰店", "健艇翻恕"), ("缄艇旗舰店", "硕煎艇"), ("缄艇", "捡听便你"), ("小米", "大晓米")],
)
def test_partial_reading_with_unrelated_characters_is_not_similar(a: str, b: str) -> None:
    """读音相同或者近似，且字形或者整体外观近似: a longer mark that only sounds like another in part,
    written with unrelated characters, is judged as a whole and is not similar (bench_monitoring's misses),
    also when the longer one is the earlier mark (the later, shorter sign does not reproduce it)."""
    for result in (compare(a, b), compare(a, b, earlier="b"), compare(b, a, earlier="a")):
        assert not result.similar, result
        assert not any("读音相同部分" in r for r in result.reasons)


def test_later_sign_sounding_like_the_whole_earlier_mark_plus_descriptive_words_is_similar() -> None:
    """R3 with R6: a later sign that is the earlier mark by sound plus words describing the goods (stripped
    from a mark's edges; any words of a product title) is similar whatever the characters; without knowing
    which is the earlier mark, or for two marks with distinctive characters around the match, it is not."""
    earlier = "星河"
    assert "同音: xing he" in compare("猩河智能", earlier).reasons  # R6: descriptive words stripped, whole homophone
    later = "猩河智能音箱 官方正品"  # a product title: the words around the sign describe the goods
    result = compare(later, earlier, earlier="b", in_title=True)
    assert result.similar and "含有读音相同部分: xing he" in result.reasons
    assert compare(earlier, later, earlier="a", in_title=True) == result
    assert not compare(later, earlier).similar  # the earlier mark unknown: 猩/星 are not listed look-alikes
    assert not compare(earlier, later, earlier="b", in_title=True).similar  # the shorter sign is the later one
    # two marks: distinctive characters around the sound match, judged as a whole
    assert not compare("猩河翻恕", earlier, earlier="b").similar
    with pytest.raises(SimilarityInputError):
        compare(later, earlier, earlier="c")


def test_identical_and_symmetric() -> None:
    assert compare("星河", "星河").score == 1.0
    for a, b in [("星河", "星禾"), ("小米", "小米生活"), ("乔丹", "QIAODAN"), ("海底捞", "河底捞")]:
        assert compare(a, b).similar == compare(b, a).similar
        assert compare(a, b).score == pytest.approx(compare(b, a).score)


def test_homophone_ranks_above_sound_only_match() -> None:
    # sharing a character as well as the sound is closer: the index relies on this to rank
    assert compare("星河", "星和").score > compare("星河", "兴合").score


def test_normalisation_pipeline() -> None:
    n = normalise("小米生活旗舰店")
    assert n.core == ("小", "米") and set(n.generics) == {"生活", "旗舰店"}
    assert normalise("臺灣啤酒").traditional and normalise("臺灣啤酒").text == "台湾啤酒"
    assert normalise("ＸＩＮＧＨＥ").text == "xinghe"
    assert normalise("生活").all_generic and not normalise("小米").all_generic


def test_pinyin_and_shape_tables() -> None:
    assert segment_pinyin("xinghe") == ("xing", "he")
    assert segment_pinyin("newbalance") is None
    assert shape_similar("河", "何") and shape_similar("何", "河")
    assert not shape_similar("河", "河")
    assert "已" in neighbours("己")


@pytest.mark.parametrize("bad", ["", "   ", "星" * 101, None, 42, b"xinghe", ["星河"], "!!!"])
def test_bad_input(bad: object) -> None:
    with pytest.raises(SimilarityInputError) as info:
        compare(bad, "星河")  # type: ignore[arg-type]
    assert str(info.value)
    with pytest.raises(SimilarityInputError):
        compare("星河", bad)  # type: ignore[arg-type]


def test_hundred_characters_is_allowed() -> None:
    assert compare("星" * 100, "星" * 100).similar


@settings(max_examples=150, deadline=None)
@given(st.text(min_size=1, max_size=12), st.text(min_size=1, max_size=12))
def test_any_text_gives_a_bounded_score_or_a_clear_error(a: str, b: str) -> None:
    try:
        result = compare(a, b)
    except SimilarityInputError as exc:
        assert str(exc)
        return
    assert 0.0 <= result.score <= 1.0
    assert result.similar == (result.score >= THRESHOLD)
    assert result.reasons


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="星河小米科技生活旗舰店稻香村乔丹红牛紅華为ＡBc", min_size=1, max_size=8))
def test_a_mark_is_similar_to_itself_in_traditional_form(a: str) -> None:
    from zhibao.similarity.normalize import to_simplified

    assert compare(a, a).score == 1.0
    assert compare(a, to_simplified(a)).similar
