"""Khmer script in names and addresses: detect it and turn it into comparable Latin words.

Cambodian lists name the same factory in Khmer script on one list and in Latin letters on
another. Matching compares Latin text, so Khmer is romanised phonetically with anyascii
(ភ្នំពេញ → ``phnampenh``; letter-by-letter transliterations such as unidecode's ``bhnMbeny``
compare worse) after khmer-nltk has split it into words, because Khmer is written without
spaces between words and a romanised run-on string would be one long, unmatchable token.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

#: Khmer (U+1780–U+17FF) and Khmer Symbols (U+19E0–U+19FF).
_KHMER_CHAR = re.compile(r"[\u1780-\u17ff\u19e0-\u19ff]")
#: Runs of Khmer letters and signs (digits and punctuation excluded: they are handled apart).
_KHMER_RUN = re.compile(r"[\u1780-\u17d3\u17d7\u17dc\u17dd\u19e0-\u19ff]+")
#: Zero-width characters that Khmer typists insert as invisible word breaks (or by
#: accident); removed so that a name with and without them romanises identically.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
#: Khmer digits ០-៩ (U+17E0–U+17E9) are plain numbers: "ផ្លូវ ១៧៥" is Street 175.
_DIGITS = {0x17E0 + i: str(i) for i in range(10)}
#: Apostrophes anyascii emits inside words (ខូអិលធីឌី → khou'eltheidei); part of the word.
_APOSTROPHES = dict.fromkeys(map(ord, "'\u2019`"))
_NOT_WORD = re.compile(r"[^a-z0-9]+")

#: Romanised forms of Khmer words that say what kind of organisation a name is, not which
#: one: "company", "factory", "garment", "Co., Ltd." spelled in Khmer letters, ... Name
#: comparison can drop them like the Latin legal forms. Each equals ``romanise`` of its
#: Khmer spelling (checked by tests/linkage/test_khmer.py).
GENERIC_WORDS: frozenset[str] = frozenset({
    "kromhon",  # ក្រុមហ៊ុន company
    "raongchkr",  # រោងចក្រ factory
    "katader",  # កាត់ដេរ garment (cut and sew)
    "khoueltheidei",  # ខូអិលធីឌី "Co., Ltd." spelled out
    "eltheidei",  # អិលធីឌី "Ltd." spelled out
    "samliekbampaka",  # សំលៀកបំពាក់ clothing
    "smliekbampaka",  # សម្លៀកបំពាក់ clothing (the other spelling)
    "aekchn",  # ឯកជន private
    "khembouda",  # ខេមបូឌា "Cambodia" spelled out
    "kmpocha",  # កម្ពុជា Cambodia
})


def has_khmer(text: str | None) -> bool:
    """Whether *text* contains any Khmer character.

    >>> has_khmer("Golden Lotus រោងចក្រ")
    True
    >>> has_khmer("Golden Lotus")
    False
    """
    return bool(text) and _KHMER_CHAR.search(text) is not None


def clean_khmer(text: str) -> str:
    """NFC form without zero-width characters and with Khmer digits as ASCII digits.

    Khmer has several byte sequences for one visible word (typing order of vowel signs and
    subscripts, invisible spaces); NFC plus removing the invisible characters makes equal
    names equal strings, which exact lookups (the gazetteer) need.
    """
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return text.translate(_DIGITS)


def romanise(text: str | None) -> str:
    """Lower-case Latin words separated by single spaces; deterministic.

    Khmer runs are segmented into words (khmer-nltk) and each word is romanised with
    anyascii; Latin text is folded to ASCII and lower-cased; Khmer digits become ASCII
    digits; punctuation separates words. Text without Khmer never loads the segmenter.

    >>> romanise("Golden Lotus Garment (Cambodia) Co., Ltd.")
    'golden lotus garment cambodia co ltd'
    >>> romanise("ផ្ទះលេខ ១០១ ផ្លូវ ១៧៥")
    'phtah lekh 101 phlouv 175'
    """
    if not text:
        return ""
    return _romanise(text)


@lru_cache(maxsize=65536)
def _romanise(text: str) -> str:
    text = clean_khmer(text)
    if has_khmer(text):
        text = _KHMER_RUN.sub(_romanise_run, text)
    ascii_text = anyascii(text).translate(_APOSTROPHES).lower()
    return " ".join(w for w in _NOT_WORD.split(ascii_text) if w)


def _romanise_run(match: re.Match) -> str:
    return " " + " ".join(anyascii(word) for word in _segment(match.group(0))) + " "


@lru_cache(maxsize=65536)
def _segment(run: str) -> tuple[str, ...]:
    """Words of one run of Khmer letters (cached: names repeat across lists)."""
    return tuple(w for w in _tokenizer()(run) if w.strip())


@lru_cache(maxsize=1)
def _tokenizer():
    """khmer-nltk's word tokenizer; importing and loading its CRF model takes seconds,
    so it happens once and only when Khmer text is seen. Its INFO log line on load is
    noise in command output; the package sets its logger to DEBUG when imported, so the
    level is raised after the import."""
    from khmernltk import word_tokenize

    logging.getLogger("khmer-nltk").setLevel(logging.WARNING)
    return word_tokenize
