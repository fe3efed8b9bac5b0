"""Shared API schema bits: strict input (unknown fields → 422) and paged output."""

from __future__ import annotations

from typing import Generic, TypeVar

from ninja import Schema
from pydantic import ConfigDict

T = TypeVar("T")


class StrictSchema(Schema):
    """Input schemas reject unknown fields, so a typo is an error, not a silent no-op."""

    model_config = ConfigDict(extra="forbid")


class Page(Schema, Generic[T]):  # noqa: UP046 - pydantic generic models need Generic
    count: int
    limit: int
    offset: int
    items: list[T]


def check_limit(limit: int) -> None:
    """A page size from the caller: 1 to ``ZHIBAO_API_PAGE_MAX``, or 400 naming ``limit``."""
    from django.conf import settings

    from zhibao.core.errors import InvalidInput

    if limit < 1 or limit > settings.ZHIBAO_API_PAGE_MAX:
        raise InvalidInput({"limit": [f"limit 应在 1 到 {settings.ZHIBAO_API_PAGE_MAX} 之间"]})


def page_of(queryset, limit: int, offset: int, convert) -> dict:  # noqa: ANN001
    from zhibao.core.errors import InvalidInput

    check_limit(limit)
    if offset < 0:
        raise InvalidInput({"offset": ["offset 不能为负数"]})
    return {
        "count": queryset.count(), "limit": limit, "offset": offset,
        "items": [convert(obj) for obj in queryset[offset: offset + limit]],
    }
