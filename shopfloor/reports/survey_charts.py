"""A survey question's result as a bar chart (Vega-Lite → SVG, like the factory charts).

One bar per answer with its share of the respondents and its 95 % interval; answers whose
count is suppressed are not drawn (the chart's description says so), so a chart never
shows what the table hides.

>>> spec = question_chart(result)  # doctest: +SKIP
"""

from __future__ import annotations

from django.utils.translation import gettext

from shopfloor.reports.charts import LINK, MUTED, WIDTH, _spec


def question_chart(result) -> dict | None:
    """The bar chart of a choice question's :class:`~shopfloor.surveys.aggregates.
    QuestionResult`, or ``None`` when nothing can be drawn."""
    bars = [{"answer": c.label, "share": c.share, "low": c.low, "high": c.high}
            for c in result.choices if c.share is not None]
    if not bars or result.respondents is None:
        return None
    hidden = sum(1 for c in result.choices if c.count is None)
    description = gettext("%(n)s respondents. ") % {"n": result.respondents} + "; ".join(
        f"{b['answer']}: {b['share']} %" for b in bars)
    if hidden:
        description += " " + gettext("Answers given by too few people to show are not drawn.")
    height = 26 * len(bars) + 36
    return _spec(result.label, description, height, data={"values": bars}, layer=[
        {"mark": {"type": "bar", "color": LINK, "height": 16},
         "encoding": {
             "y": {"field": "answer", "type": "nominal", "sort": None, "title": None,
                   "axis": {"labelLimit": WIDTH // 2}},
             "x": {"field": "share", "type": "quantitative", "title": "%",
                   "scale": {"domain": [0, 100]}}}},
        {"mark": {"type": "rule", "color": MUTED},
         "encoding": {"y": {"field": "answer", "type": "nominal", "sort": None},
                      "x": {"field": "low", "type": "quantitative"},
                      "x2": {"field": "high"}}},
    ])
