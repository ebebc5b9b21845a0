"""The Cambodian gazetteer's fuzzy resolution of addresses (pure functions, no database)."""

import csv
from pathlib import Path

import pytest

from shopfloor.linkage.gazetteer import Place, place_tokens, resolve

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
ZWSP = "\u200b"


def codes(address, country=""):
    place = resolve(address, country)
    return place.codes if place else None


@pytest.mark.parametrize(
    "spelling",
    ["Pou Saen Chey", "Pou Senchey", "Por Sen Chey", "Pursenchey", "Pur SenChey", "Posenchay",
     "Posenchei", "POU SENCHEY", "Khan Pousenchey", "ពោធិ៍សែនជ័យ", f"ពោធិ៍{ZWSP}សែនជ័យ",
     "ខណ្ឌពោធិ៍សែនជ័យ"],
)
def test_spellings_of_pou_saen_chey_give_one_district(spelling):
    assert codes(spelling) == ("12", "1209")


@pytest.mark.parametrize(
    "spelling", ["Phnom Penh", "PHNOM PENH", "Phnum Penh", "Phnom Phen", "Phnompenh", "PP",
                 "P.P.", "ភ្នំពេញ", "រាជធានីភ្នំពេញ"],
)
def test_spellings_of_phnom_penh(spelling):
    place = resolve(spelling)
    assert place.codes == ("12",)
    assert place.province == "Phnom Penh"
    assert place.province_km == "រាជធានីភ្នំពេញ"
    assert place.level == "province"


@pytest.mark.parametrize(
    ("spelling", "province"),
    [("Kampong Speu", "05"), ("Kompong Speu", "05"), ("Kg. Speu", "05"), ("Kampong Spue", "05"),
     ("កំពង់ស្ពឺ", "05"),
     ("Sihanoukville", "18"), ("Sihanouk Ville", "18"), ("Preah Sihanouk", "18"),
     ("Kampong Som", "18"), ("ព្រះសីហនុ", "18"),
     ("Svay Rieng", "20"), ("Svayrieng", "20"), ("Takeo", "21"), ("Thakeo", "21"),
     ("Kandal", "08"), ("Kandaal", "08"), ("Siem Reap", "17"), ("Kampong Cham", "03")],
)
def test_province_spellings(spelling, province):
    """A name that is also a district or commune ("Kampong Cham", "Preah Sihanouk") reads
    as the province when nothing else in the address says otherwise."""
    assert codes(spelling) == (province,)


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("No. 101, Street 175, Dangkao, Phnom Penh", ("12", "1205")),
        ("#101 St.175 Sangkat Dangkao Khan Dangkor PP", ("12", "1205", "120501")),
        ("Street 371 Sangkat Dangkor Khan Dangkor Phnom Penh855Phnom Penh Cambodia",
         ("12", "1205")),
        ("Toul Kor Village,St. 598 Sangkat Toul Sanke Khan Russey Keo,Phnom Penh",
         ("12", "1207")),
        ("Sangkat Chak Angre Krom, Khan Meanchey, Phnom Penh", ("12", "1206", "120607")),
        ("National Rd.,No. 4,Phum Trapaing Reussey,Khum Sambo Samrong Torng District,"
         "Kampong Speu Province", ("05", "0507")),
        ("National Road n0.4 trapaing russey village sambo commune samrong tung district "
         "kampon speu province", ("05", "0507")),
        ("Jinnanagor Bazar National Rd.4 Phum Bekchan Khum Bekchan Angsnoul District "
         "Kandal Province Cambodia", ("08", "0808", "080801")),
        ("NATIONAL ROAD, NO. 3, PHUM TANG DONG, KHUM TANG DONG, SROK BATY, 21311, Takeo",
         ("21", "2102", "210212")),
        ("Sruk Choeung Brey,Kampong Cham Province", ("03", "0303")),
        ("National Road No.1, Tai Seng SEZ, Sangkat Bavet, Bavet, N/A, Svay Rieng",
         ("20", "2008", "200802")),
        ("Lot 12, Kandal Stueng, Kandal", ("08", "0801")),
        # "Srok" is an address word and part of the district name "Phnum Srok".
        ("No. 5, Sangkat Punley, Khan Phnum Srok, Banteay Meanchey", ("01", "0103", "010303")),
        # Khmer address with Khmer digits and a numbered commune (ចោមចៅទី១ = Chaom Chau 1).
        ("ផ្ទះលេខ ១២ ផ្លូវ ៥៩៨ សង្កាត់ចោមចៅទី១ ខណ្ឌពោធិ៍សែនជ័យ រាជធានីភ្នំពេញ",
         ("12", "1209", "120916")),
        (f"សង្កាត់ចោមចៅទី១{ZWSP} ខណ្ឌពោធិ៍សែនជ័យ", ("12", "1209", "120916")),
        ("ខណ្ឌ៧មករា រាជធានីភ្នំពេញ", ("12", "1203")),
        ("Khan 7 Makara, Phnom Penh", ("12", "1203")),
        # Mixed Khmer and Latin in one address.
        ("រោងចក្រ ABC, National Road 4, ស្រុកអង្គស្នួល ខេត្តកណ្ដាល", ("08", "0808")),
        ("Phum Trapeang Po, Sangkat Chom Chao, ភ្នំពេញ", ("12", "1209")),
        ("Sangkat Chaom Chau 3, Khan Pou Senchey, Phnom Penh", ("12", "1209", "120918")),
    ],
)
def test_addresses_with_street_numbers_and_address_words(address, expected):
    assert codes(address) == expected


