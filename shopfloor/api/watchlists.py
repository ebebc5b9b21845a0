"""``/api/watchlists``: an organisation's own lists of factories. Not public: a token or a
signed-in session is needed, and only the watchlists :mod:`shopfloor.access` lets the user
read exist for them (any other id answers 404)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count
from django.http import Http404
from ninja import Path, Query, Router, Schema

from shopfloor.access import can_see_watchlist, visible_watchlists
from shopfloor.api.auth import Reader, authenticated, user_of
from shopfloor.api.csv import CSV_RESPONSE, csv_response, provenance, provenance_columns
from shopfloor.api.pagination import ListParams, PageOut, page, paginate
from shopfloor.api.schemas import SourceOut, responses, source_href, source_out
from shopfloor.models import Source, Watchlist
from shopfloor.watchlists import EXPORT_COLUMNS, export_rows, watchlist_summary

router = Router(tags=["watchlists"], auth=authenticated)


class WatchlistOut(Schema):
    id: int
    name: str
    organisation: str | None
    rows: int
    created_at: date
    href: str
    source: SourceOut


class WatchlistPage(PageOut):
    items: list[WatchlistOut]


class WatchlistDetail(WatchlistOut):
    summary: dict


class EvidenceRow(Schema):
    """One value connected to the list: a list row and its match, or a relationship,
    datapoint or finding of a matched facility, with its source."""

    section: str
    list_row: int | None
    list_name: str
    match: str
    facility_id: int | None
    facility: str
    os_id: str
    bfc_id: str
    item: str
    value: str | int | float | None
    unit: str
    year: str
    citation: str
    source_id: int
    source_href: str


class EvidencePage(PageOut):
    items: list[EvidenceRow]


def _out(watchlist: Watchlist, rows: int) -> dict:
    return {
        "id": watchlist.pk, "name": watchlist.name,
        "organisation": watchlist.organisation.name if watchlist.organisation else None,
        "rows": rows, "created_at": watchlist.created_at.date(),
        "href": f"/api/watchlists/{watchlist.pk}", "source": source_out(watchlist.source),
    }


def _watchlist(request, pk: int) -> Watchlist:
    watchlist = (Watchlist.objects.select_related("organisation", "source")
                 .filter(pk=pk).first())
    if watchlist is None or not can_see_watchlist(user_of(request), watchlist):
        raise Http404  # not 403: which lists a union keeps is the union's business
    return watchlist


def _evidence(row: dict) -> dict:
    value = row["value"]
    return {
        **{k: row[k] for k in ("section", "list_name", "match", "facility", "os_id",
                               "bfc_id", "item", "unit", "citation", "source_id")},
        "list_row": row["list_row"] or None, "facility_id": row["facility_id"] or None,
        "value": float(value) if isinstance(value, Decimal) else value,
        "year": str(row["year"]), "source_href": source_href(row["source_id"]),
    }


def _readable(rows: list[dict], reader: Reader) -> list[dict]:
    """The rows whose source the reader may read (one query)."""
    ids = {row["source_id"] for row in rows}
    seen = dict(Source.objects.filter(pk__in=ids).values_list("pk", "visibility"))
    return [row for row in rows if reader.can_read_id(row["source_id"], seen[row["source_id"]])]


WatchlistId = Path(..., ge=1, le=2**63 - 1)
CSV_COLUMNS = ["id", "name", "organisation", "rows", "created_at", *provenance_columns()]


@router.get("", response=responses(WatchlistPage), openapi_extra=CSV_RESPONSE,
            summary="Your watchlists")
def list_watchlists(request, params: Query[ListParams]):
    """The watchlists the token's user may read, by name, with their row counts."""
    watchlists = (visible_watchlists(user_of(request))
                  .annotate(n_rows=Count("source__facility_records")).order_by("name", "pk"))
    if params.format == "csv":
        Reader.of(request).require_export("public")
        return csv_response("watchlists", CSV_COLUMNS, (
            {**_out(w, w.n_rows), **provenance(w.source)} for w in watchlists))
    items, count = paginate(watchlists, params)
    return page(params, count, [_out(w, w.n_rows) for w in items])


@router.get("/{watchlist_id}", response=responses(WatchlistDetail),
            summary="One watchlist and what is known about its factories")
def get_watchlist(request, watchlist_id: int = WatchlistId):
    """Counts of the list's rows (matched, waiting for review, not found) and of the
    relationships, datapoints and findings of its factories."""
    watchlist = _watchlist(request, watchlist_id)
    summary = watchlist_summary(watchlist)
    return {**_out(watchlist, summary["rows"]["total"]), "summary": summary}


@router.get("/{watchlist_id}/evidence", response=responses(EvidencePage),
            openapi_extra=CSV_RESPONSE, summary="Everything connected to a watchlist")
def list_evidence(request, params: Query[ListParams], watchlist_id: int = WatchlistId):
    """The list's rows and matches, then the relationships, datapoints and findings of the
    matched factories: one value per row, each with its source."""
    watchlist = _watchlist(request, watchlist_id)
    reader = Reader.of(request)
    rows = _readable(export_rows(watchlist), reader)
    if params.format == "csv":
        reader.require_export(watchlist)  # checked and recorded in the audit log
        columns = [*EXPORT_COLUMNS, "source_url"]
        return csv_response(f"watchlist-{watchlist.pk}", columns,
                            ({**r, "source_url": r["source_location"]} for r in rows))
    items, count = paginate(rows, params)
    return page(params, count, [_evidence(r) for r in items])
