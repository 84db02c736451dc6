"""Item statistics from tallies agree with the figures' definitions, list by list."""

from __future__ import annotations

import math
import random
import statistics

from portal.classroom.itemstats import _round, item_statistics, tallied_statistics

ITEMS = [("q1", "", 1.0), ("q2", "", 2.0), ("q3", "", 0.5), ("q4", "", 3.0)]


def _cov(xs: list[float], ys: list[float]) -> float | None:
    if len(xs) < 2:
        return None
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / (len(xs) - 1)


def _by_definition(
    items: list[tuple[str, str, float]], marks: list[dict[str, float]]
) -> list[tuple[float | None, ...]]:
    """Each item's figures straight from the definitions, one list per item."""
    totals = [sum(attempt.get(key, 0.0) for key, _, _ in items) for attempt in marks]
    figures = []
    for key, _, maximum in items:
        xs = [attempt.get(key, 0.0) for attempt in marks]
        rest = [total - x for total, x in zip(totals, xs, strict=True)]
        vx, vr, cov = _cov(xs, xs), _cov(rest, rest), _cov(xs, rest)
        top = _cov(sorted(xs), sorted(rest))
        assert vx is not None and vr is not None and cov is not None and top
        figures.append(
            (
                _round(100 * statistics.mean(xs) / maximum),
                _round(100 * math.sqrt(vx) / maximum),
                _round(100 * cov / math.sqrt(vx * vr)),
                _round(100 * cov / top),
            )
        )
    return figures


def test_tallied_figures_equal_the_definitions_on_many_attempts() -> None:
    rng = random.Random(7)
    steps = {
        "q1": [0, 1],
        "q2": [0, 0.5, 1, 1.5, 2],
        "q3": [0, 0.5],
        "q4": [0, 1, 2, 3],
    }
    marks = [
        {
            key: rng.choice(steps[key]) * (1 if key != "q4" else rng.choice([1, 1 / 3]))
            for key in steps
            # Some attempts have no mark for q3: it counts as 0.
            if key != "q3" or rng.random() < 0.8
        }
        for _ in range(400)
    ]

    items, summary = item_statistics(ITEMS, marks)

    assert [
        (item.facility, item.sd, item.discrimination, item.efficiency) for item in items
    ] == _by_definition(ITEMS, marks)
    percents = [100 * sum(m.values()) / 6.5 for m in marks]
    assert summary.count == 400
    assert summary.mean == _round(statistics.mean(percents))
    assert summary.median == _round(statistics.median(percents))
    assert summary.sd == _round(statistics.stdev(percents))


def test_tallies_without_a_pair_for_an_attempt_count_its_mark_as_zero() -> None:
    marks = [{"q1": 1.0, "q2": 1.0}, {"q2": 1.0}, {"q1": 1.0}, {}]
    pairs = {"q1": {(1.0, 2.0): 1, (1.0, 1.0): 1}, "q2": {(1.0, 2.0): 1, (1.0, 1.0): 1}}
    totals = {2.0: 1, 1.0: 2, 0.0: 1}
    items = [("q1", "", 1.0), ("q2", "", 1.0)]

    from_tallies = tallied_statistics(items, pairs, totals)

    assert from_tallies == item_statistics(items, marks)
    assert from_tallies[0][0].facility == 50.0


def test_an_item_everyone_scored_the_same_on_has_no_discrimination() -> None:
    # A third of a point three times: the mean is not exactly 0.1 in binary, which
    # must not make up a spread out of rounding errors.
    marks = [{"q1": 0.1, "q2": mark} for mark in (0.0, 0.5, 1.0)]

    items, _ = item_statistics([("q1", "", 1.0), ("q2", "", 1.0)], marks)

    assert (items[0].facility, items[0].sd) == (10.0, 0.0)
    assert items[0].discrimination is None
    assert items[0].efficiency is None


def test_totals_a_rounding_error_apart_are_all_counted() -> None:
    # The same three marks in another order add up to a total one bit apart, which
    # gives the same percentage.
    third = 2 / 3
    marks = [
        {"q1": 0.1, "q2": third, "q3": 0.2},
        {"q1": third, "q2": 0.2, "q3": 0.1},
        {"q1": 0.2, "q2": 0.1, "q3": third},
    ]

    _, summary = item_statistics([(k, "", 1.0) for k in ("q1", "q2", "q3")], marks)

    assert summary.count == 3
    assert summary.mean == summary.median == 32.22


def test_no_attempts_give_no_figures() -> None:
    items, summary = item_statistics([("q1", "", 1.0)], [])

    assert (items[0].count, items[0].facility, items[0].discrimination) == (
        0,
        None,
        None,
    )
    assert summary.count == 0
