"""Name and address normalisation: the cases the matching issue names, and the strict
``name_key`` the importers rely on (unchanged)."""

import pytest

from shopfloor.linkage.normalise import (
    acronym,
    acronym_match,
    address_numbers,
    clean_address,
    clean_name,
    core_name,
    expand_acronyms,
    is_spaced_out,
    name_key,
    name_numbers,
    same_site,
    squash_name,
)


@pytest.mark.parametrize(("name", "country", "expected"), [
    ("Golden Lotus Garment Co., Ltd.", "KH", "golden lotus garment"),
    ("GOLDEN LOTUS GARMENT (CAMBODIA) CO.,LTD", "KH", "golden lotus garment"),
    ("Golden Lotus Garment Co. Ltd. Limited", "KH", "golden lotus garment"),
    ("PT Busana Prima Tbk", "ID", "busana prima"),
    ("PT. Busana Prima, Tbk.", "ID", "busana prima"),
    ("Cong ty TNHH May Viet Tien", "VN", "may viet tien"),
    ("Công ty TNHH May Việt Tiến", "VN", "may viet tien"),
    ("Atel Tekstil San. ve Tic. A.S.", "TR", "atel tekstil"),
    ("akcen tekstil konfeksiyon san.tic.ltd.sti.", "TR", "akcen tekstil konfeksiyon"),
    ("Artistic Apparels (Pvt) Ltd.", "PK", "artistic apparels"),
    ("Hanes Ink S.A. de C.V.", "HN", "hanes ink"),
    ("Formosa Textil (Nica) S.A.", "NI", "formosa textil nica"),
    ("SC Bellarma S.R.L.", "RO", "bellarma"),
    ("Tessil Industry Group d.0.0.", "RS", "tessil industry"),
    ("Sonicarla Europa Texteis S.A.", "PT", "sonicarla europa texteis"),
    ("Neotex S.A.R.L.", "MA", "neotex"),
])
def test_legal_forms_are_stripped_per_country(name, country, expected):
    assert clean_name(name, country) == expected


def test_legal_forms_of_one_country_stay_in_another():
    # "PT" is a legal form in Indonesia only; "San" is Turkish shorthand for "Sanayi".
    assert clean_name("PT Busana Prima", "KH") == "busana prima"  # edge form, any country
    assert clean_name("San Miguel Textiles", "PH") == "san miguel textiles"
    assert clean_name("Atel Tekstil San", "TR") == "atel tekstil"


def test_country_words_that_are_part_of_a_name_stay():
    assert clean_name("Kampuchea Star Garment Co., Ltd.", "KH") == "kampuchea star garment"
    assert clean_name("Sabrina (Cambodia) Garment Manufacturing Corp", "KH") == \
        "sabrina garment manufacturing"
    assert clean_name("Thai Garment Export Co. Ltd.", "TH") == "thai garment export"


def test_a_name_that_is_only_a_legal_form_is_kept():
    assert clean_name("Co., Ltd.") == "co ltd"
    assert clean_name("") == ""


def test_unit_numbers_are_kept_apart_from_the_name():
    one, two = "Soorty Enterprises Unit 1", "Soorty Enterprises Unit 2"
    assert core_name(one, "PK") == core_name(two, "PK") == "soorty"
    assert name_numbers(one) == {"1"} and name_numbers(two) == {"2"}
    assert name_numbers("artistic milliners pvt ltdunit14") == {"14"}
    assert name_numbers("Artistic Milliners (Pvt) Limited (Unit No. 14)") == {"14"}
    assert name_numbers("Artistic Apparels Pvt Ltd II") == {"2"}
    assert name_numbers("Roo Hsing Garment Co.,Ltd Branch #02") == {"2"}
    assert name_numbers("Golden Lotus Garment") == frozenset()


def test_acronyms_match_the_words_they_abbreviate():
    long = "Guo Tai Hua Sheng Xin Feng Jing Garment"
    assert acronym_match("GTHS Xin Feng Jing", long)
    assert acronym_match("GTHS Xin Feng Jing", "Guo Tai Hua Sheng Xin Feng Jing (Cambodia) "
                                               "Garment Co., Ltd.", "KH")
    assert expand_acronyms("GTHS Xin Feng Jing", long) == (
        "guo tai hua sheng xin feng jing", "guo tai hua sheng xin feng jing garment")
    assert acronym_match("GLG Co., Ltd.", "Golden Lotus Garment Co., Ltd.")
    assert acronym("Golden Lotus Garment Co., Ltd.") == "glg"
    assert not acronym_match("Golden Lotus Garment", "Golden Palm Garment")
    # Spaced-out spelling is not an acronym, and two letters are too often chance.
    assert not acronym_match("u g u r ko nfe ksi yo n", "ugur konfeksiyon ikitelli branch")
    assert not acronym_match("YQ Tekstil", "Yellow Quartz Apparel")
    # ... unless they spell a whole two-word name.
    assert acronym_match("JA Co., Ltd.", "Jasmine Apparel (Cambodia) Co., Ltd.", "KH")


def test_spaced_out_names_squash_to_the_same_string():
    assert is_spaced_out("m e r c u r y appar e l se e th awaka")
    assert not is_spaced_out("hirdaramani mercury seethawaka")
    assert squash_name("m e r c u r y appar e l", "LK") == squash_name("Mercury Apparel", "LK")
    assert squash_name("Shen Zhou International", "CN") == squash_name("Shenzhou International",
                                                                       "CN")
    # Legal forms that word-wise cleaning cannot see inside a spaced-out name.
    assert squash_name("d sl lanka ( pr i v ate ) ltd", "LK") == squash_name("DSL Lanka", "LK")


def test_khmer_names_are_romanised_and_the_original_is_kept():
    khmer = "រោងចក្រកាត់ដេរ ផ្កាឈូកមាស"  # "Golden Lotus" garment factory
    romanised = clean_name(khmer, "KH")
    assert romanised.isascii() and romanised
    # The generic Khmer words for "garment factory" go like Latin legal forms do.
    assert romanised == clean_name("ផ្កាឈូកមាស", "KH")
    # The Khmer original still identifies the factory exactly (importers' strict key).
    assert name_key(khmer) != name_key("ផ្កាឈូកក្រហម") and "ផ្កាឈូកមាស" in name_key(khmer)


def test_addresses_drop_the_country_and_spell_out_abbreviations():
    assert clean_address("No. 24, St. 21, Phum Trapeang, Phnom Penh, Cambodia", "KH") == \
        "no 24 street 21 village trapeang phnom penh"
    assert clean_address("lot # f2 seethawaka industrial park avissawella sri lanka", "LK") == \
        "lot f 2 seethawaka industrial park avissawella"
    assert clean_address("Bozburun Mah. 7042 Sok. No.6, Denizli, Turkey", "TR") == \
        "bozburun mahallesi 7042 sokak no 6 denizli"
    assert address_numbers("Plot # 04, Sector 25, Karachi 74900") == {"4", "25", "74900"}


def test_strict_helpers_for_importers_are_unchanged():
    assert name_key("GOLDEN LOTUS GARMENT (CAMBODIA) CO.,LTD") == "golden lotus garment"
    assert same_site("Phnom Penh", "St 21, Pou Senchey, Phnom Penh")
    assert not same_site("Lot 5, Binh Duong", "12 Nguyen Trai, Dong Nai")
