"""Limit/offset pagination for every list, with the total count.

A list answers ``{"count": total, "limit": n, "offset": k, "items": [...]}``; ``limit`` is
at most :data:`MAX_LIMIT`. With ``format=csv`` the list is exported whole instead (streamed).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from django.db.models import QuerySet
from ninja import Field, Schema

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
#: Far beyond any list, and small enough for every database's integers.
MAX_OFFSET = 10**9


class ListParams(Schema):
    """The query parameters every list accepts."""

    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT,
                       description=f"Items per page (at most {MAX_LIMIT}).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip.")
    format: Literal["json", "csv"] = Field(
        "json", description="`csv` exports every matching item (not only this page) as CSV.")


class PageOut(Schema):
    """A page of a list: ``count`` items in all, ``limit`` from ``offset``."""

    count: int
    limit: int
    offset: int


def clean(text: str, max_length: int = 200) -> str:
    """A query string made safe for every database: no control characters (PostgreSQL
    refuses NUL), bounded length, trimmed."""
    return "".join(ch for ch in text or "" if ch.isprintable())[:max_length].strip()


def paginate(items: QuerySet | Sequence, params: ListParams) -> tuple[list, int]:
    """The page ``params`` asks for, and the total count (one ``COUNT`` for a queryset)."""
    count = items.count() if isinstance(items, QuerySet) else len(items)
    page = list(items[params.offset: params.offset + params.limit]) if params.offset < count \
        else []
    return page, count


def page(params: ListParams, count: int, items: list) -> dict:
    return {"count": count, "limit": params.limit, "offset": params.offset, "items": items}
