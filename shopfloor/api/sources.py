"""``/api/sources``: the documents and datasets every value comes from."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router

from shopfloor.api.auth import Reader
from shopfloor.api.csv import CSV_RESPONSE, csv_response
from shopfloor.api.pagination import ListParams, PageOut, clean, page, paginate
from shopfloor.api.schemas import SourceOut, responses, source_out
from shopfloor.models import Source
from shopfloor.web.queries import source_contents

router = Router(tags=["sources"])


class SourceDetail(SourceOut):
    sha256: str
    importer: str
    dataset: str
    organisation: str | None
    created_at: datetime
    contents: dict[str, int] = Field(description="How many facts of each kind came from "
                                                 "this source.")


class SourcePage(PageOut):
    items: list[SourceOut]


class SourceParams(ListParams):
    q: str = Field("", max_length=200, description="Words in the title or publisher.")
    publisher: str = Field("", max_length=200, description="Exactly this publisher.")
    importer: str = Field("", max_length=40, description="e.g. oshub, brand-list, wikirate.")


CSV_COLUMNS = ["id", "title", "publisher", "url", "file_name", "retrieved_on",
               "published_on", "licence", "is_demo", "href"]


@router.get("", response=responses(SourcePage), openapi_extra=CSV_RESPONSE,
            summary="Sources")
def list_sources(request, params: Query[SourceParams]):
    """Sources, newest publication first; filter by words, publisher or importer."""
    reader = Reader.of(request)
    sources = (Source.objects.filter(reader.sources_q())
               .order_by(F("published_on").desc(nulls_last=True), "title", "pk"))
    query = clean(params.q)
    if query:
        sources = sources.filter(Q(title__icontains=query) | Q(publisher__icontains=query))
    if publisher := clean(params.publisher):
        sources = sources.filter(publisher=publisher)
    if importer := clean(params.importer, 40):
        sources = sources.filter(importer=importer)
    if params.format == "csv":
        reader.require_export("sources")
        return csv_response("sources", CSV_COLUMNS,
                            (source_out(s) for s in sources.iterator(chunk_size=1000)))
    items, count = paginate(sources, params)
    return page(params, count, [source_out(s) for s in items])


@router.get("/{source_id}", response=responses(SourceDetail), summary="One source")
def get_source(request, source_id: int = Path(..., ge=1, le=2**63 - 1)):
    """A source: the document, its dates, licence and hash, and what it gave."""
    source = get_object_or_404(Source.objects.select_related("organisation"), pk=source_id)
    if not Reader.of(request).can_read(source):
        raise Http404
    return {
        **source_out(source), "sha256": source.sha256, "importer": source.importer,
        "dataset": source.dataset, "created_at": source.created_at,
        "organisation": source.organisation.name if source.organisation else None,
        "contents": {key: count for key, _label, count in source_contents(source)},
    }
