"""Patent application numbers, trademark numbers, Nice classes and IPC symbols."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhibao.law import patents

TODAY = date(2026, 11, 25)


def number(body12: str) -> str:
    return f"{body12}.{patents.compute_check_digit(body12)}"


def test_check_digit_follows_the_weights():
    # Σ d_i × (2,3,4,5,6,7,8,9,2,3,4,5) for 2021 1 0123456 = 4+0+8+5+6+0+8+18+6+12+20+30 = 117 → 117 mod 11 = 7
    assert patents.compute_check_digit("202110123456") == "7"
    with pytest.raises(ValueError):
        patents.compute_check_digit("20211012345")


@pytest.mark.parametrize(("type_digit", "label"), [("1", "发明"), ("2", "实用新型"), ("3", "外观设计"),
                                                   ("8", "PCT 发明（进入国家阶段）"),
                                                   ("9", "PCT 实用新型（进入国家阶段）")])
def test_type_digit_gives_the_type_label(type_digit: str, label: str):
    result = patents.validate_application_number(number(f"2024{type_digit}0012345"), today=TODAY)
    assert result.valid and result.type_label == label and result.type_digit == type_digit and result.year == 2024


@pytest.mark.parametrize("spelling", ["CN202110123456.7", "202110123456.7", "2021101234567", "ZL202110123456.7",
                                      "cn 2021 1012 3456.7", "２０２１１０１２３４５６．７"])
def test_accepted_spellings_normalise_to_the_dotted_form(spelling: str):
    result = patents.validate_application_number(spelling, today=TODAY)
    assert result.valid and result.normalized == "202110123456.7"


def test_check_digit_can_be_x_and_lowercase_x_is_accepted():
    body = next(f"2020{t}{n:07d}" for t in "123" for n in range(1000)
                if patents.compute_check_digit(f"2020{t}{n:07d}") == "X")
    assert patents.validate_application_number(f"{body}.X", today=TODAY).valid
    assert patents.validate_application_number(f"{body}.x", today=TODAY).valid


@pytest.mark.parametrize(("raw", "fragment"), [
    ("20211012345", "格式"),
    ("", "格式"),
    ("202150123456.1", "第5位专利类型 '5' 无效"),
    ("199910123456.1", "申请年份 1999"),
    ("209910123456.1", "申请年份 2099"),
    ("202110123456.8", "校验位错误：应为 7，实际为 8"),
    ("98123456.X", "旧申请号"),
])
def test_bad_patent_numbers_explain_why(raw: str, fragment: str):
    result = patents.validate_application_number(raw, today=TODAY)
    assert not result.valid and any(fragment in e for e in result.errors), result.errors


@given(st.integers(2003, 2026), st.sampled_from("12389"), st.integers(0, 9_999_999), st.integers(0, 11),
       st.integers(1, 9))
def test_any_single_digit_change_is_detected(year: int, type_digit: str, serial: int, pos: int, shift: int):
    body = f"{year}{type_digit}{serial:07d}"
    changed = body[:pos] + str((int(body[pos]) + shift) % 10) + body[pos + 1:]
    assert patents.compute_check_digit(changed) != patents.compute_check_digit(body)


def test_trademark_numbers_are_digits():
    assert patents.validate_trademark_number("12345678").valid
    assert patents.validate_trademark_number(" 00123 ").normalized == "123"
    for bad in ("", "12a45", "12345678901", None):
        assert not patents.validate_trademark_number(bad).valid


def test_nice_classes_from_strings_lists_and_ints():
    assert patents.parse_nice_classes("9,35,42") == ([9, 35, 42], [])
    assert patents.parse_nice_classes("9，35、9 42") == ([9, 35, 42], [])
    assert patents.parse_nice_classes([35, 9]) == ([9, 35], [])
    assert patents.parse_nice_classes(25) == ([25], [])
    assert patents.parse_nice_classes(None) == ([], [])
    classes, problems = patents.parse_nice_classes([0, 46, "x", 45])
    assert classes == [45] and len(problems) == 3
    assert patents.validate_nice_class(1) and patents.validate_nice_class("45")
    assert not patents.validate_nice_class(True) and not patents.validate_nice_class(46)


@pytest.mark.parametrize(("symbol", "normalized"), [
    ("G06N 3/08", "G06N 3/08"), ("g06n3/08", "G06N 3/08"), ("H04L", "H04L"), ("G06F 40", "G06F 40"),
    ("H04W 4/70", "H04W 4/70"), ("A61K 31/1234", "A61K 31/1234"),
])
def test_ipc_symbols_are_parsed_and_normalised(symbol: str, normalized: str):
    result = patents.validate_ipc(symbol)
    assert result.valid and result.normalized == normalized


@pytest.mark.parametrize("symbol", ["G6N 3/08", "Z06N 3/08", "G06N 3/8", "G06N3/", "", "G06"])
def test_bad_ipc_symbols_are_rejected(symbol: str):
    assert not patents.validate_ipc(symbol).valid


def test_parse_ipc_splits_the_levels():
    parsed = patents.parse_ipc("G06N 3/08")
    assert parsed is not None
    assert (parsed.section, parsed.ipc_class, parsed.subclass, parsed.main_group, parsed.subgroup) == (
        "G", "06", "N", "3", "08")