def test_a_name_shared_by_sibling_communes_resolves_to_their_district():
    """Chaom Chau was split into Chaom Chau 1, 2 and 3: "Sangkat Chaom Chau" names the
    district for sure and no single commune."""
    place = resolve("Sangkat Chaom Chau, Khan Pou Senchey, Phnom Penh")
    assert place.codes == ("12", "1209")
    assert place.commune_code == "" and place.level == "district"


def test_a_commune_named_in_two_provinces_alone_is_ambiguous():
    assert resolve("Samrong Kram") is None  # Samraong Kraom: Kampot and Phnom Penh
    assert codes("Sangkat Samrong Kram, Phnom Penh") == ("12", "1209", "120911")


def test_a_longer_reading_beats_a_shorter_one():
    assert codes("Kandal") == ("08",)
    assert codes("Kandal Stueng") == ("08", "0801")


@pytest.mark.parametrize(
    "address",
    ["12 Nguyen Trai, Dong Nai, Vietnam", "Lot 5, Binh Duong",
     "Shenzhen, Guangdong, China", "Dhaka Export Processing Zone, Savar, Dhaka",
     "Jalan Soekarno Hatta no.23 Bandung", "123 Main Street, Springfield",
     "No. 12, St. 5", "Building C, Floor 3", "Trang", "Tien Giang Province",
     "No 500, Sec 1, Sing Loa Road, Tien Jhong Town, Chang Hua Country",
     "Gway Chaung Gonmin Myaung Village Tharrawaddy Township Bago Region Myanmar",
     "Phum Thmei",  # "new village": a commune's name, but also just an address word
     "Golden Lotus Garment", "", "   ", ",,,", "១២៣", ZWSP],
)
def test_addresses_that_name_no_cambodian_place(address):
    assert resolve(address) is None
    assert place_tokens(address) == frozenset()


def test_none_and_other_countries_resolve_to_nothing():
    assert resolve(None) is None
    assert resolve("Phnom Penh", country="VN") is None
    assert resolve("Phnom Penh", country="kh").codes == ("12",)
    assert resolve("Phnom Penh", country="").codes == ("12",)


def test_place_names_and_str():
    place = resolve("Sangkat Chaom Chau 1, Khan Pou Senchey, Phnom Penh")
    assert place == Place(
        province_code="12", province="Phnom Penh", province_km="រាជធានីភ្នំពេញ",
        district_code="1209", district="Pou Saen Chey", district_km="ពោធិ៍សែនជ័យ",
        commune_code="120916", commune="Chaom Chau Ti Muoy", commune_km="ចោមចៅទី១",
    )
    assert str(place) == "Chaom Chau Ti Muoy, Pou Saen Chey, Phnom Penh"
    assert place.level == "commune"


def test_place_tokens_are_prefixed_codes_equal_across_spellings():
    tokens = place_tokens("No. 101, Street 175, Dangkao, Phnom Penh")
    assert tokens == frozenset({"KH-12", "KH-1205"})
    assert place_tokens("Khan Dangkor, PP") == tokens
    assert place_tokens("ខណ្ឌដង្កោ រាជធានីភ្នំពេញ") == tokens
    # Street number 12 is not province 12.
    assert "12" not in place_tokens("No. 12, Khan Dangkao")
    assert place_tokens("Pou Senchey") != tokens
    assert place_tokens("Pou Senchey", country="TH") == frozenset()


def test_results_do_not_depend_on_what_was_resolved_before():
    """Caches are keyed on what the result depends on: a second address that differs only
    by its house number, or reads the same names at other positions, resolves alike."""
    first = codes("No. 1, Sangkat Kakab, Khan Dangkor, Phnom Penh")
    assert codes("No. 2, Sangkat Kakab, Khan Dangkor, Phnom Penh") == first
    assert codes("Phnom Penh, Khan Dangkor, Sangkat Kakab, No. 3") == first
    assert codes("Kandal Stueng") == ("08", "0801")
    assert codes("Kandal") == ("08",)


def test_open_supply_hub_lists_cambodian_rows_resolve_and_others_do_not():
    """Real addresses from Open Supply Hub's facility lists: every Cambodian row names a
    place; none of the ~900 rows from other countries (Vietnam, China, Bangladesh,
    Myanmar, Taiwan, ...) resolves to a Cambodian place."""
    cambodian, other = set(), set()
    for path in sorted((DATA / "oshub" / "facility_lists").glob("**/*.csv")):
        with path.open(encoding="utf-8", errors="replace", newline="") as fh:
            for row in csv.DictReader(fh):
                row = {(k or "").lower(): v or "" for k, v in row.items()}
                country = row.get("country", "").lower()
                target = cambodian if "cambodia" in country or country == "kh" else other
                target.add(row.get("address", ""))
    assert len(cambodian) >= 10 and len(other) >= 500
    assert [a for a in cambodian if resolve(a) is None] == []
    assert [a for a in other if resolve(a) is not None] == []
