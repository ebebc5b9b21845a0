"""Values as people write them: parsed carefully, blank is missing, never 0."""

from decimal import Decimal

import pytest

from shopfloor.sources import values as v
from shopfloor.sources.errors import RowRejected


@pytest.mark.parametrize("raw, expected", [
    ("71.0%", Decimal("71.0")), ("1,234", Decimal("1234")), ("12,345,678", Decimal("12345678")),
    ("1 234", Decimal("1234")), ("12,5", Decimal("12.5")), ("1.234,5", Decimal("1234.5")),
    ("1,234.5", Decimal("1234.5")), ("130.0", Decimal("130.0")), ("$208", Decimal("208")),
    (208, Decimal("208")), (0.4, Decimal("0.4")), ("0", Decimal("0")), ("-3", Decimal("-3")),
])
def test_numbers(raw, expected):
    assert v.number(raw) == expected


@pytest.mark.parametrize("raw", ["", "  ", None, "n/a", "N/A", "-", "unknown"])
def test_blank_is_missing_not_zero(raw):
    assert v.number(raw) is None
    assert v.percent(raw) is None


@pytest.mark.parametrize("raw", ["about 100", "12abc", "1..2", "yes"])
def test_non_numbers_are_rejected_with_the_value(raw):
    with pytest.raises(RowRejected, match="is not a number"):
        v.number(raw, field="workers")


def test_percent_range_and_integer():
    assert v.percent("0.4%") == Decimal("0.4")
    with pytest.raises(RowRejected, match="between 0 and 100"):
        v.percent("140%")
    assert v.integer("130.0") == 130
    with pytest.raises(RowRejected, match="whole number"):
        v.integer("12.5")


@pytest.mark.parametrize("raw, code", [
    ("CAMBODIA", "KH"), ("Cambodia", "KH"), ("KH", "KH"), ("KHM", "KH"), ("kh", "KH"),
    ("Viet Nam", "VN"), ("Vietnam", "VN"), ("United States of America", "US"),
    ("Taiwan", "TW"), ("Turkey", "TR"), ("China", "CN"), ("UAE", "AE"), ("កម្ពុជា", "KH"),
])
def test_country_codes(raw, code):
    assert v.country_code(raw) == code


def test_unknown_country_is_rejected_with_its_name():
    with pytest.raises(RowRejected, match="Atlantis"):
        v.country_code("Atlantis")


def test_dates_years_booleans():
    assert str(v.date("2024-03-01")) == "2024-03-01"
    assert str(v.date("01/03/2024")) == "2024-03-01"
    assert v.year("2021") == 2021
    with pytest.raises(RowRejected):
        v.year("21021")
    assert v.boolean("Yes") is True and v.boolean("closed") is True
    assert v.boolean("") is None
