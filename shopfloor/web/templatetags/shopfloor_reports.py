"""Template tags of the reports (the factory brief): numbered references to the sources
appendix. ``{% ref dp %}`` → ``[3]``; ``{% ref finding issues cases %}`` → ``[2, 7, 9]``
(lists are flattened, ``None`` skipped, repeats shown once), each number a link to its
entry (``#src-3``). The context's ``brief`` (a
:class:`~shopfloor.reports.brief.FactoryBrief`) holds the numbers."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


def _flatten(things):
    for thing in things:
        if thing is None or thing == "":
            continue
        if isinstance(thing, list | tuple):
            yield from _flatten(thing)
        else:
            yield thing


@register.simple_tag(takes_context=True)
def ref(context, *things):
    """Superscript reference numbers for ``things`` (sources, facts with a source, union
    records, promises)."""
    citations = context["brief"].citations
    numbers = sorted({citations.cite(thing) for thing in _flatten(things)})
    if not numbers:
        return ""
    links = format_html_join(", ", '<a href="#src-{0}">{0}</a>', ((n,) for n in numbers))
    return format_html('<sup class="ref">[{}]</sup>', links)
