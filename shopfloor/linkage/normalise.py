"""Pure functions that turn names and addresses into comparable keys (no database)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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


# --- Names for fuzzy matching ---------------------------------------------------------------
# ``name_key`` above is deliberately strict (exact matching must not merge two factories).
# The functions below prepare names for the learned pair scorer instead: they fold more
# variation away and keep what tells sister factories apart (unit and plot numbers) as a
# separate signal, because "Soorty Enterprises Unit 6" and "Unit 10" differ only there.

#: Legal forms that never name a particular factory, whatever the country. Removed as whole
#: words anywhere in a name (after dotted abbreviations such as "S.A." became "sa").
_LEGAL_ANYWHERE = frozenset({
    "co", "company", "companies", "ltd", "ltda", "limited", "llc", "inc", "incorporated",
    "corp", "corporation", "plc", "pvt", "private", "pte", "gmbh", "srl", "sarl", "sas",
    "spa", "doo", "d00", "ood", "eood", "lda", "tnhh", "bv", "nv", "sdn", "bhd", "tbk", "jsc",
    "cv", "sti", "sirketi", "unipessoal",
})

#: Legal forms that are also ordinary words or initials somewhere, so they are only stripped
#: from the start or end of a name, and only for the countries that use them (``""`` = any).
_LEGAL_EDGE: dict[str, frozenset[str]] = {
    "": frozenset({"sa", "ag", "ab", "as", "oy", "kg", "ad", "sc", "pt", "group"}),
    "TR": frozenset({"san", "sanayi", "tic", "ticaret", "ve", "dis", "as", "ltd sti"}),
    "VN": frozenset({"cong ty", "cong", "ty", "co phan", "cp", "mtv", "trach nhiem huu han"}),
    "ID": frozenset({"pt", "tbk", "persero"}),
    "MX": frozenset({"sa de cv", "de cv", "s de rl", "s de rl de cv", "sapi"}),
    "SV": frozenset({"sa de cv", "de cv"}),
    "HN": frozenset({"sa de cv", "de cv", "s de rl"}),
    "GT": frozenset({"sa"}),
    "NI": frozenset({"sa"}),
    "RO": frozenset({"sc", "srl", "sa"}),
    "BG": frozenset({"ood", "eood", "ad", "ltd"}),
    "RS": frozenset({"doo", "ad"}),
    "PK": frozenset({"pvt", "private"}),
    "LK": frozenset({"pvt", "private"}),
    "IN": frozenset({"pvt", "private"}),
}

#: Country names written into factory names ("Sabrina (Cambodia) Garment", "Bogart
#: Lingerie (Thailand)"): stripped for the record's own country, and Cambodia's always
#: (lists about Cambodian factories write "(Cambodia)" whatever country column they have).
_COUNTRY_WORDS: dict[str, frozenset[str]] = {
    "KH": frozenset({"cambodia", "cambodge", "kampuchea", "kh"}),
    "TH": frozenset({"thailand", "thai"}),
    "VN": frozenset({"vietnam", "viet nam"}),
    "BD": frozenset({"bangladesh", "bd"}),
    "CN": frozenset({"china", "prc"}),
    "MM": frozenset({"myanmar", "burma"}),
    "LK": frozenset({"lanka", "sri lanka"}),
    "PK": frozenset({"pakistan"}),
    "IN": frozenset({"india"}),
    "ID": frozenset({"indonesia"}),
    "RS": frozenset({"serbia"}),
    "TR": frozenset({"turkey", "turkiye"}),
}

#: Country words that are part of real names: never stripped from names.
_IN_NAMES = frozenset({"kampuchea", "thai", "china", "india"})
#: Country abbreviations: stripped only at a name's ends.
_COUNTRY_EDGE_ONLY = frozenset({"kh", "bd", "prc"})

#: Words that say what kind of business a factory is, not which one. Kept by
#: ``clean_name`` (they help to tell "X Garment" from "X Printing"), dropped by ``core_name``.
GENERIC_WORDS = frozenset({
    "garment", "garments", "apparel", "apparels", "textile", "textiles", "tekstil", "textil",
    "fashion", "fashions", "factory", "manufacturing", "manufacture", "manufacturer",
    "industry", "industries", "industrial", "international", "intl", "enterprise",
    "enterprises", "knitting", "knitwear", "sportswear", "clothing", "wear", "konfeksiyon",
    "confeccoes", "and", "the", "of",
})

#: Unit, plot and building markers that precede the number telling sister sites apart.
_UNIT_WORDS = frozenset({
    "unit", "u", "plant", "factory", "facility", "branch", "building", "bldg", "block", "plot",
    "phase", "no", "site", "division", "line", "f",
})
#: Words naming one site of a company, dropped from ``core_name`` with the number they carry.
_SITE_WORDS = frozenset({"unit", "branch", "plant", "facility", "division", "no"})
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7",
          "viii": "8", "ix": "9", "x": "10"}

_DOTTED = re.compile(r"\b(?:[a-z0-9]\.){1,5}(?:[a-z0-9]\b\.?)?")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_DIGIT_RUN = re.compile(r"(\d+)")
_AMP_INITIALS = re.compile(r"\b([a-z])\s*&\s*([a-z])\b")  # "M&V", "Y & Q" are initials
_GLUED_LEGAL = re.compile(r"\b(ltd|pvt)(?=[a-z])")  # "pvt ltdunit14"


def _romanise(text: str) -> str:
    """Khmer script to Latin words (helper module ``khmer``), other scripts and accents to
    ASCII. Imported lazily: khmer-nltk is only loaded when Khmer text appears."""
    try:
        from shopfloor.linkage.khmer import has_khmer, romanise
    except ImportError:  # pragma: no cover - the khmer module ships with this package
        from anyascii import anyascii

        return anyascii(text).lower()
    if has_khmer(text):
        return romanise(text)
    from anyascii import anyascii

    return anyascii(text).lower()


@lru_cache(maxsize=1)
def _khmer_generic() -> frozenset[str]:
    try:
        from shopfloor.linkage.khmer import GENERIC_WORDS as khmer_words
    except ImportError:  # pragma: no cover
        return frozenset()
    return khmer_words


def _words(name: str) -> list[str]:
    """Lower-case ASCII words; dotted abbreviations joined ("S.A." → "sa", "Co.,Ltd" → "co
    ltd"), "&" read as "and", letters and digits split ("unit14" → "unit 14")."""
    text = _romanise(unicodedata.normalize("NFKC", name or ""))
    text = text.replace("d.0.0.", "doo").replace("d.o.o", "doo")
    text = _DIGIT_RUN.sub(r" \1 ", text)
    text = _AMP_INITIALS.sub(r"\1\2", text).replace("&", " and ")
    text = _GLUED_LEGAL.sub(r"\1 ", text)
    text = _DOTTED.sub(lambda m: m.group(0).replace(".", "") + " ", text)
    return [w for w in _NON_WORD.split(text) if w]


def _strip_phrase(words: list[str], forms: frozenset[tuple[str, ...]], longest: int
                  ) -> list[str]:
    """Remove legal phrases from both ends until none is left ("Co., Ltd. Limited"),
    longest first ("sa de cv" before "cv"); at least one word always stays."""
    changed = True
    while changed:
        changed = False
        for n in range(min(longest, len(words) - 1), 0, -1):
            if tuple(words[-n:]) in forms:
                words, changed = words[:-n], True
                break
            if tuple(words[:n]) in forms:
                words, changed = words[n:], True
                break
    return words


@lru_cache(maxsize=256)
def _forms(country: str) -> tuple[frozenset[str], frozenset[tuple[str, ...]], int]:
    """(the country's own names, legal phrases stripped at the ends as word tuples, the
    longest phrase's length) for one country, built once."""
    # "Kampuchea Star" and "Thai Garment Export" keep the word that is part of the name;
    # abbreviations ("KH") go at the ends, the country's name ("(Cambodia)") anywhere.
    own = (_COUNTRY_WORDS.get(country, frozenset()) | _COUNTRY_WORDS["KH"]) - _IN_NAMES
    edge = _LEGAL_EDGE[""] | _LEGAL_EDGE.get(country, frozenset()) | own | _LEGAL_ANYWHERE
    forms = frozenset(tuple(p.split()) for p in edge)
    anywhere = frozenset(w for w in own if w not in _COUNTRY_EDGE_ONLY)
    return anywhere, forms, max(len(f) for f in forms)


def clean_name(name: str, country: str = "") -> str:
    """A factory name reduced to the words that identify it: lower-case ASCII (Khmer
    romanised), punctuation gone, legal forms and the country's own name removed wherever
    they are (repeatedly, with the country's own forms: "PT … Tbk", "Cong ty TNHH …", "a.s.",
    "S.A. de C.V."). Never empty for a non-empty name: a name that is only a legal form is
    kept as it is.

    >>> clean_name("Golden Lotus Garment (Cambodia) Co.,Ltd.", "KH")
    'golden lotus garment'
    >>> clean_name("PT Busana Prima Tbk", "ID")
    'busana prima'
    >>> clean_name("Cong ty TNHH May Viet Tien", "VN")
    'may viet tien'
    >>> clean_name("Atel Tekstil San. ve Tic. A.S.", "TR")
    'atel tekstil'
    """
    return _clean_name(name or "", (country or "").upper())


@lru_cache(maxsize=200_000)
def _clean_name(name: str, country: str) -> str:
    words = _words(name)
    if not words:
        return ""
    khmer_generic = _khmer_generic()
    own, forms, longest = _forms(country)
    kept = _strip_phrase(words, forms, longest)  # phrases first: "sa de cv" before "cv"
    kept = [w for w in kept if w not in _LEGAL_ANYWHERE and w not in khmer_generic]
    kept = _strip_phrase(kept, forms, longest)
    kept = [w for w in kept if w not in own]
    return " ".join(kept) or " ".join(words)


def name_tokens(name: str, country: str = "") -> list[str]:
    """The words of ``clean_name`` in order."""
    return clean_name(name, country).split()


def core_name(name: str, country: str = "") -> str:
    """``clean_name`` without generic industry words ("garment", "tekstil", "apparel"), site
    words ("unit", "branch") and numbers: what is left names the owner ("xin feng jing").
    Falls back to ``clean_name`` when nothing would be left ("Garment Factory 2")."""
    words = [w for w in name_tokens(name, country)
             if w not in GENERIC_WORDS and w not in _SITE_WORDS and not w.isdigit()
             and w not in _ROMAN]
    return " ".join(words) or clean_name(name, country)


def name_numbers(name: str) -> frozenset[str]:
    """Numbers that tell sister factories apart: "Unit 1" vs "Unit 2", "Factory II",
    "Branch #2", "unit14". Leading zeros dropped, Roman numerals after a unit word read as
    numbers. Kept apart from the name so a scorer can weigh a disagreement on its own.

    >>> sorted(name_numbers("Soorty Enterprises (Pvt.) Ltd. Unit 6"))
    ['6']
    >>> sorted(name_numbers("Artistic Apparels Pvt Ltd II"))
    ['2']
    >>> name_numbers("Golden Lotus Garment")
    frozenset()
    """
    words = _words(name)
    found = set()
    for i, w in enumerate(words):
        if w.isdigit():
            found.add(w.lstrip("0") or "0")
        elif w in _ROMAN and w != "i" and (
                (i > 0 and words[i - 1] in _UNIT_WORDS) or (w in {"ii", "iii", "iv"})):
            found.add(_ROMAN[w])
    return frozenset(found)


def acronym(name: str, country: str = "") -> str:
    """Initials of the cleaned name's words ("Guo Tai Hua Sheng" → "gths").

    >>> acronym("Golden Lotus Garment Co., Ltd.")
    'glg'
    """
    return "".join(w[0] for w in name_tokens(name, country) if not w.isdigit())


def acronym_match(a: str, b: str, country: str = "") -> bool:
    """Whether a short word of one name is the initials of consecutive words of the other:
    "GTHS Xin Feng Jing" ~ "Guo Tai Hua Sheng Xin Feng Jing Garment", "GLG Co., Ltd." ~
    "Golden Lotus Garment". Words of 3–6 letters that are not themselves words of the other
    name are tried; names written with stray spaces ("u g u r ko nfe") are not acronyms.

    >>> acronym_match("GTHS Xin Feng Jing", "Guo Tai Hua Sheng Xin Feng Jing Garment")
    True
    >>> acronym_match("Golden Lotus", "Golden Palm")
    False
    """
    if is_spaced_out(a) or is_spaced_out(b):
        return False
    ta, tb = name_tokens(a, country), name_tokens(b, country)
    return has_acronym_of(ta, tb) or has_acronym_of(tb, ta)


def expand_acronyms(a: str, b: str, country: str = "") -> tuple[str, str]:
    """Both cleaned names, with an acronym in one replaced by the words it abbreviates in
    the other, so ordinary string similarity sees "guo tai hua sheng xin feng jing" twice."""
    ta, tb = name_tokens(a, country), name_tokens(b, country)
    return " ".join(expand_acronym_words(ta, tb)), " ".join(expand_acronym_words(tb, ta))


_ACRONYM_MIN = 3


def _initial_runs(words: list[str]) -> dict[str, list[str]]:
    return _initial_runs_of(tuple(words))


@lru_cache(maxsize=100_000)
def _initial_runs_of(words: tuple[str, ...]) -> dict[str, list[str]]:
    runs: dict[str, list[str]] = {}
    letters = [w for w in words if not w.isdigit()]
    for i in range(len(letters)):
        for j in range(i + 2, min(len(letters), i + 8) + 1):
            runs.setdefault("".join(w[0] for w in letters[i:j]), letters[i:j])
    return runs


def has_acronym_of(short: list[str], long: list[str]) -> bool:
    """Whether a 3–6 letter word of *short* (not itself a word of *long*) is the initials
    of consecutive words of *long*. Two letters are too often initials by chance, so they
    count only when they are the whole of *short* and spell the whole two-word *long*."""
    runs = _initial_runs(long)
    others = set(long)
    if len(short) == 1 and len(long) == 2 and short[0] == long[0][0] + long[1][0]:
        return True  # "JA Co., Ltd." for "Jasmine Apparel": two letters spelling a whole name
    return any(_ACRONYM_MIN <= len(w) <= 6 and w.isalpha() and w not in others and w in runs
               for w in short)


def expand_acronym_words(short: list[str], long: list[str]) -> list[str]:
    """*short* with each acronym of words of *long* replaced by those words."""
    if len(short) == 1 and len(long) == 2 and short[0] == long[0][0] + long[1][0]:
        return list(long)
    runs = _initial_runs(long)
    others = set(long)
    out: list[str] = []
    for w in short:
        if _ACRONYM_MIN <= len(w) <= 6 and w.isalpha() and w not in others and w in runs:
            out.extend(runs[w])
        else:
            out.append(w)
    return out


#: Spellings of common address words, so "St", "Str." and "Street" or "Mah." and
#: "Mahallesi" compare equal.
_ADDRESS_WORDS = {
    "st": "street", "str": "street", "rd": "road", "ave": "avenue", "av": "avenue",
    "blvd": "boulevard", "bulevar": "boulevard", "bulevari": "boulevard", "hwy": "highway",
    "nat": "national", "natl": "national", "nr": "no", "num": "no", "ind": "industrial",
    "mah": "mahallesi", "mh": "mahallesi", "sok": "sokak", "sk": "sokak", "cad": "caddesi",
    "cd": "caddesi", "cadde": "caddesi", "osb": "organize sanayi bolgesi", "dist": "district",
    "prov": "province", "vill": "village", "phum": "village", "khum": "commune",
    "srok": "district", "sangkat": "commune", "khan": "district", "epz": "export processing zone",
    "sez": "special economic zone", "zi": "zone industrielle",
}


def country_names(country: str) -> tuple[tuple[str, ...], ...]:
    """The country's names as word tuples ("sri lanka", "kingdom of cambodia", "turkey"),
    for removing them from addresses: one list writes the country, the other does not."""
    return _country_names((country or "").upper())


@lru_cache(maxsize=512)
def _country_names(country: str) -> tuple[tuple[str, ...], ...]:
    names = set(_COUNTRY_WORDS.get(country, ()))
    try:
        import pycountry

        found = pycountry.countries.get(alpha_2=country) if country else None
    except (ImportError, LookupError, KeyError):  # pragma: no cover
        found = None
    if found is not None:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(found, attr, None)
            if value:
                names.add(value.split(",")[0])
    from anyascii import anyascii

    words = {tuple(w for w in _NON_WORD.split(anyascii(n).lower()) if w) for n in names}
    return tuple(sorted((w for w in words if w), key=len, reverse=True))


def clean_address(address: str, country: str = "") -> str:
    """An address as lower-case ASCII words (Khmer romanised) for fuzzy comparison:
    punctuation removed, letters split from digits, common abbreviations spelled out
    ("St" → "street", "Mah." → "mahallesi", "Phum" → "village") and the country's own name
    dropped.

    >>> clean_address("No. 24, St. 21, Phum Trapeang, Phnom Penh, Cambodia", "KH")
    'no 24 street 21 village trapeang phnom penh'
    """
    return _clean_address(address or "", (country or "").upper())


@lru_cache(maxsize=200_000)
def _clean_address(address: str, country: str) -> str:
    text = " ".join(_ADDRESS_WORDS.get(w, w) for w in _words(address))
    pattern = _country_pattern(country)
    if pattern is not None:
        text = pattern.sub(" ", text)
    return " ".join(text.split())


@lru_cache(maxsize=512)
def _country_pattern(country: str) -> re.Pattern | None:
    names = country_names(country)
    if not names:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(" ".join(n)) for n in names) + r")\b")


