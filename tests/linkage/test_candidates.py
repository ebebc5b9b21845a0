"""splink proposes each incoming record's best registry facilities; no database involved."""

import pytest

from shopfloor.linkage.candidates import (
    FACILITY,
    PERSON,
    PersonRecord,
    best_per_record,
    candidate_pairs,
)
from shopfloor.linkage.records import RecordView as R

REGISTRY = [
    R(1, "Golden Lotus Garment Co., Ltd.", "No. 12, Street 21, Chaom Chau, Pou Senchey, Phnom Penh",
      "KH", 11.52, 104.82),
    R(2, "Golden Lotus Knitting Co., Ltd.", "National Road 4, Km 31, Chbar Mon, Kampong Speu",
      "KH"),
    R(3, "Guo Tai Hua Sheng Xin Feng Jing (Cambodia) Garment Co., Ltd.",
      "National Road 1, Svay Chrum, Svay Rieng", "KH"),
    R(4, "Shenzhou Textile (Cambodia) Ltd.", "Bavet, Svay Rieng", "KH",
      other_names=("រោងចក្រកាត់ដេរ ស៊ិនចូវ",)),
    R(5, "Blue Sky Apparel Co., Ltd.", "No. 101, Street 175, Dangkao, Phnom Penh", "KH",
      os_id="KH2018362GFBBVS"),
    R(6, "Golden Lotus Garment Co., Ltd.", "Dhaka EPZ", "BD"),
    *[R(100 + i, f"Factory {w} Apparel", "Phnom Penh", "KH")
      for i, w in enumerate(["Sunrise", "Mekong", "Angkor", "Tonle", "Bayon", "Kirirom"])],
]


def _best(incoming, **kw):
    best = best_per_record(candidate_pairs(incoming, REGISTRY, **kw))
    return {left: c.right_id for left, c in best.items()}


def test_typos_reordering_and_run_together_words_find_their_facility():
    incoming = [
        R(10, "GOLDN LOTUS GARMENT", "Pou Senchey", "KH"),             # typo, no legal form
        R(11, "Lotus Golden Knitting", "", "KH"),                      # words reordered
        R(12, "Shen Zhou Textile Co Ltd", "Svay Rieng", "KH"),         # split word
        R(13, "GTHS Xin Feng Jing Garment", "", "KH"),                 # acronym + rare words
    ]
    assert _best(incoming) == {10: 1, 11: 2, 12: 4, 13: 3}


def test_a_khmer_name_meets_the_facility_known_by_it():
    assert _best([R(20, "ស៊ិនចូវ", "", "KH")]) == {20: 4}


def test_blocking_stays_within_the_country():
    pairs = candidate_pairs([R(30, "Golden Lotus Garment", "", "BD")], REGISTRY)
    assert pairs and {c.right_id for c in pairs} == {6}


def test_identifier_alone_is_a_candidate():
    pairs = candidate_pairs([R(40, "Unknown name", "", "KH", os_id="kh2018362gfbbvs")],
                            REGISTRY)
    assert [c.right_id for c in pairs] == [5]


def test_each_entity_once_best_first_and_at_most_top_k():
    pairs = candidate_pairs([R(50, "Golden Lotus Garment", "Phnom Penh", "KH")], REGISTRY,
                            top_k=2)
    assert [c.right_id for c in pairs] == [1, 2]
    assert pairs[0].match_weight > pairs[1].match_weight
    assert 0 < pairs[1].match_probability < pairs[0].match_probability <= 1
    # A facility known by several names is one candidate, not one per name.
    pairs = candidate_pairs([R(51, "Shenzhou Textile", "", "KH")], REGISTRY)
    assert [c.right_id for c in pairs].count(4) == 1


def test_nothing_in_nothing_out_and_unknown_engine_refused():
    assert candidate_pairs([], REGISTRY) == []
    assert candidate_pairs([R(1, "x")], []) == []
    with pytest.raises(ValueError, match="unknown engine"):
        candidate_pairs([R(1, "x")], REGISTRY, engine="sqlite")


def test_person_configuration_links_people():
    people_a = [PersonRecord(i, given_name=g, surname=s, date_of_birth=d, postcode=p,
                             suburb=sub, soc_sec_id=ssn)
                for i, (g, s, d, p, sub, ssn) in enumerate([
                    ("sokha", "chan", "19850312", "12000", "phnom penh", "1234567"),
                    ("dara", "keo", "19900101", "12101", "kandal", "7654321"),
                    ("srey", "mom", "19781224", "12302", "takeo", "1112223"),
                    ("vanna", "lim", "19951130", "12000", "phnom penh", "9998887"),
                ] * 1)]
    # A few hundred strangers so that the u probabilities have something to learn from.
    people_a += [PersonRecord(100 + i, given_name=f"name{i % 37}", surname=f"sur{i % 53}",
                              date_of_birth=f"19{50 + i % 40}0{1 + i % 9}1{i % 10}",
                              postcode=f"1{i % 90:04d}", suburb=f"town{i % 17}",
                              soc_sec_id=f"{5000000 + i}") for i in range(300)]
    people_b = [PersonRecord(1000, given_name="sokha", surname="chann", date_of_birth="19850312",
                             postcode="12000", suburb="phnom penh", soc_sec_id="1234567"),
                PersonRecord(1001, given_name="darra", surname="keo", date_of_birth="19900101",
                             postcode="12101", suburb="kandal", soc_sec_id="7654321")]
    best = best_per_record(candidate_pairs(people_b, people_a, config=PERSON))
    assert {k: v.right_id for k, v in best.items()} == {1000: 0, 1001: 1}
    assert FACILITY.name == "facility" and PERSON.train


# --- chunks and Arrow batches ----------------------------------

INCOMING = [
    R(20, "Goldn Lotus Garment", "Pou Senchey", "KH"),
    R(21, "GTHS Xin Feng Jing Garment", "", "KH"),
    R(22, "Shen Zhou Textile", "Bavet", "KH"),
    R(23, "Blue Sky Apparel", "", "KH", os_id="KH2018362GFBBVS"),
    R(24, "Golden Lotus Garment", "Dhaka", "BD"),
    R(25, "Bayon Factory Apparel", "", "KH"),
    R(26, "Nothing Like Any Registry Name", "", "KH"),
]


def test_chunked_linking_gives_the_same_candidates_as_one_run():
    whole = candidate_pairs(INCOMING, REGISTRY, chunk_size=len(INCOMING))
    assert whole
    for size in (1, 2, 3):
        assert candidate_pairs(INCOMING, REGISTRY, chunk_size=size) == whole
    with pytest.raises(ValueError):
        candidate_pairs(INCOMING, REGISTRY, chunk_size=0)


def test_arrow_batches_agree_with_one_table(monkeypatch):
    import shopfloor.linkage.candidates as C

    whole = candidate_pairs(INCOMING, REGISTRY)
    # One record per batch: batches whose columns are all empty (no coordinates, no OS ID)
    # take their type from the others.
    monkeypatch.setattr(C, "_ARROW_BATCH", 1)
    assert candidate_pairs(INCOMING, REGISTRY) == whole
    table = C._arrow_batched(REGISTRY, FACILITY, FACILITY.prepare(REGISTRY))
    assert table.num_rows == len(FACILITY.rows(REGISTRY, FACILITY.prepare(REGISTRY)))
    assert str(table.schema.field("lat").type) == "double"
    assert str(table.schema.field("block_keys").type).startswith("list")
