"""USCC (GB 32100-2015) validation and the GB/T 2260 district table.

Valid codes are built with ``compute_check_char``/``compute_org_code_check`` rather than copied from
real companies: the tests then show the checks agree with each other, not with a guessed example.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhibao.law import districts, uscc


def build(authority_type: str, division: str = "110108", body: str = "MA01XH00") -> str:
    """A fully valid code: both the organisation-code check and the USCC check character computed."""
    return uscc.make_uscc(authority_type + division + body + uscc.compute_org_code_check(body))


def test_valid_enterprise_code_passes_every_check_and_is_parsed():
    result = uscc.validate(build("91"))
    assert result.valid and result.errors == [] and result.warnings == []
    assert (result.division_code, result.entity_type, result.registration_authority) == (
        "110108", "企业", "市场监管（工商）")


@pytest.mark.parametrize(("prefix", "authority", "entity"), [
    ("91", "市场监管（工商）", "企业"),
    ("92", "市场监管（工商）", "个体工商户"),
    ("93", "市场监管（工商）", "农民专业合作社"),
    ("11", "机构编制", "机关"),
    ("12", "机构编制", "事业单位"),
    ("13", "机构编制", "中央编办直接管理机构编制的群众团体"),
    ("51", "民政", "社会团体"),
    ("52", "民政", "民办非企业单位"),
    ("53", "民政", "基金会"),
    ("31", "司法行政", "律师执业机构"),
    ("N2", "农业", "村级集体经济组织"),
])
def test_registration_authority_and_entity_type_are_named_in_chinese(prefix: str, authority: str, entity: str):
    result = uscc.validate(build(prefix))
    assert result.valid and (result.registration_authority, result.entity_type) == (authority, entity)


def test_wrong_check_character_names_the_expected_one():
    code = build("91")
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    result = uscc.validate(wrong)
    assert not result.valid and result.errors == [f"校验码错误：应为 {code[17]}，实际第18位为 {wrong[17]}"]
    assert result.entity_type is None and result.division_code is None


@pytest.mark.parametrize(("raw", "fragment"), [
    ("", "长度应为18位，实际为0位"),
    ("91110108MA01XH00", "长度应为18位，实际为16位"),
    ("9111I108MA01XH0010", "第5位含非法字符 'I'"),
    ("91110108MA01XH00O0", "第17位含非法字符 'O'"),
    ("Z1110108MA01XH0010", "第1位含非法字符 'Z'"),
    ("B1110108MA01XH0010", "第1位登记管理部门代码 'B' 不存在"),
    ("94110108MA01XH0010", "第2位机构类别代码 '4' 不属于登记管理部门“市场监管（工商）”"),
    ("9111A108MA01XH0010", "第3-8位行政区划代码应为6位数字"),
])
def test_malformed_codes_explain_the_failed_check(raw: str, fragment: str):
    result = uscc.validate(raw)
    assert not result.valid and any(fragment in e for e in result.errors), result.errors


def test_every_illegal_character_is_reported_with_its_position():
    result = uscc.validate("9S110108MA01XH00VZ")
    assert [e.split("含")[0] for e in result.errors] == ["第2位", "第17位", "第18位"]


def test_org_code_check_failure_is_only_a_warning():
    body = "MA01XH00"
    bad_org_check = "0" if uscc.compute_org_code_check(body) != "0" else "1"
    result = uscc.validate(uscc.make_uscc("91110108" + body + bad_org_check))
    assert result.valid and result.errors == []
    assert len(result.warnings) == 1 and "组织机构代码（第9-17位）校验未通过" in result.warnings[0]


def test_org_code_check_maps_10_to_x_and_11_to_0():
    # GB 11714: check = 11 - Σ mod 11, 10 → 'X', 11 → '0'; found by search, not hand-computed
    digits = [f"{n:08d}" for n in range(2000)]
    assert any(uscc.compute_org_code_check(b) == "X" for b in digits)
    assert any(uscc.compute_org_code_check(b) == "0" for b in digits)
    with pytest.raises(ValueError):
        uscc.compute_org_code_check("1234567")


def test_input_is_normalised_upper_stripped_and_full_width_folded():
    code = build("91")
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code.lower())
    for raw in (f"  {code.lower()} ", code[:6] + " " + code[6:], full_width):
        result = uscc.validate(raw)
        assert result.valid and result.code == code


def test_division_warnings_for_unknown_prefix_and_old_beijing_code_but_not_elsewhere():
    assert uscc.validate(build("91", "310115")).warnings == []  # Shanghai Pudong: known province
    assert uscc.validate(build("11", "100000")).warnings == []  # national level
    unknown = uscc.validate(build("91", "990101"))
    assert unknown.valid and "省级前缀 99 不存在" in unknown.warnings[0]
    old = uscc.validate(build("91", "110103"))  # former 崇文区, merged in 2010
    assert old.valid and "不在北京市现行区表中" in old.warnings[0]


def test_compute_check_char_rejects_bad_input():
    with pytest.raises(ValueError):
        uscc.compute_check_char("91110108MA01XH00")
    with pytest.raises(ValueError):
        uscc.compute_check_char("91110108MA01XH00I")


@given(st.text(alphabet=uscc.CHARSET, min_size=17, max_size=17), st.integers(0, 16), st.integers(1, 30))
def test_any_single_character_change_is_detected(first17: str, pos: int, shift: int):
    code = uscc.make_uscc(first17)
    replacement = uscc.CHARSET[(uscc.CHARSET.index(code[pos]) + shift) % 31]
    changed = code[:pos] + replacement + code[pos + 1:]
    assert uscc.compute_check_char(changed[:17]) != changed[17]


@given(st.text(alphabet=uscc.CHARSET, min_size=17, max_size=17), st.integers(0, 15))
def test_any_adjacent_transposition_of_different_characters_is_detected(first17: str, pos: int):
    code = uscc.make_uscc(first17)
    if code[pos] == code[pos + 1]:
        return
    swapped = code[:pos] + code[pos + 1] + code[pos] + code[pos + 2:]
    assert uscc.compute_check_char(swapped[:17]) != swapped[17]


@settings(max_examples=200)
@given(st.text(max_size=30))
def test_validate_never_raises_and_invalid_results_carry_reasons(raw: str):
    result = uscc.validate(raw)
    assert result.valid == (result.errors == [])


def test_beijing_districts_and_province_prefixes():
    assert len(districts.BEIJING_DISTRICTS) == 16
    assert districts.BEIJING_DISTRICTS["110108"] == "海淀区" and districts.BEIJING_DISTRICTS["110119"] == "延庆区"
    assert districts.division_name("110105") == "北京市朝阳区"
    assert districts.division_name("120101") == "天津市" and districts.division_name("130102") == "河北省"
    assert districts.division_name("310115") is None and districts.province_name("310115") == "上海市"
    assert set(districts.PROVINCES) == {"11", "12", "13"}
    assert all(code.startswith("11") and len(code) == 6 for code in districts.BEIJING_DISTRICTS)
