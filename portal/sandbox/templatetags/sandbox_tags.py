"""Template helpers for the sandbox pages."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from portal.sandbox import charts

register = template.Library()


@register.filter
def chart_svg(chart: charts.Chart, suffix: str = "") -> SafeString:
    """The chart's inline SVG, its ids ending in `suffix` (see charts.svg)."""
    return charts.svg(chart, suffix)


@register.filter
def chart_table_rows(rows: list[dict[str, str]]) -> SafeString:
    """The rows of the charts' data table (see charts.table_rows)."""
    return charts.table_rows(rows)
