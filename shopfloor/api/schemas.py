"""Shapes shared by the routers: a source (the provenance every value carries), errors."""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Schema

from shopfloor.models import Source


class SourceOut(Schema):
    """Where a value came from: enough to cite it and to look it up."""

    id: int
    title: str
    publisher: str
    url: str
    file_name: str
    retrieved_on: date | None
    published_on: date | None
    licence: str
    is_demo: bool
    href: str


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: list[dict[str, Any]]


def source_href(source_id: int) -> str:
    return f"/api/sources/{source_id}"


def source_out(source: Source) -> dict:
    return {
        "id": source.pk, "title": source.title, "publisher": source.publisher,
        "url": source.url, "file_name": source.file_name,
        "retrieved_on": source.retrieved_on, "published_on": source.published_on,
        "licence": source.licence, "is_demo": source.is_demo, "href": source_href(source.pk),
    }


def responses(ok) -> dict:
    """The documented responses of an operation: ``ok`` for 200, errors for the rest
    (401: a wrong token, or none where one is needed; 403: a download the user may not
    make)."""
    return {200: ok, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
