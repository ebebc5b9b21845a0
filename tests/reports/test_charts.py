"""Charts: Vega-Lite specs from the library's data, rendered offline to small SVGs."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import vl_convert
from django.utils import translation

from shopfloor.facilities import facility_profile
from shopfloor.models import Datapoint, Metric
from shopfloor.reports import charts
from tests.web.dataset import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(db):
    data = build()
    minimum = Metric.objects.create(code="minimum_wage_monthly", name="Minimum wage",
                                    topic="wages", value_type="money", unit="USD/month",
                                    subject="country")
    living = Metric.objects.create(code="living_wage_benchmark_monthly", name="Living wage",
                                   topic="wages", value_type="money", unit="USD/month",
                                   subject="country")
    for year, value in ((2022, 194), (2023, 200)):
        Datapoint.objects.create(metric=minimum, country="KH", year=year, value_number=value,
                                 source=data.oshub)
    Datapoint.objects.create(metric=living, country="KH", year=2023, value_number=412,
                             source=data.oshub)
    Datapoint.objects.create(metric=data.dp_wage.metric, facility=data.sun, year=2022,
                             value_number=Decimal("231.5"), source=data.survey)
    return data


@pytest.fixture
def renders(monkeypatch):
    """Counts calls into vl_convert (the real function still draws)."""
    calls = []
    real = vl_convert.vegalite_to_svg

    def counting(spec, *args, **kwargs):
        calls.append(spec)
        return real(spec, *args, **kwargs)

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", counting)
    return calls


def _svg_ok(svg: str) -> None:
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert len(svg.encode()) < 25_000
    assert 'role="img"' in svg and "<title>" in svg and "<desc>" in svg
    # nothing fetched when shown or printed: no links, images, fonts or styles from elsewhere
    assert not re.search(r"href=|@import|url\((?!#)|<image", svg)  # url(#clip) is internal
    assert set(re.findall(r"https?://[^\s\"']+", svg)) <= {
        "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}


def test_compliance_chart_counts_non_compliant_per_cycle(data):
    spec = charts.compliance_chart(facility_profile(data.sun))
    values = spec["data"]["values"]
    assert [(v["cycle"], v["nc"], v["text"]) for v in values] == [
        ("Cycle 1 (2022)", 1, "1 of 3"), ("Cycle 2 (2023)", 1, "1 of 3")]
    assert spec["usermeta"]["title"] and "Cycle 2 (2023): 1 of 3" in spec["description"]
    assert "title" not in spec  # drawn by the page as the figure's caption, not in the SVG
    svg = charts.render_svg(spec)
    _svg_ok(svg)
    assert "Cycle 2 (2023)" in svg and "1 of 3" in svg


def test_wages_chart_has_the_wage_minimum_and_living_wage_by_year(data):
    profile = facility_profile(data.sun)
    spec = charts.wages_chart(profile.wages)
    rows = {(v["series"], v["year"]): v["usd"] for v in spec["data"]["values"]}
    assert rows == {
        ("Wage at this factory", 2022): 231.5, ("Wage at this factory", 2023): 254.25,
        ("Legal minimum wage", 2022): 194.0, ("Legal minimum wage", 2023): 200.0,
        ("Living-wage benchmark", 2023): 412.0,
    }
    svg = charts.render_svg(spec)
    _svg_ok(svg)
    for label in ("Wage at this factory", "Legal minimum wage", "Living-wage benchmark"):
        assert label in svg


def test_buyers_chart_one_bar_per_period(data):
    spec = charts.buyers_chart(facility_profile(data.sun))
    assert [(v["brand"], v["start"], v["end"]) for v in spec["data"]["values"]] == [
        ("Brand B", 2024, 2025), ("Brand A", 2021, 2024)]  # end is exclusive: 2021–2023
    svg = charts.render_svg(spec)
    _svg_ok(svg)
    assert "Brand A" in svg and "Brand B" in svg


def test_nothing_to_draw_gives_no_chart(data):
    profile = facility_profile(data.angkor)
    assert charts.compliance_chart(profile) is None
    assert charts.wages_chart(profile.wages) is None
    assert charts.buyers_chart(profile) is None
    assert profile.charts == {}
    assert set(facility_profile(data.sun).charts) == {"compliance", "wages", "buyers"}
    golden = facility_profile(data.golden)  # one buyer, one cycle, no wages
    assert set(golden.charts) == {"compliance", "buyers"}


def test_labels_in_khmer_when_reading_khmer(data):
    with translation.override("km"):
        spec = charts.compliance_chart(facility_profile(data.sun))
        svg = charts.render_svg(spec)
    assert "វដ្តទី 1 (2022)" in svg  # "Cycle 1", from the Khmer catalogue
    assert "មិនអនុលោម" in svg  # "non-compliant" (the axis title)
    assert "Cycle 1" not in svg
    english = charts.compliance_chart(facility_profile(data.sun))
    assert charts.spec_hash(english) != charts.spec_hash(spec)


def test_a_cached_chart_is_not_drawn_again(data, renders):
    spec = charts.compliance_chart(facility_profile(data.sun))
    first = charts.render_svg(spec)
    again = charts.render_svg(charts.compliance_chart(facility_profile(data.sun)))
    assert again == first
    assert len(renders) == 1
    with translation.override("km"):
        charts.render_svg(charts.compliance_chart(facility_profile(data.sun)))
    assert len(renders) == 2  # another language is another chart


def test_chart_sizes_for_the_page(data):
    chart = facility_profile(data.sun).charts["buyers"]
    svg = charts.render_svg(chart.spec)
    width, height = map(int, re.search(r'width="(\d+)" height="(\d+)"', svg).groups())
    assert (width, height) == (chart.width, chart.height)  # the <img> reserves the right box
    assert width <= 360
    assert len(chart.version) == 16 and chart.version == charts.spec_hash(chart.spec)[:16]


def test_many_cycles_and_buyers_stay_small(data):
    profile = facility_profile(data.sun)
    table = profile.findings[0]
    many = [table.assessments[i % 2] for i in range(12)]
    table.assessments = many
    for row in table.rows:
        row.cells = [row.cells[i % 2] for i in range(12)]
    buyer = profile.buyers[0]
    profile.buyers = [buyer] * 25
    for spec in (charts.compliance_chart(profile), charts.buyers_chart(profile)):
        _svg_ok(charts.render_svg(spec))
