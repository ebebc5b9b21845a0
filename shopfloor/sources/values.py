"""Careful parsing of values as people write them in spreadsheets.

``71.0%`` is 71.0, ``1,234`` is 1234, a blank is missing (``None``), never 0.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import pycountry

from shopfloor.sources.errors import RowRejected

_MISSING = {"", "-", "–", "n/a", "na", "none", "null", "nan", "unknown", "#n/a"}
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d+)*|\d*[.,]\d+)$")


def text(value) -> str:
    """A cleaned string: whitespace collapsed, a missing value as ``""``."""
    if type(value) is str:
        return " ".join(value.split())
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def is_missing(value) -> bool:
    if value is None or value == "":
        return True
    return text(value).casefold() in _MISSING


def number(value, *, field: str = "value") -> Decimal | None:
    """A number from ``1,234``, ``1 234``, ``71.0%``, ``12.5`` or ``12,5``; blank is None."""
    if type(value) is str and value.isascii() and value.isdigit():
        return Decimal(value)
    if isinstance(value, bool):
        raise RowRejected(f"{field}: {value!r} is not a number")
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    raw = text(value)
    if raw.casefold() in _MISSING:
        return None
    cleaned = raw.replace("\u00a0", "").replace(" ", "").rstrip("%").lstrip("$").strip()
    if cleaned.upper().startswith("USD"):
        cleaned = cleaned[3:]
    if not _NUMBER.match(cleaned):
        raise RowRejected(f"{field}: {raw!r} is not a number")
    if "," in cleaned and "." in cleaned:  # 1,234.5 or 1.234,5
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    elif "," in cleaned:
        head, _, tail = cleaned.rpartition(",")
        # 1,234 and 12,345,678 are thousands; 12,5 is a decimal comma
        cleaned = cleaned.replace(",", "") if len(tail) == 3 else f"{head.replace(',', '')}.{tail}"
    try:
        return Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - guarded by the regex
        raise RowRejected(f"{field}: {raw!r} is not a number") from exc


def integer(value, *, field: str = "value") -> int | None:
    n = number(value, field=field)
    if n is None:
        return None
    if n != n.to_integral_value():
        raise RowRejected(f"{field}: {text(value)!r} is not a whole number")
    return int(n)


def percent(value, *, field: str = "value") -> Decimal | None:
    """A percentage as 0–100: ``71.0%`` → 71.0; a bare fraction ``0.71`` stays 0.71."""
    n = number(value, field=field)
    if n is not None and not (0 <= n <= 100):
        raise RowRejected(f"{field}: {text(value)!r} is not a percentage between 0 and 100")
    return n


def year(value, *, field: str = "year") -> int | None:
    y = integer(value, field=field)
    if y is not None and not (1900 <= y <= 2100):
        raise RowRejected(f"{field}: {text(value)!r} is not a year")
    return y


def date(value, *, field: str = "date") -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = text(value)
    if raw.casefold() in _MISSING:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%Y/%m/%d", "%d.%m.%Y", "%Y-%m", "%Y"):
        try:
            return dt.datetime.strptime(raw[:10] if fmt == "%Y-%m-%d" else raw, fmt).date()
        except ValueError:
            continue
    raise RowRejected(f"{field}: {raw!r} is not a date (use YYYY-MM-DD)")


def boolean(value, *, field: str = "value") -> bool | None:
    raw = text(value).casefold()
    if raw in _MISSING:
        return None
    if raw in {"true", "yes", "y", "1", "closed", "x"}:
        return True
    if raw in {"false", "no", "n", "0", "open"}:
        return False
    raise RowRejected(f"{field}: {text(value)!r} is not yes/no")


# Names pycountry does not know, as they appear in supplier lists.
_COUNTRY_ALIASES = {
    "vietnam": "VN", "viet nam": "VN", "south korea": "KR", "korea": "KR",
    "korea, south": "KR", "republic of korea": "KR", "taiwan": "TW",
    "taiwan, province of china": "TW", "turkey": "TR", "türkiye": "TR", "turkiye": "TR",
    "russia": "RU", "laos": "LA", "burma": "MM", "myanmar (burma)": "MM",
    "hong kong": "HK", "hong kong sar": "HK", "macau": "MO", "macao": "MO",
    "usa": "US", "u.s.a.": "US", "united states": "US", "uk": "GB", "england": "GB",
    "great britain": "GB", "czech republic": "CZ", "bolivia": "BO", "iran": "IR",
    "tanzania": "TZ", "moldova": "MD", "syria": "SY", "venezuela": "VE",
    "ivory coast": "CI", "cote d'ivoire": "CI", "swaziland": "SZ", "macedonia": "MK",
    "kampuchea": "KH", "កម្ពុជា": "KH", "china mainland": "CN", "mainland china": "CN",
    "palestine": "PS", "uae": "AE", "u.a.e.": "AE", "emirates": "AE",
    "the netherlands": "NL", "holland": "NL",
}


@lru_cache(maxsize=4096)
def country_code(value) -> str:
    """ISO 3166-1 alpha-2 code from ``CAMBODIA``, ``Cambodia``, ``KH`` or ``KHM``."""
    raw = text(value)
    if not raw:
        raise RowRejected("country is missing")
    key = raw.casefold()
    if key in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[key]
    try:
        return pycountry.countries.lookup(raw).alpha_2
    except LookupError:
        pass
    cut = re.split(r"[(,]", raw)[0].strip()
    if cut and cut != raw:
        return country_code(cut)
    raise RowRejected(f"country: {raw!r} is not a country name or ISO code")
