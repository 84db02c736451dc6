"""The charts' markup, built in Python: every value is escaped as a template would."""

from __future__ import annotations

from django.template.loader import render_to_string

from portal.sandbox import charts, services

from .helpers import checkout, play

HOSTILE = 'kubectl get pods -n \'<script>alert("x")</script>&'


def test_the_svg_escapes_the_learners_text_in_the_markers() -> None:
    state = play(["ack", "declare", "wait 2m"])
    live = services.live_view(checkout(), state)
    markers = [*live["markers"], (state.clock - 30, HOSTILE)]

    (chart, *_) = charts.charts(checkout(), live["points"], markers, state.clock)
    svg = charts.svg(chart, "-x")

    assert "<script>" not in svg
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;" in svg
    assert "&#x27;" in svg
    assert 'id="chart-p99-x-title"' in svg and 'id="chart-p99-x-desc"' in svg
    assert svg.count('<g class="chart-marker">') == len(markers)


def test_the_table_rows_escape_their_cells() -> None:
    rows = [{"at": "02:01", "p99": "<b>", "errors": '"', "failed": "&"}]

    html = charts.table_rows(rows)

    assert html == (
        '<tr><th scope="row">02:01</th><td>&lt;b&gt;</td><td>&quot;</td>'
        "<td>&amp;</td></tr>"
    )


def test_the_metrics_fragment_shows_three_charts_and_the_table() -> None:
    state = play(["ack", "wait 10m"])
    live = services.live_view(checkout(), state)
    context = {
        "charts": charts.charts(
            checkout(), live["points"], live["markers"], state.clock
        ),
        "chart_rows": charts.table(checkout(), live["points"]),
        "suffix": "",
        "caption": "",
    }

    html = render_to_string("sandbox/_metrics.html", context)

    assert html.count("<svg") == html.count("<figcaption>") == 3
    assert html.count('<tr><th scope="row">') == len(live["points"])
    assert 'aria-labelledby="chart-errors-title chart-errors-desc"' in html
