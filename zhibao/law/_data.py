"""Loading the versioned legal tables in ``zhibao/law/data/*.json``.

Why data files: statutory periods, damages ranges and criminal thresholds change by amendment or by a
new judicial interpretation. Each table keeps every version with its effective date, so adding an
amendment is adding a row (no code change) and old cases keep being computed under the old rule.
Every row is validated when loaded (types, dates, allowed values), so a typo in a table fails at
import time in the tests, not silently in a computation.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError


class DataError(ValueError):
    """A legal table is missing, not JSON, or has a row that does not validate."""


def read_rows(name: str, path: str | Path | None = None) -> list[Any]:
    """The ``rows`` of a table: the packaged ``data/<name>`` or, for tests and drafts, a file at ``path``."""
    try:
        if path is None:
            text = resources.files("zhibao.law").joinpath("data", name).read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        body = json.loads(text)
    except (OSError, json.JSONDecodeError) as exc:
        raise DataError(f"无法读取法律数据表 {path or name}: {exc}") from exc
    rows = body.get("rows") if isinstance(body, dict) else None
    if not isinstance(rows, list):
        raise DataError(f"法律数据表 {path or name} 应为 {{\"rows\": [...]}}")
    return rows


def parse_rows[T](row_type: type[T], rows: list[Any], name: str) -> tuple[T, ...]:
    """Validate every row into ``row_type`` (a dataclass), naming the table and row on failure."""
    try:
        return tuple(TypeAdapter(list[row_type]).validate_python(rows))  # type: ignore[valid-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise DataError(f"法律数据表 {name} 第 {where} 项无效：{first['msg']}") from exc
