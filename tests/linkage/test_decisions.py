"""Decisions are made once: stored by the record's fingerprint and reused on re-upload."""

import pytest
from django.contrib.auth import get_user_model

from shopfloor.linkage.decisions import (
    apply_remembered,
    confirm,
    make_new_facility,
    reject,
    remembered,
    review_queue,
)
from shopfloor.linkage.records import fingerprint
from shopfloor.models import Facility, FacilityRecord, MatchDecision
from tests import factories

pytestmark = pytest.mark.django_db
D = FacilityRecord.Decision


@pytest.fixture
def reviewer():
    return get_user_model().objects.create_user("reviewer")


@pytest.fixture
def facs():
    src = factories.source()
    return [factories.facility(src, name=n, address="Pou Senchey, Phnom Penh")
            for n in ("Golden Lotus Garment", "Golden Lotus Knitting", "Silver Crane Apparel")]


def _pending(facs, name="Goldn Lotus Garmnt", row=2, source=None, cands=(0, 1)):
    src = source or factories.source(importer="facility-list")
    evidence = {"candidates": [{"facility_id": facs[i].pk, "score": 0.7 - i * 0.1}
                               for i in cands]}
    return FacilityRecord.objects.create(
        source=src, row_number=row, name=name, address="Phnom Penh", country="KH",
        facility=facs[cands[0]] if cands else None, match_score=0.7, decision=D.PENDING,
        match_evidence=evidence)


def test_confirm_links_remembers_and_learns_the_spelling(facs, reviewer):
    rec = _pending(facs)
    confirm(rec, facs[0], reviewer)
    rec.refresh_from_db()
    assert (rec.facility, rec.decision, rec.decided_by) == (facs[0], D.CONFIRMED, reviewer)
    assert rec.decided_at is not None
    memo = remembered([fingerprint(rec.name, rec.address, "KH")])
    assert list(memo.values())[0].confirmed == {facs[0].pk}
    facs[0].refresh_from_db()
    assert "Goldn Lotus Garmnt" in facs[0].other_names
    assert review_queue().count() == 0


def test_confirming_another_facility_turns_the_first_into_a_rejection(facs):
    rec = _pending(facs)
    confirm(rec, facs[0])
    confirm(rec, facs[1])
    memo = remembered([fingerprint(rec.name, rec.address, rec.country)])
    (only,) = memo.values()
    assert (only.confirmed, only.rejected) == ({facs[1].pk}, {facs[0].pk})


def test_reject_moves_to_next_candidate_then_to_none(facs, reviewer):
    rec = _pending(facs)
    reject(rec, facs[0], reviewer)
    rec.refresh_from_db()
    assert (rec.facility, rec.decision, rec.match_score) == (facs[1], D.PENDING, 0.6)
    assert list(review_queue()) == [rec]
    reject(rec, facs[1], reviewer)
    rec.refresh_from_db()
    assert (rec.facility, rec.decision) == (None, D.PENDING)
    assert review_queue().count() == 0
    assert MatchDecision.objects.filter(verdict="rejected").count() == 2


def test_make_new_facility_creates_it_and_rejects_the_candidate(facs, reviewer):
    rec = _pending(facs, name="រោងចក្រកាត់ដេរ ថ្មី")
    fac = make_new_facility(rec, reviewer)
    rec.refresh_from_db()
    assert (rec.facility, rec.decision) == (fac, D.NEW)
    assert fac.name_km == "រោងចក្រកាត់ដេរ ថ្មី" and fac.country == "KH"
    (memo,) = remembered([fingerprint(rec.name, rec.address, "KH")]).values()
    assert memo.confirmed == {fac.pk} and memo.rejected == {facs[0].pk}
    assert Facility.objects.count() == 4


