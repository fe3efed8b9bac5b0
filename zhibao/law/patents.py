"""Chinese patent application numbers, trademark numbers, Nice classes and IPC symbols.

Application number (since 2003): ``YYYY`` + type digit (1 invention,
2 utility model, 3 design, 8 PCT invention, 9 PCT utility model) + 7-digit
serial + ``.`` + check digit: Σ digit_i × (2,3,4,5,6,7,8,9,2,3,4,5) mod 11,
10 written 'X' (../shared/DOMAIN.md, marked [check]).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

CHECK_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
TYPE_LABELS = {"1": "发明", "2": "实用新型", "3": "外观设计", "8": "PCT 发明（进入国家阶段）",
               "9": "PCT 实用新型（进入国家阶段）"}
_APP_RE = re.compile(r"^(?:CN|ZL)?(\d{12})\.?([0-9X])$")
_IPC_RE = re.compile(r"^[A-H]\d{2}[A-Z](?:\s*\d{1,4}/\d{1,6})?$")


@dataclass
class NumberResult:
    raw: str
    valid: bool
    normalized: str = ""
    type_digit: str = ""
    type_label: str = ""
    errors: list[str] = field(default_factory=list)


def compute_check_digit(body12: str) -> str:
    if len(body12) != 12 or not body12.isdigit():
        raise ValueError("申请号主体应为 12 位数字")
    value = sum(int(d) * w for d, w in zip(body12, CHECK_WEIGHTS, strict=True)) % 11
    return "X" if value == 10 else str(value)


def validate_application_number(raw: str) -> NumberResult:
    text = (raw or "").strip().upper().replace(" ", "")
    result = NumberResult(raw=raw, valid=False)
    match = _APP_RE.match(text)
    if not match:
        result.errors.append("专利申请号格式应为 年份4位+类型1位+流水号7位+“.”+校验位，如 2021101234567.X")
        return result
    body, check = match.groups()
    year, type_digit = int(body[:4]), body[4]
    if not 2003 <= year <= 2100:
        result.errors.append(f"申请年份 {year} 不在新编号规则（2003 年起）的范围内")
    if type_digit not in TYPE_LABELS:
        result.errors.append(f"第5位专利类型 '{type_digit}' 无效（1 发明、2 实用新型、3 外观设计、8/9 PCT）")
    expected = compute_check_digit(body)
    if check != expected:
        result.errors.append(f"校验位错误：应为 {expected}，实际为 {check}")
    if result.errors:
        return result
    result.valid = True
    result.normalized = f"{body}.{check}"
    result.type_digit = type_digit
    result.type_label = TYPE_LABELS[type_digit]
    return result


@dataclass
class SimpleResult:
    valid: bool
    errors: list[str] = field(default_factory=list)


def validate_ipc(symbol: str) -> SimpleResult:
    """IPC symbol such as ``G06N 3/08`` or a subclass such as ``H04L``."""
    text = (symbol or "").strip().upper()
    if _IPC_RE.match(text):
        return SimpleResult(True)
    return SimpleResult(False, [f"IPC 分类号格式有误：{symbol}（示例：G06N 3/08）"])


def validate_trademark_number(raw: str) -> SimpleResult:
    text = (raw or "").strip()
    if text.isdigit() and 1 <= len(text) <= 10:
        return SimpleResult(True)
    return SimpleResult(False, ["商标注册号/申请号应为 1-10 位数字"])


def parse_nice_classes(value: object) -> tuple[list[int], list[str]]:
    """'9,35' / [9, 35] → sorted unique classes 1-45, with a reason for each bad item."""
    if value in (None, "", []):
        return [], []
    if isinstance(value, (list, tuple)):
        items = [str(v) for v in value]
    else:
        items = re.split(r"[,，、;；\s]+", str(value))
    classes: set[int] = set()
    problems: list[str] = []
    for item in items:
        text = item.strip()
        if not text:
            continue
        if not text.isdigit() or not 1 <= int(text) <= 45:
            problems.append(f"尼斯分类应为 1-45 的整数：{text}")
            continue
        classes.add(int(text))
    return sorted(classes), problems