def address_numbers(address: str) -> frozenset[str]:
    """Numbers in an address (house, plot, street, postcode), leading zeros dropped."""
    return frozenset(w.lstrip("0") or "0" for w in _words(address) if w.isdigit())


def squash(text: str) -> str:
    """Text with all spaces removed: "m e r c u r y appar e l" and "mercury apparel",
    "Shen Zhou" and "Shenzhou" become one string."""
    return "".join(text.split())


@lru_cache(maxsize=200_000)
def is_spaced_out(name: str) -> bool:
    """Whether a name is written with stray spaces inside words, as some uploads to Open
    Supply Hub are ("m e r c u r y appar e l", "d sl lanka ( pr i v ate ) ltd"): more than
    half of its words, and at least three, have one or two letters ("Yuan Da" is not)."""
    words = [w for w in name_tokens(name) if not w.isdigit()]
    short = sum(len(w) <= 2 for w in words)
    return short >= 3 and short * 2 > len(words)


def squash_name(name: str, country: str = "") -> str:
    """``clean_name`` without spaces. For a spaced-out name the legal forms that word-wise
    cleaning could not see ("pr i v ate", "c o ltd") are stripped from the squashed end.

    >>> squash_name("d sl lanka ( pr i v ate ) ltd", "LK")
    'dsl'
    >>> squash_name("Shen Zhou International") == squash_name("Shenzhou International")
    True
    """
    text = squash(clean_name(name, country))
    if not is_spaced_out(name):
        return text
    country = (country or "").upper()
    forms = {squash(f) for f in _LEGAL_ANYWHERE | _LEGAL_EDGE[""]
             | _LEGAL_EDGE.get(country, frozenset()) | _COUNTRY_WORDS.get(country, frozenset())}
    forms = sorted((f for f in forms if len(f) >= 2), key=len, reverse=True)
    changed = True
    while changed:
        changed = False
        for form in forms:
            if text.endswith(form) and len(text) - len(form) >= 3:
                text, changed = text[:-len(form)], True
                break
    return text
