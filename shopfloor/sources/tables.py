"""Read a table from a file a person downloaded: CSV (any common encoding and delimiter),
XLSX, legacy XLS or JSON. The encoding and format are detected and reported, never guessed
silently; a file that is not a table is refused with the reason.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from shopfloor.sources.errors import ImportFailed

csv.field_size_limit(10 * 1024 * 1024)

_SNIFF_BYTES = 64 * 1024
_DELIMITERS = [",", ";", "\t", "|"]


class BadRow(str):
    """Why a row cannot be read (a str, as the report shows it), with the fields as read, so
    an importer that knows a fix for its format can still use them."""

    fields: list[str]

    def __new__(cls, reason: str, fields: list[str]) -> BadRow:
        row = super().__new__(cls, reason)
        row.fields = fields
        return row


@dataclass
class Table:
    """Rows of a file as dicts keyed by the header's column names.

    ``rows()`` yields ``(row_number, {column: value})`` where row 1 is the header, as a
    spreadsheet would number them. Rows whose field count differs from the header's are
    yielded with ``None`` so the importer can reject them with a reason.
    """

    path: Path
    format: str  # csv, xlsx, xls, json
    columns: list[str]
    encoding: str = ""
    delimiter: str = ""
    notes: list[str] = field(default_factory=list)
    estimated_rows: int = 0
    _rows: Iterator[tuple[int, dict | str]] | None = None

    def rows(self) -> Iterator[tuple[int, dict | str]]:
        """``(row_number, row_dict)``; for a row that cannot be read, ``(n, reason)``."""
        assert self._rows is not None
        return self._rows

    @property
    def description(self) -> str:
        parts = [self.format.upper()]
        if self.encoding:
            parts.append(self.encoding)
        if self.delimiter:
            parts.append({"\t": "tab"}.get(self.delimiter, repr(self.delimiter)) + "-separated")
        return ", ".join(parts)


def open_table(path: str | Path, *, sheet: str | None = None) -> Table:
    """Open ``path`` as a table, detecting its format and encoding.

    >>> t = open_table("../shared/data/oshub/facility_lists/2.csv")  # doctest: +SKIP
    >>> t.columns  # doctest: +SKIP
    ['country', 'name', 'address', 'sector']
    """
    path = Path(path)
    if not path.is_file():
        raise ImportFailed(f"{path}: no such file")
    with path.open("rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    if not head.strip():
        raise ImportFailed(f"{path.name}: the file is empty")
    if head.startswith(b"PK\x03\x04"):
        return _open_xlsx(path, sheet)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _open_xls(path, sheet)
    encoding, note = _detect_encoding(path, head)
    text_head = head.decode(encoding, errors="ignore").lstrip("\ufeff").lstrip()
    if text_head[:1] in "[{":
        return _open_json(path, encoding, note)
    return _open_csv(path, encoding, note)


def _detect_encoding(path: Path, head: bytes) -> tuple[str, str]:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", "UTF-8 with byte-order mark"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "UTF-16 with byte-order mark"
    if b"\x00" in head:
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if odd > len(head) / 4 and even == 0:
            return "utf-16-le", "UTF-16 (little-endian, no byte-order mark)"
        if even > len(head) / 4 and odd == 0:
            return "utf-16-be", "UTF-16 (big-endian, no byte-order mark)"
        raise ImportFailed(
            f"{path.name}: this is a binary file, not a CSV, XLSX, XLS or JSON table "
            f"(NUL byte at position {head.index(0)})."
        )
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13))
    if controls > len(head) / 100:
        raise ImportFailed(
            f"{path.name}: this is a binary file, not a CSV, XLSX, XLS or JSON table "
            f"({controls} control characters in the first {len(head):,} bytes)."
        )
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                bad = offset + exc.start
                return _cp1252_or_fail(path, bad)
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return _cp1252_or_fail(path, offset)
    return "utf-8", "UTF-8"


def _cp1252_or_fail(path: Path, bad_byte: int) -> tuple[str, str]:
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                chunk.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ImportFailed(
            f"{path.name}: the text is neither UTF-8 nor Windows-1252 (invalid byte at "
            f"position {bad_byte}). Save it from your spreadsheet as 'CSV UTF-8'."
        ) from exc
    return "cp1252", (f"Windows-1252 (cp1252): not valid UTF-8 from byte {bad_byte}; "
                      "check accented letters")


def _count_lines(path: Path) -> int:
    n = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            n += chunk.count(b"\n")
    return n


def _open_csv(path: Path, encoding: str, note: str) -> Table:
    with path.open(encoding=encoding, newline="") as fh:
        sample = fh.read(_SNIFF_BYTES)
    first_line = sample.splitlines()[0] if sample.splitlines() else ""
    delimiter = _sniff_delimiter(sample, first_line)
    fh = path.open(encoding=encoding, newline="")
    reader = csv.reader(fh, delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        fh.close()
        raise ImportFailed(f"{path.name}: cannot read a header row ({exc})") from exc
    columns = [h.strip().lstrip("\ufeff") for h in header]
    _check_header(path, columns)
    ends_with_newline = _ends_with_newline(path)
    table = Table(path, "csv", columns, encoding=note, delimiter=delimiter,
                  estimated_rows=max(_count_lines(path) - 1, 0))
    table._rows = _csv_rows(path, fh, reader, columns, ends_with_newline)
    return table


def _sniff_delimiter(sample: str, first_line: str) -> str:
    try:
        return csv.Sniffer().sniff(sample[: 16 * 1024], delimiters="".join(_DELIMITERS)).delimiter
    except csv.Error:
        counts = {d: first_line.count(d) for d in _DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as fh:
        fh.seek(0, io.SEEK_END)
        if fh.tell() == 0:
            return True
        fh.seek(-1, io.SEEK_END)
        return fh.read(1) in (b"\n", b"\r")


def _csv_rows(path, fh, reader, columns, ends_with_newline) -> Iterator[tuple[int, dict | str]]:
    width = len(columns)
    row_number = 1
    good = 0
    with fh:
        try:
            pending = None
            for fields in reader:
                if pending is not None:
                    yield pending
                    pending = None
                row_number += 1
                if not any(f.strip() for f in fields):
                    continue
                if len(fields) == width:
                    good += 1
                    pending = (row_number, dict(zip(columns, fields, strict=True)))
                else:
                    pending = (row_number, BadRow(
                        f"has {len(fields)} fields, the header has {width}", fields))
            if pending is not None:
                if isinstance(pending[1], str) and not ends_with_newline:
                    raise ImportFailed(
                        f"{path.name}: the file ends in the middle of row {pending[0]} "
                        f"({pending[1]}): it looks truncated. Download it again."
                    )
                yield pending
        except csv.Error as exc:
            raise ImportFailed(f"{path.name}: row {row_number + 1} cannot be read: {exc}") from exc
    if good == 0 and row_number > 1:
        raise ImportFailed(
            f"{path.name}: no row has the header's {width} columns. Is the delimiter "
            "right, or is the file cut short?"
        )


def _check_header(path: Path, columns: list[str]) -> None:
    if not any(columns):
        raise ImportFailed(f"{path.name}: the header row is empty")
    seen: set[str] = set()
    for c in columns:
        if c and c in seen:
            raise ImportFailed(f"{path.name}: the column {c!r} appears twice in the header")
        seen.add(c)


def _open_xlsx(path: Path, sheet: str | None) -> Table:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zip or XML damage: openpyxl raises many kinds
        raise ImportFailed(f"{path.name}: not a readable XLSX workbook ({exc})") from exc
    ws = _pick_sheet(path, book.sheetnames, sheet, lambda name: book[name])
    rows = ws.iter_rows(values_only=True)
    return _sheet_table(path, "xlsx", rows, ws.max_row or 0, book.close)


def _open_xls(path: Path, sheet: str | None) -> Table:
    import xlrd

    try:
        book = xlrd.open_workbook(path, on_demand=True)
    except Exception as exc:
        raise ImportFailed(f"{path.name}: not a readable XLS workbook ({exc})") from exc
    ws = _pick_sheet(path, book.sheet_names(), sheet, book.sheet_by_name)
    rows = (ws.row_values(i) for i in range(ws.nrows))
    return _sheet_table(path, "xls", rows, ws.nrows, book.release_resources)


def _pick_sheet(path, names, wanted, get):
    if wanted is None:
        return get(names[0])
    if wanted not in names:
        raise ImportFailed(f"{path.name}: no sheet {wanted!r}; sheets: {', '.join(names)}")
    return get(wanted)


def _sheet_table(path, fmt, rows, max_row, close) -> Table:
    header = None
    row_number = 0
    for values in rows:
        row_number += 1
        if values and any(v not in (None, "") for v in values):
            header = values
            break
    if header is None:
        close()
        raise ImportFailed(f"{path.name}: the sheet is empty")
    while header and header[-1] in (None, ""):
        header = header[:-1]
    columns = ["" if h is None else str(h).strip() for h in header]
    _check_header(path, columns)

    def _rows():
        n = row_number
        try:
            for values in rows:
                n += 1
                values = list(values or ())
                if not any(v not in (None, "") for v in values):
                    continue
                if any(v not in (None, "") for v in values[len(columns):]):
                    yield n, f"has values beyond the header's {len(columns)} columns"
                    continue
                values += [None] * (len(columns) - len(values))
                yield n, dict(zip(columns, values[: len(columns)], strict=True))
        finally:
            close()

    table = Table(path, fmt, columns, estimated_rows=max(max_row - row_number, 0))
    table._rows = _rows()
    return table


def _open_json(path: Path, encoding: str, note: str) -> Table:
    try:
        with path.open(encoding=encoding) as fh:
            data = json.load(fh)
    except json.JSONDecodeError as exc:
        raise ImportFailed(
            f"{path.name}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc
    if isinstance(data, dict):
        items = next((v for k, v in data.items() if k in ("items", "data", "results",
                                                           "answers", "relationships")
                      and isinstance(v, list)), None)
        data = items if items is not None else [data]
    if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
        raise ImportFailed(f"{path.name}: JSON must be a list of objects (one per row)")
    columns: list[str] = []
    for item in data[:1000]:
        for key in item:
            if key not in columns:
                columns.append(key)
    table = Table(path, "json", columns, encoding=note, estimated_rows=len(data))
    table._rows = ((i + 2, item) for i, item in enumerate(data))
    return table


def join_url_overflow(table: Table, column: str | None, notes: list[str]) -> None:
    """Read an unquoted URL with commas in the last column as one URL, not as extra columns.

    ``2015,5,verified,http://www.refworld.org/category,COI,ITUC,,,557a9a1815,0.html`` has
    10 fields under a 4-column header; when the surplus starts at a URL in the last column,
    the surplus fields are that URL's own commas.
    """
    if table.format != "csv" or not column or not table.columns or table.columns[-1] != column:
        return
    table._rows = _joined_urls(table, table.rows(), notes)


def _joined_urls(table: Table, rows, notes: list[str]) -> Iterator[tuple[int, dict | str]]:
    width = len(table.columns)
    for number, raw in rows:
        fields = getattr(raw, "fields", None)
        if fields and len(fields) > width and re.match(r"https?://", fields[width - 1].strip(),
                                                        re.I):
            url = table.delimiter.join(fields[width - 1:]).strip()
            raw = dict(zip(table.columns, [*fields[:width - 1], url], strict=True))
            notes.append(f"row {number}: the URL {url} holds unquoted "
                         f"{table.delimiter!r} characters; read as one URL")
        yield number, raw
