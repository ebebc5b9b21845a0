"""The heat index against the Weather Service's published table."""

import pytest

from shopfloor.evidence import heat


@pytest.mark.parametrize("temp_f, rh, table_f", [
    # US National Weather Service heat index chart (rounded values in °F)
    (80, 40, 80), (90, 50, 95), (90, 70, 106), (96, 55, 112), (100, 40, 109),
    (86, 90, 105), (104, 45, 124), (84, 60, 88),
])
def test_matches_the_weather_service_chart(temp_f, rh, table_f):
    index_f = heat.heat_index((temp_f - 32) * 5 / 9, rh) * 9 / 5 + 32
    assert abs(index_f - table_f) <= 1.5


def test_cool_air_uses_the_simple_formula_and_is_below_caution():
    assert heat.heat_index(24, 50) < 26.7
    assert heat.level(heat.heat_index(24, 50)) == ""


@pytest.mark.parametrize("index, name", [(26.6, ""), (26.7, "caution"),
                                         (32.2, "extreme_caution"), (39.4, "danger"),
                                         (51.7, "extreme_danger")])
def test_levels(index, name):
    assert heat.level(index) == name


def test_alert_threshold_is_a_setting(settings):
    settings.HEAT_INDEX_ALERT_C = 32.2
    assert heat.is_alert(32.2) and not heat.is_alert(32.1)
    settings.HEAT_INDEX_ALERT_C = 40
    assert not heat.is_alert(39.9)
