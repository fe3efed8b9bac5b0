"""Page slicing shared by list pages and the API, with bounded page sizes."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


def paginate(queryset: QuerySet, page: str | int | None, per_page: int | None = None) -> Page:
    paginator = Paginator(queryset, per_page or settings.ZHIBAO_PAGE_SIZE)
    return paginator.get_page(page)


def query_without_page(request) -> str:  # noqa: ANN001
    """The current query string minus ``page``, so pagination links keep the filters."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
