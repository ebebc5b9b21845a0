"""Khmer detection and romanisation (pure functions, no database)."""

import re

import pytest

from shopfloor.linkage import khmer
from shopfloor.linkage.khmer import GENERIC_WORDS, clean_khmer, has_khmer, romanise

ZWSP = "\u200b"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ភ្នំពេញ", True),
        ("Golden Lotus រោងចក្រ", True),
        ("១២៣", True),  # Khmer digits are Khmer script
        ("᧠", True),  # Khmer Symbols block (lunar date sign)
        ("Golden Lotus Garment Co., Ltd.", False),
        ("Nguyễn Văn Cừ", False),
        (ZWSP, False),  # a lone zero-width space is not Khmer
        ("", False),
        (None, False),
    ],
)
def test_has_khmer(text, expected):
    assert has_khmer(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Real places, as the official gazetteer spells them in Khmer.
        ("ភ្នំពេញ", "phnampenh"),
        ("ស្វាយរៀង", "svayrieng"),
        ("កំពង់ស្ពឺ", "kampngaspeu"),
        ("ព្រះសីហនុ", "prahseihno"),
        ("ពោធិ៍សែនជ័យ", "paothesaenchay"),
        # Factory-name words: segmented into words, not one run-on token.
        ("រោងចក្រកាត់ដេរ", "raongchkr katader"),
        ("សង្កាត់ចោមចៅ", "sngkata chaom chau"),
        ("ខណ្ឌដង្កោ រាជធានីភ្នំពេញ", "khnd dngkao rachthanei phnampenh"),
    ],
)
def test_romanise_khmer_words(text, expected):
    assert romanise(text) == expected


def test_romanise_latin_is_folded_lower_case_words():
    assert romanise("Golden Lotus Garment (Cambodia) Co., Ltd.") == (
        "golden lotus garment cambodia co ltd")
    assert romanise("  GOLDEN-LOTUS   garment  ") == "golden lotus garment"
    assert romanise("Công ty TNHH Nguyễn") == "cong ty tnhh nguyen"
    # Decomposed accents (NFD, as some spreadsheets save them) give the same words.
    assert romanise("Cafe\u0301 Royal") == romanise("Café Royal") == "cafe royal"


def test_romanise_mixed_khmer_and_latin_keeps_both_in_order():
    assert romanise("ក្រុមហ៊ុន ABC Garment ខូអិលធីឌី") == "kromhon abc garment khoueltheidei"
    # Latin glued to Khmer without a space still splits at the change of script.
    assert romanise("ABCរោងចក្រ") == "abc raongchkr"
    words = romanise("រោងចក្រកាត់ដេរ ហ្គោលដិន ឡូតាស Golden Lotus").split()
    assert words[:2] == ["raongchkr", "katader"]
    assert words[-2:] == ["golden", "lotus"]


def test_romanise_reads_khmer_digits_as_numbers():
    assert romanise("ផ្ទះលេខ ១០១ ផ្លូវ ១៧៥") == "phtah lekh 101 phlouv 175"
    assert romanise("Unit ២") == romanise("Unit 2") == "unit 2"
    assert "7" in romanise("៧មករា").split()[0]


def test_zero_width_spaces_do_not_change_the_result():
    for word in ("ពោធិ៍សែនជ័យ", "រោងចក្រកាត់ដេរ", "ភ្នំពេញ"):
        for i in range(1, len(word)):
            with_zw = word[:i] + ZWSP + word[i:]
            assert romanise(with_zw) == romanise(word), (i, with_zw)
    assert romanise("Golden\u200cLotus\ufeff") == "goldenlotus"
    assert romanise(ZWSP) == ""


def test_khmer_punctuation_separates_words():
    assert romanise("ភ្នំពេញ។") == "phnampenh"
    assert romanise("រោងចក្រ៖ ភ្នំពេញ") == "raongchkr phnampenh"


def test_output_is_only_lower_case_ascii_words_single_spaced():
    texts = ["ក្រុមហ៊ុន ABC Garment ខូអិលធីឌី", "«ភ្នំពេញ»—Phnom Penh!", "ឯ.ក ២០២៤", "Ōsaka's"]
    for text in texts:
        out = romanise(text)
        assert re.fullmatch(r"[a-z0-9]+( [a-z0-9]+)*", out), (text, out)
    # anyascii writes apostrophes inside romanised Khmer words; they are not word breaks.
    assert "khoueltheidei" in romanise("ខូអិលធីឌី")


def test_romanise_is_deterministic_across_cache_clears():
    text = "រោងចក្រកាត់ដេរ សុខសាន្ត ភ្នំពេញ ១២"
    first = romanise(text)
    khmer._romanise.cache_clear()
    khmer._segment.cache_clear()
    assert romanise(text) == first
    assert romanise(text) == first


def test_empty_input():
    assert romanise("") == ""
    assert romanise(None) == ""


def test_latin_text_does_not_need_the_segmenter():
    """The segmenter costs seconds to load; Latin-only lists must never pay for it."""
    khmer._tokenizer.cache_clear()
    romanise("Sun Rise Apparel (Cambodia) Unit 3 — a name never romanised before")
    assert khmer._tokenizer.cache_info().currsize == 0
    romanise("សន់រ៉ាយ")
    assert khmer._tokenizer.cache_info().currsize == 1


@pytest.mark.parametrize(
    "word",
    ["ក្រុមហ៊ុន", "រោងចក្រ", "កាត់ដេរ", "ខូអិលធីឌី", "អិលធីឌី", "សំលៀកបំពាក់",
     "សម្លៀកបំពាក់", "ឯកជន", "ខេមបូឌា", "កម្ពុជា"],
)
def test_generic_words_are_what_romanise_produces(word):
    """Name cleaning drops GENERIC_WORDS from romanised names: each must be exactly the
    romanisation of its Khmer spelling, or it would silently never match."""
    assert romanise(word) in GENERIC_WORDS


def test_generic_words_stay_out_of_distinctive_names():
    name = romanise("ក្រុមហ៊ុន រោងចក្រកាត់ដេរ ហ្គោលដិន ឡូតាស ខូអិលធីឌី")
    distinctive = [w for w in name.split() if w not in GENERIC_WORDS]
    assert distinctive and not set(distinctive) & GENERIC_WORDS
    assert "kromhon" not in distinctive and "khoueltheidei" not in distinctive


def test_clean_khmer_normalises_for_exact_comparison():
    assert clean_khmer("ពោធិ៍\u200bសែនជ័យ") == "ពោធិ៍សែនជ័យ"
    assert clean_khmer("ចោមចៅទី១") == "ចោមចៅទី1"
    assert clean_khmer("Street ១៧៥") == "Street 175"
