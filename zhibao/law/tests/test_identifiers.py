"""USCC (GB 32100-2015) and patent application numbers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhibao.law import patents, uscc


def test_known_valid_code_passes_all_checks():
    # built from parts, both check characters computed independently
    code = uscc.make_uscc("91110108" + "MA01XH00" + uscc.compute_org_code_check("MA01XH00"))
    result = uscc.validate(code)
    assert result.valid and not result.warnings
    assert (result.division_code, result.entity_type, result.registration_authority) == ("110108", "企业",
                                                                                          "市场监管（工商）")


def test_wrong_check_character_names_the_expected_one():
    code = uscc.make_uscc("91110108MA01XH001")
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    result = uscc.validate(wrong)
    assert not result.valid and f"应为 {code[17]}" in result.errors[0]


@pytest.mark.parametrize(("raw", "fragment"), [
    ("", "长度应为18位"),
    ("91110108MA01XH00", "长度应为18位"),
    ("91110108MA01XH00IS", "非法字符 'I'"),
    ("Z1110108MA01XH0010", "非法字符 'Z'"),
    ("B1110108MA01XH0010", "登记管理部门"),
])
def test_malformed_codes_explain_the_failed_check(raw, fragment):  # noqa: ANN001
    result = uscc.validate(raw)
    assert not result.valid and any(fragment in e for e in result.errors)


def test_org_code_check_failure_is_only_a_warning():
    body = "MA01XH00"
    bad_org_check = "0" if uscc.compute_org_code_check(body) != "0" else "1"
    result = uscc.validate(uscc.make_uscc("91110108" + body + bad_org_check))
    assert result.valid and "组织机构代码" in result.warnings[0]


def test_input_is_normalised():
    code = uscc.make_uscc("91110108MA01XH001")
    assert uscc.validate(f"  {code.lower()} ").valid


@given(st.text(alphabet=uscc.CHARSET, min_size=17, max_size=17))
def test_any_single_character_change_is_detected(first17):  # noqa: ANN001
    code = uscc.make_uscc(first17)
    pos = len(first17) // 2
    replacement = next(c for c in uscc.CHARSET if c != code[pos])
    changed = code[:pos] + replacement + code[pos + 1:]
    assert uscc.compute_check_char(changed[:17]) != changed[17]


def test_patent_number_check_digit_and_type():
    body = "202110123456"
    result = patents.validate_application_number(f"CN{body}{patents.compute_check_digit(body)}")
    assert result.valid and result.type_label == "发明" and result.normalized.startswith("202110123456.")


def test_patent_number_check_digit_can_be_x():
    body = next(f"2020{t}{n:07d}" for t in "123" for n in range(1000) if
                patents.compute_check_digit(f"2020{t}{n:07d}") == "X")
    assert patents.validate_application_number(f"{body}.X").valid


@pytest.mark.parametrize(("raw", "fragment"), [
    ("20211012345", "格式"),
    ("202150123456.1", "专利类型"),
    ("199910123456.1", "年份"),
])
def test_bad_patent_numbers_explain_why(raw, fragment):  # noqa: ANN001
    result = patents.validate_application_number(raw)
    assert not result.valid and any(fragment in e for e in result.errors)


def test_nice_classes_and_ipc():
    assert patents.parse_nice_classes("9，35、9") == ([9, 35], [])
    assert patents.parse_nice_classes([0, 46])[1]
    assert patents.validate_ipc("G06N 3/08").valid and patents.validate_ipc("H04L").valid
    assert not patents.validate_ipc("G6N 3/08").valid
