"""Showing suppressed counts: ``{% load shopfloor_privacy %}{{ result|small_cell:"female" }}``
renders the count, or "<5"/"<10" or "–" with why it is hidden (see :mod:`shopfloor.privacy`)."""

from __future__ import annotations

from django import template

from shopfloor.privacy import cell_html

register = template.Library()


@register.filter
def small_cell(result, key):
    """One count of a :class:`shopfloor.privacy.Suppressed` line, as HTML."""
    return cell_html(result, key)


@register.filter
def table_row(table, row):
    """One row of a :class:`shopfloor.privacy.SuppressedTable` as a suppressed line."""
    return table.row(row)