def test_reupload_reuses_decisions_and_asks_nothing_new(facs, reviewer):
    first = _pending(facs, name="Goldn Lotus Garmnt")
    second = _pending(facs, name="Silvr Crane", row=3, source=first.source, cands=(0, 2))
    confirm(first, facs[0], reviewer)
    reject(second, facs[0], reviewer)
    reject(second, facs[2], reviewer)
    assert review_queue().count() == 0
    # The same rows, written the same way (case and legal form differ), in a later upload.
    later = factories.source(importer="facility-list")
    again = [_pending(facs, name="GOLDN LOTUS GARMNT CO., LTD", row=2, source=later),
             _pending(facs, name="silvr crane", row=3, source=later, cands=(0, 2))]
    counts = apply_remembered(again)
    assert counts == {"confirmed": 1, "moved": 1}
    assert review_queue(source=later).count() == 0
    again[0].refresh_from_db()
    assert (again[0].facility, again[0].decision, again[0].decided_by) == (
        facs[0], D.CONFIRMED, reviewer)


def test_remembered_follows_merges(facs):
    rec = _pending(facs)
    confirm(rec, facs[1])
    facs[1].merged_into = facs[0]
    facs[1].save()
    (memo,) = remembered([fingerprint(rec.name, rec.address, "KH")]).values()
    assert memo.confirmed == {facs[0].pk}


def test_remembered_batches_many_fingerprints(facs):
    fps = [f"{i:064x}" for i in range(2500)]
    MatchDecision.objects.create(fingerprint=fps[-1], facility=facs[0], verdict="confirmed")
    assert set(remembered(fps)) == {fps[-1]}


def test_terminal_review_confirm_reject_skip(facs, reviewer):
    from click.testing import CliRunner

    from shopfloor.cli import cli

    first = _pending(facs)
    second = _pending(facs, name="Silvr Crane", row=3, source=first.source, cands=(2,))
    staff = get_user_model().objects.create_user("boss", is_staff=True)
    result = CliRunner().invoke(cli, ["review", "--source", str(first.source_id),
                                      "--user", "boss"], input="r\nc\ns\nq\n")
    assert result.exit_code == 0, result.output
    assert "Goldn Lotus Garmnt" in result.output and "Golden Lotus Knitting" in result.output
    first.refresh_from_db()
    second.refresh_from_db()
    # r moved the first to its next candidate, c confirmed that one, s skipped the second.
    assert (first.facility, first.decision, first.decided_by) == (facs[1], D.CONFIRMED, staff)
    assert second.decision == D.PENDING
    result = CliRunner().invoke(cli, ["review", "--user", "reviewer"], input="c\n")
    assert result.exit_code == 1 and "may not review" in result.output


def test_merge_duplicates_command(facs):
    from click.testing import CliRunner

    from shopfloor.cli import cli

    factories.facility(name="GOLDEN LOTUS GARMENT CO., LTD", address="Phnom Penh")
    result = CliRunner().invoke(cli, ["merge-duplicates", "--dry-run"])
    assert "1 duplicate facility would be merged" in result.output
    assert "same name 'golden lotus garment'" in result.output
    result = CliRunner().invoke(cli, ["merge-duplicates"])
    assert "1 duplicate facility merged" in result.output
    assert Facility.objects.filter(merged_into=facs[0]).count() == 1


def test_evidence_is_labelled_for_reviewers_in_their_language(facs):
    from django.utils import translation

    from shopfloor.linkage.decisions import evidence_rows

    rec = _pending(facs)
    rec.match_evidence = {"contributions": [["address_squash_ratio", 1.2],
                                            ["numbers_conflict", -1.8]],
                          "method": "model"}
    with translation.override("en"):
        labels = [label for label, _ in evidence_rows(rec)]
        assert labels[:2] == ["address similarity without spaces",
                              "different unit or plot numbers"]
        assert "how it was matched" in labels
    with translation.override("km"):
        assert evidence_rows(rec)[1][0] == "លេខអង្គភាព ឬលេខដីឡូតិ៍ខុសគ្នា"
