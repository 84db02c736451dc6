"""Server-rendered line charts of a run's metrics: their geometry, and the inline SVG."""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from portal.sandbox.engine.clock import Clock
from portal.sandbox.engine.metrics import Sample
from portal.sandbox.engine.scenario import Scenario

WIDTH, HEIGHT = 640, 180
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 12, 26
TICK_MINUTES = (1, 2, 5, 10, 15, 30, 60)


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Marker:
    x: float
    at: str
    text: str
    number: int


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    unit: str
    line: str
    threshold_y: float | None
    threshold_label: str
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    markers: tuple[Marker, ...]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    top: int = TOP
    baseline: int = HEIGHT - BOTTOM


@dataclass(frozen=True)
class Series:
    id: str
    title: str
    unit: str
    value: Callable[[Sample], float]
    text: Callable[[float], str]
    threshold: float | None


def series_for(scenario: Scenario) -> tuple[Series, ...]:
    impact = scenario.metrics
    return (
        Series("p99", "p99 checkout latency", "ms", lambda s: s.p99_ms,
               lambda v: f"{v:,.0f} ms", impact.impact_p99_ms),
        Series("errors", "Checkout error rate", "%", lambda s: s.error_rate * 100,
               lambda v: f"{v:.1f}%", impact.impact_error_rate * 100),
        Series("failed", "Failed checkouts per minute", "per minute",
               lambda s: s.failed_checkouts, lambda v: f"{v:,.0f}", None),
    )  # fmt: skip


def _nice_ceiling(value: float) -> float:
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def charts(
    scenario: Scenario,
    points: Sequence[Sample],
    markers: Sequence[tuple[int, str]],
    end: int,
) -> list[Chart]:
    """One chart per series over the points' time range, with the actions marked."""
    clock = scenario.clock
    start = points[0].t if points else end - 60
    stop = max(end, start + 60)
    span = stop - start
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM

    def x(t: float) -> float:
        return round(LEFT + (t - start) / span * plot_width, 1)

    placed = tuple(
        Marker(x(t), clock.hhmmss(t), text, number)
        for number, (t, text) in enumerate(markers, start=1)
        if start <= t <= stop
    )
    x_ticks = _x_ticks(clock, start, stop, x)
    # Each point is a rate over the minute that ends at t + 60.
    xs = [x(p.t + 60) for p in points]
    result = []
    for s in series_for(scenario):
        values = [s.value(p) for p in points]
        top = _nice_ceiling(max([*values, (s.threshold or 0) * 1.25, 0.0]))

        def y(v: float, top: float = top) -> float:
            return round(TOP + plot_height * (1 - v / top), 1)

        line = " ".join(f"{px},{y(v)}" for px, v in zip(xs, values, strict=True))
        low, high = _range(values, s.text)
        result.append(
            Chart(
                id=s.id,
                title=f"{s.title}, {clock.hhmm(start)} to {clock.hhmm(stop)}",
                description=(
                    f"{s.title} per minute from {clock.hhmm(start)} to "
                    f"{clock.hhmm(stop)}: lowest {low}, highest {high}."
                    + (
                        f" Customers are affected above {s.text(s.threshold)}."
                        if s.threshold is not None
                        else ""
                    )
                    + (f" {len(placed)} of your actions are marked." if placed else "")
                ),
                unit=s.unit,
                line=line,
                threshold_y=y(s.threshold) if s.threshold is not None else None,
                threshold_label=(
                    f"impact above {s.text(s.threshold)}"
                    if s.threshold is not None
                    else ""
                ),
                x_ticks=x_ticks,
                y_ticks=tuple(Tick(y(top * f), s.text(top * f)) for f in (0, 0.5, 1)),
                markers=placed,
            )
        )
    return result


def _range(values: list[float], text: Callable[[float], str]) -> tuple[str, str]:
    if not values:
        return "no data", "no data"
    return text(min(values)), text(max(values))


