"""Pure functions that turn names and addresses into comparable keys (no database)."""

from __future__ import annotations

import re
import unicodedata

# \w misses Khmer vowel signs and the subscript mark (coeng); keep them, or different
# Khmer names would collapse to one key.
_PUNCT = re.compile(r"[^\w\s\u1780-\u17d3\u17dd\u19e0-\u19ff]", re.UNICODE)
_LEGAL = re.compile(
    r"\b(co|company|ltd|limited|llc|inc|corp|corporation|plc|pvt|sa|s a|gmbh|"
    r"cambodia|kh)\b"
)


def name_key(name: str) -> str:
    """A strict key for exact matching: case, accents, punctuation and legal forms ignored.

    >>> name_key("Golden Lotus Garment Co., Ltd.")
    'golden lotus garment'
    >>> name_key("GOLDEN LOTUS GARMENT (CAMBODIA) CO.,LTD")
    'golden lotus garment'
    """
    text = unicodedata.normalize("NFKC", name).casefold()
    text = _PUNCT.sub(" ", text)
    stripped = " ".join(_LEGAL.sub(" ", text).split())
    return stripped or " ".join(text.split())


_WORD = re.compile(r"[\w\u1780-\u17d3\u17dd\u19e0-\u19ff]+", re.UNICODE)


def address_tokens(address: str) -> frozenset[str]:
    """The words of an address, case- and punctuation-insensitive.

    >>> sorted(address_tokens("St. 21, Pou Senchey, PHNOM PENH"))
    ['21', 'penh', 'phnom', 'pou', 'senchey', 'st']
    """
    return frozenset(_WORD.findall(unicodedata.normalize("NFKC", address).casefold()))


def same_site(address_a: str, address_b: str, threshold: float = 0.6) -> bool:
    """Whether two addresses can describe one site: true when either is unknown, or when
    most words of the shorter one appear in the longer one (overlap coefficient).

    >>> same_site("Phnom Penh", "St 21, Pou Senchey, Phnom Penh")
    True
    >>> same_site("Lot 5, Binh Duong", "12 Nguyen Trai, Dong Nai")
    False
    """
    a, b = address_tokens(address_a), address_tokens(address_b)
    if not a or not b:
        return True
    return len(a & b) / min(len(a), len(b)) >= threshold
