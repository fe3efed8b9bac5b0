"""Unified Social Credit Code (统一社会信用代码) validation per GB 32100-2015.

Layout: position 1 registration authority, 2 entity type, 3-8 administrative
division (GB/T 2260), 9-17 organisation code (GB 11714, with its own check
character at 17), 18 the USCC check character. The organisation-code check is
a warning, not an error: some real codes issued in local pilots fail it
(see ../shared/DOMAIN.md).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from zhibao.law.districts import BEIJING_DISTRICTS, NATIONAL_DIVISION, province_name

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_CHARSET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # GB 11714 body: digits and Latin capitals

#: Registration authority (position 1) → entity types (position 2), GB 32100-2015 table 1.
ENTITY_TYPES: dict[str, tuple[str, dict[str, str]]] = {
    "1": ("机构编制", {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"}),
    "2": ("外交", {"1": "外国常驻新闻机构", "9": "其他"}),
    "3": ("司法行政", {"1": "律师执业机构", "2": "公证处", "3": "基层法律服务所", "4": "司法鉴定机构",
                   "5": "仲裁委员会", "9": "其他"}),
    "4": ("文化", {"1": "外国在华文化中心", "9": "其他"}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
    "6": ("旅游", {"1": "外国旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻内地（大陆）代表机构", "9": "其他"}),
    "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}),
    "8": ("工会", {"1": "基层工会", "9": "其他"}),
    "9": ("市场监管（工商）", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
    "A": ("中央军委改革和编制办公室", {"1": "军队事业单位", "9": "其他"}),
    "N": ("农业", {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"}),
    "Y": ("其他", {"1": "其他"}),
}


@dataclass
class UsccResult:
    """Outcome of :func:`validate`. The parsed fields are filled only for a valid code."""

    code: str
    valid: bool
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    division_code: str | None = None
    entity_type: str | None = None
    registration_authority: str | None = None


def compute_check_char(first17: str) -> str:
    """The 18th character for the first 17 (which must be in the charset), per GB 32100-2015."""
    if len(first17) != 17 or any(c not in CHARSET for c in first17):
        raise ValueError("需要 17 位合法字符")
    total = sum(CHARSET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def compute_org_code_check(body8: str) -> str:
    """GB 11714 check character for the 8-character organisation code body."""
    if len(body8) != 8 or any(c not in _ORG_CHARSET for c in body8):
        raise ValueError("组织机构代码本体应为 8 位数字或大写字母")
    total = sum(_ORG_CHARSET.index(c) * w for c, w in zip(body8, ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def make_uscc(first17: str) -> str:
    """A complete code from its first 17 characters (for demo data and tests; never guess real codes)."""
    first17 = normalise(first17)
    return first17 + compute_check_char(first17)


def normalise(raw: str | None) -> str:
    """Upper case, full-width characters folded (NFKC), all whitespace removed: how users paste codes."""
    return "".join(unicodedata.normalize("NFKC", raw or "").split()).upper()


def _division_warnings(division: str) -> list[str]:
    if division in BEIJING_DISTRICTS or division == NATIONAL_DIVISION:
        return []
    province = province_name(division)
    if province is None:
        return [f"第3-8位行政区划代码 {division} 的省级前缀 {division[:2]} 不存在（GB/T 2260）；请核对"]
    if division.startswith("11"):
        return [f"行政区划代码 {division} 不在北京市现行区表中（可能是撤并前的旧代码）"]
    return []


def validate(raw: str | None) -> UsccResult:
    """Check a code and explain every failed check in Chinese; never raises on bad input.

    Errors (code invalid): length, characters outside the charset, unknown registration authority or
    entity type, non-numeric division code, wrong check character. Warnings (code still valid): the
    GB 11714 organisation-code check at position 17 (some real codes from local pilots fail it), an
    unknown province prefix, a Beijing division code not in the current district table.
    """
    code = normalise(raw)
    result = UsccResult(code=code, valid=False)
    if len(code) != 18:
        result.errors.append(f"长度应为18位，实际为{len(code)}位")
        return result
    bad = [(i + 1, c) for i, c in enumerate(code) if c not in CHARSET]
    for pos, char in bad:
        result.errors.append(f"第{pos}位含非法字符 '{char}'（只能是数字和除 I、O、S、V、Z 外的大写字母）")
    if bad:
        return result
    authority = ENTITY_TYPES.get(code[0])
    if authority is None:
        result.errors.append(f"第1位登记管理部门代码 '{code[0]}' 不存在（GB 32100-2015 表1）")
    elif code[1] not in authority[1]:
        result.errors.append(f"第2位机构类别代码 '{code[1]}' 不属于登记管理部门“{authority[0]}”"
                             f"（可用：{'、'.join(f'{k} {v}' for k, v in authority[1].items())}）")
    division = code[2:8]
    if not division.isdigit():
        result.errors.append(f"第3-8位行政区划代码应为6位数字，实际为 {division}")
    expected = compute_check_char(code[:17])
    if code[17] != expected:
        result.errors.append(f"校验码错误：应为 {expected}，实际第18位为 {code[17]}")
    result.valid = not result.errors
    if not result.valid or authority is None:
        return result
    result.division_code = division
    result.registration_authority = authority[0]
    result.entity_type = authority[1][code[1]]
    result.warnings.extend(_division_warnings(division))
    body, org_check = code[8:16], code[16]
    org_expected = compute_org_code_check(body)
    if org_expected != org_check:
        result.warnings.append(f"组织机构代码（第9-17位）校验未通过：第17位按 GB 11714 应为 {org_expected}，"
                               f"实际为 {org_check}；部分地方试点代码如此，仅作提示")
    return result