def _x_ticks(
    clock: Clock, start: int, stop: int, x: Callable[[float], float]
) -> tuple[Tick, ...]:
    minutes = (stop - start) / 60
    every = next((m for m in TICK_MINUTES if minutes / m <= 8), 120) * 60
    first = start - start % every + (every if start % every else 0)
    return tuple(Tick(x(t), clock.hhmm(t)) for t in range(first, stop + 1, every))


def table(scenario: Scenario, points: Sequence[Sample]) -> list[dict[str, str]]:
    """The charts' data as rows, the text alternative for people who cannot see them."""
    clock = scenario.clock
    return [
        {
            "at": clock.hhmm(p.t + 60),
            "p99": f"{p.p99_ms:,} ms",
            "errors": f"{p.error_rate * 100:.1f}%",
            "failed": f"{p.failed_checkouts:,}",
        }
        for p in points
    ]


def table_rows(rows: Sequence[dict[str, str]]) -> SafeString:
    """The table's rows as HTML, built here for the reason given at `svg`."""
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'<tr><th scope="row">{_e(r["at"])}</th><td>{_e(r["p99"])}</td>'
            f"<td>{_e(r['errors'])}</td><td>{_e(r['failed'])}</td></tr>"
            for r in rows
        )
    )


def svg(chart: Chart, suffix: str = "") -> SafeString:
    """The chart's <svg> element, its ids ending in `suffix`.

    Built here rather than in a template: the play page sends three charts with every
    command, and through the template engine (or format_html) their few hundred values
    took a large share of the response's time. Every value is escaped, as a template
    would escape it.
    """
    dom_id = _e(f"chart-{chart.id}{suffix}")
    left, right = _e(chart.left), _e(chart.right_edge)
    top, bottom = _e(chart.top), _e(chart.baseline)
    y_ticks = "".join(
        f'<line class="chart-grid" x1="{left}" y1="{_e(t.position)}" x2="{right}" '
        f'y2="{_e(t.position)}"></line><text class="chart-label" x="{_e(chart.left - 6)}" '
        f'y="{_e(t.position)}" text-anchor="end" dominant-baseline="middle">'
        f"{_e(t.label)}</text>"
        for t in chart.y_ticks
    )
    x_ticks = "".join(
        f'<text class="chart-label" x="{_e(t.position)}" y="{_e(chart.height - 6)}" '
        f'text-anchor="middle">{_e(t.label)}</text>'
        for t in chart.x_ticks
    )
    threshold = (
        f'<line class="chart-threshold" x1="{left}" y1="{_e(chart.threshold_y)}" '
        f'x2="{right}" y2="{_e(chart.threshold_y)}">'
        f"<title>{_e(chart.threshold_label)}</title></line>"
        if chart.threshold_y is not None
        else ""
    )
    markers = "".join(
        f'<g class="chart-marker"><title>{_e(m.number)}. {_e(m.at)} {_e(m.text)}</title>'
        f'<line x1="{_e(m.x)}" y1="{top}" x2="{_e(m.x)}" y2="{bottom}"></line>'
        f'<text x="{_e(m.x)}" y="{_e(chart.top + 8)}" text-anchor="middle">'
        f"{_e(m.number)}</text></g>"
        for m in chart.markers
    )
    return mark_safe(  # noqa: S308 - every value is escaped
        f'<svg viewBox="0 0 {_e(chart.width)} {_e(chart.height)}" role="img" '
        f'aria-labelledby="{dom_id}-title {dom_id}-desc" class="chart-svg" '
        f'focusable="false"><title id="{dom_id}-title">{_e(chart.title)}</title>'
        f'<desc id="{dom_id}-desc">{_e(chart.description)}</desc>'
        f'<g class="chart-axes"><line x1="{left}" y1="{bottom}" x2="{right}" '
        f'y2="{bottom}"></line><line x1="{left}" y1="{top}" x2="{left}" '
        f'y2="{bottom}"></line>{y_ticks}{x_ticks}</g>{threshold}{markers}'
        f'<polyline class="chart-line chart-line-{_e(chart.id)}" '
        f'points="{_e(chart.line)}"></polyline></svg>'
    )


def _e(value: object) -> str:
    """The value as text escaped for HTML, like a template variable."""
    return html.escape(str(value))
