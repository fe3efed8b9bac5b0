"""Chinese patent application numbers, trademark numbers, Nice classes and IPC symbols.

Why here: the rights register, the intake form, demo data and the CLI must all reject the same typos,
so the formats live in one pure module.

Application number (since 2003-10-01): ``YYYY`` + type digit (1 invention, 2 utility model, 3 design,
8 PCT invention entering the national phase, 9 PCT utility model entering the national phase) +
7-digit serial + ``.`` + check digit: Σ digit_i × (2,3,4,5,6,7,8,9,2,3,4,5) mod 11, 10 written 'X'
(../shared/DOMAIN.md, marked [check]). Accepted with or without a ``CN``/``ZL`` prefix, the dot and
spaces; full-width characters are folded. The older 8-digit numbers are recognised and reported as
unsupported rather than as typos.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

CHECK_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
TYPE_LABELS = {"1": "发明", "2": "实用新型", "3": "外观设计", "8": "PCT 发明（进入国家阶段）",
               "9": "PCT 实用新型（进入国家阶段）"}
FIRST_YEAR = 2003  # the 13-digit numbering started on 2003-10-01
NICE_CLASSES = range(1, 46)
_APP_RE = re.compile(r"^(?:CN|ZL)?(\d{12})\.?([0-9X])$")
_OLD_APP_RE = re.compile(r"^(?:CN|ZL)?\d{8}\.?[0-9X]$")
_IPC_RE = re.compile(r"^([A-H])(\d{2})([A-Z])(?:\s*(\d{1,4})(?:\s*/\s*(\d{2,6}))?)?$")


def _fold(raw: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", raw or "").split()).upper()


@dataclass
class NumberResult:
    """Outcome of :func:`validate_application_number`; ``normalized`` is ``YYYYTNNNNNNN.C`` when valid."""

    raw: str
    valid: bool
    normalized: str = ""
    type_digit: str = ""
    type_label: str = ""
    year: int | None = None
    errors: list[str] = field(default_factory=list)


def compute_check_digit(body12: str) -> str:
    """The check digit ('0'-'9' or 'X') for the 12 digits before the dot."""
    if len(body12) != 12 or not body12.isdigit():
        raise ValueError("申请号主体应为 12 位数字")
    value = sum(int(d) * w for d, w in zip(body12, CHECK_WEIGHTS, strict=True)) % 11
    return "X" if value == 10 else str(value)


def validate_application_number(raw: str | None, *, today: date | None = None) -> NumberResult:
    """Check a patent application number; every failed check is explained in Chinese. Never raises."""
    text = _fold(raw)
    result = NumberResult(raw=raw or "", valid=False)
    match = _APP_RE.match(text)
    if not match:
        if _OLD_APP_RE.match(text):
            result.errors.append("这是2003年10月1日前的旧申请号（8位+校验位），本平台暂不支持校验")
        else:
            result.errors.append("专利申请号格式应为 年份4位+类型1位+流水号7位+“.”+校验位，如 2021101234567.X")
        return result
    body, check = match.groups()
    year, type_digit = int(body[:4]), body[4]
    this_year = (today or date.today()).year
    if not FIRST_YEAR <= year <= this_year:
        result.errors.append(f"申请年份 {year} 不在新编号规则的范围内（{FIRST_YEAR}–{this_year} 年）")
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
    result.year = year
    return result


@dataclass
class SimpleResult:
    """Valid or not, with the reasons; ``normalized`` is the canonical spelling when valid."""

    valid: bool
    errors: list[str] = field(default_factory=list)
    normalized: str = ""


@dataclass(frozen=True)
class IpcSymbol:
    """An IPC symbol split into its levels; ``main_group``/``subgroup`` are '' above that level."""

    section: str
    ipc_class: str
    subclass: str
    main_group: str = ""
    subgroup: str = ""

    def __str__(self) -> str:
        head = f"{self.section}{self.ipc_class}{self.subclass}"
        if not self.main_group:
            return head
        return f"{head} {self.main_group}/{self.subgroup}" if self.subgroup else f"{head} {self.main_group}"


def parse_ipc(symbol: str | None) -> IpcSymbol | None:
    """``G06N 3/08`` (subgroup), ``G06F 40`` (main group, as in field lists) or ``H04L`` (subclass)."""
    match = _IPC_RE.match(unicodedata.normalize("NFKC", symbol or "").strip().upper())
    if not match:
        return None
    section, ipc_class, subclass, main_group, subgroup = match.groups()
    return IpcSymbol(section, ipc_class, subclass, main_group or "", subgroup or "")


def validate_ipc(symbol: str | None) -> SimpleResult:
    """IPC symbol such as ``G06N 3/08``, a main group ``G06F 40`` or a subclass ``H04L``."""
    parsed = parse_ipc(symbol)
    if parsed is not None:
        return SimpleResult(True, normalized=str(parsed))
    return SimpleResult(False, [f"IPC 分类号格式有误：{symbol}（示例：G06N 3/08，部A-H+两位大类+小类字母+组）"])


def validate_trademark_number(raw: str | None) -> SimpleResult:
    """Trademark registration/application number: digits only (1-10)."""
    text = _fold(raw)
    if text.isdigit() and 1 <= len(text) <= 10:
        return SimpleResult(True, normalized=text.lstrip("0") or "0")
    return SimpleResult(False, ["商标注册号/申请号应为 1-10 位数字"])


def validate_nice_class(value: object) -> bool:
    """One Nice class: an integer (or digit string) 1-45; booleans are not classes."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value in NICE_CLASSES
    text = _fold(str(value)) if isinstance(value, str) else ""
    return text.isdigit() and int(text) in NICE_CLASSES


def parse_nice_classes(value: object) -> tuple[list[int], list[str]]:
    """'9,35' / '9，35、42' / [9, 35] / 9 → sorted unique classes 1-45, with a reason for each bad item."""
    if value is None or value == "" or value == []:
        return [], []
    if isinstance(value, (list, tuple, set)):
        items = [str(v) if not isinstance(v, bool) else "true" for v in value]
    elif isinstance(value, int) and not isinstance(value, bool):
        items = [str(value)]
    else:
        items = re.split(r"[,，、;；\s]+", unicodedata.normalize("NFKC", str(value)))
    classes: set[int] = set()
    problems: list[str] = []
    for item in items:
        text = item.strip()
        if not text:
            continue
        if not validate_nice_class(text):
            problems.append(f"尼斯分类应为 1-45 的整数：{text}")
            continue
        classes.add(int(text))
    return sorted(classes), problems
