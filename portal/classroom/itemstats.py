"""Item statistics of quizzes and scenario rubrics, as Moodle defines them.

For each item (a question, or a scoring item of a scenario) over a set of attempts:

- facility index: the mean mark as a percentage of the item's maximum;
- standard deviation of the mark, as a percentage of the maximum (sample, n - 1);
- discrimination index: 100 × the correlation of the item's mark with the rest of the
  attempt's mark (the total without this item);
- discriminative efficiency: 100 × the covariance of those two over the largest covariance
  their two distributions allow, which is the covariance of both lists sorted;

and for the whole quiz the mean, median and standard deviation of the total in percent, and
Cronbach's alpha, k/(k-1) × (1 - Σ var(item) / var(total)). Variances and covariances are
sample ones (n - 1) throughout, so the ratios are the same as with population ones.

Every figure is computed from tallies rather than from one list per item: how many attempts
had each (mark, total) pair on an item, and how many had each total. Marks take few distinct
values, so ten thousand attempts make a few hundred tallies, which the database can count.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

# Below this discrimination index an item is flagged as telling strong and weak
# learners apart too little to be trusted.
LOW_DISCRIMINATION = 20.0

# Values closer than this share of their size are taken as equal when spread out.
ROUNDING_NOISE = 1e-9

# An item: its key, its title and its maximum mark.
Item = tuple[str, str, float]
# Attempts counted by (mark on the item, the attempt's total).
Pairs = Counter[tuple[float, float]]


@dataclass
class ItemStats:
    key: str
    title: str
    max_mark: float
    count: int
    facility: float | None
    sd: float | None
    discrimination: float | None
    efficiency: float | None
    kind: str = ""
    distribution: list[tuple[str, int, float, bool]] = field(default_factory=list)

    @property
    def flag(self) -> str:
        if self.discrimination is None:
            return ""
        if self.discrimination < 0:
            return "Negative discrimination: review this item"
        if self.discrimination < LOW_DISCRIMINATION:
            return "Very low discrimination: review this item"
        return ""


@dataclass
class Summary:
    count: int
    mean: float | None
    median: float | None
    sd: float | None
    alpha: float | None


def _round(value: float | None, digits: int = 2) -> float | None:
    """Round half away from zero, the only rounding of a figure (pages show it as is).

    Python's round() rounds half to even on the float's binary value, so 66.665 became
    66.66; the figure's shortest decimal form is rounded instead.
    """
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


class Tally:
    """A weighted list of numbers: how many times each value occurs."""

    def __init__(self, counts: Mapping[float, int]) -> None:
        self.counts = {value: n for value, n in counts.items() if n > 0}
        self.n = sum(self.counts.values())
        self.mean = (
            math.fsum(value * n for value, n in self.counts.items()) / self.n
            if self.n
            else 0.0
        )

    def variance(self) -> float | None:
        """Sample variance; exactly 0 when the values differ by rounding errors only.

        Sums of the same marks in another order can differ in their last bit, and such
        a spread would make up correlations and an alpha out of nothing.
        """
        if self.n < 2:
            return None
        mean = self.mean
        squares = math.fsum(n * (v - mean) ** 2 for v, n in self.counts.items())
        variance = squares / (self.n - 1)
        noise = ROUNDING_NOISE * max(abs(value) for value in self.counts)
        return variance if variance > noise * noise else 0.0

    def runs(self) -> list[tuple[float, int]]:
        """The values in increasing order, each with how often it occurs."""
        return sorted(self.counts.items())

    def median(self) -> float:
        """The middle value, or the mean of the two middle ones, like statistics.median."""
        low_index, high_index = (self.n - 1) // 2, self.n // 2
        low = high = 0.0
        seen = 0
        for value, n in self.runs():
            if seen <= low_index < seen + n:
                low = value
            if high_index < seen + n:
                high = value
                break
            seen += n
        return high if self.n % 2 else (low + high) / 2


def _sorted_covariance(xs: Tally, ys: Tally) -> float:
    """The sum of deviation products of both tallies paired in increasing order."""
    total = 0.0
    x_runs, y_runs = xs.runs(), ys.runs()
    i = j = 0
    x_left, y_left = x_runs[0][1], y_runs[0][1]
    while True:
        taken = min(x_left, y_left)
        total += taken * (x_runs[i][0] - xs.mean) * (y_runs[j][0] - ys.mean)
        x_left -= taken
        y_left -= taken
        if not x_left:
            i += 1
            if i == len(x_runs):
                return total
            x_left = x_runs[i][1]
        if not y_left:
            j += 1
            y_left = y_runs[j][1]


def _item_figures(item: Item, pairs: Pairs) -> tuple[ItemStats, float | None]:
    """One item's figures from its (mark, total) pairs, and the mark's variance."""
    key, title, maximum = item
    marks: Counter[float] = Counter()
    rests: Counter[float] = Counter()
    for (mark, total), n in pairs.items():
        marks[mark] += n
        rests[total - mark] += n
    xs, rests_ = Tally(marks), Tally(rests)

    vx, vr = xs.variance(), rests_.variance()
    cov = top = None
    if vx == 0 or vr == 0:
        # Nothing varies along with a constant: no correlation, no efficiency.
        cov = top = 0.0
    elif vx is not None and vr is not None:
        products = math.fsum(
            n * (mark - xs.mean) * (total - mark - rests_.mean)
            for (mark, total), n in pairs.items()
        )
        cov = products / (xs.n - 1)
        top = _sorted_covariance(xs, rests_) / (xs.n - 1)
    correlation = cov / math.sqrt(vx * vr) if cov is not None and vx and vr else None

    stats = ItemStats(
        key=key,
        title=title,
        max_mark=maximum,
        count=xs.n,
        facility=_round(100 * xs.mean / maximum) if xs.n and maximum else None,
        sd=_round(100 * math.sqrt(vx) / maximum)
        if vx is not None and maximum
        else None,
        discrimination=_round(None if correlation is None else 100 * correlation),
        efficiency=_round(100 * cov / top if cov is not None and top else None),
    )
    return stats, vx


def tallied_statistics(
    items: Sequence[Item],
    pairs: Mapping[str, Pairs],
    totals: Mapping[float, int],
) -> tuple[list[ItemStats], Summary]:
    """Statistics of items from tallies of attempts.

    `totals` counts the attempts by their total mark and `pairs[key]` counts them by
    (mark on the item, total). An attempt missing from an item's pairs has no mark for
    it, which counts as 0.
    """
    all_totals: Counter[float] = Counter(totals)
    result, variances = [], []
    for item in items:
        item_pairs: Pairs = Counter(pairs.get(item[0], {}))
        present: Counter[float] = Counter()
        for (_, total), n in item_pairs.items():
            present[total] += n
        for total, missing in (all_totals - present).items():
            item_pairs[0.0, total] += missing
        stats, variance = _item_figures(item, item_pairs)
        result.append(stats)
        variances.append(variance)
    return result, summarise(items, Tally(all_totals), variances)


def summarise(
    items: Sequence[Item], totals: Tally, item_variances: Sequence[float | None]
) -> Summary:
    """The quiz's figures: its total in percent, and Cronbach's alpha."""
    out_of = sum(maximum for _, _, maximum in items)
    if not out_of or not totals.n:
        return Summary(0, None, None, None, None)
    # Two totals a rounding error apart may make the same percentage: add, not replace.
    in_percent: Counter[float] = Counter()
    for total, n in totals.counts.items():
        in_percent[100 * total / out_of] += n
    percents = Tally(in_percent)

    total_variance = totals.variance()
    alpha = None
    if len(items) > 1 and total_variance:
        k = len(items)
        spread = sum(variance or 0.0 for variance in item_variances)
        alpha = k / (k - 1) * (1 - spread / total_variance)
    sd = percents.variance()
    return Summary(
        count=percents.n,
        mean=_round(percents.mean),
        median=_round(percents.median()),
        sd=_round(math.sqrt(sd) if sd is not None else None),
        alpha=_round(alpha, 3),
    )


def item_statistics(
    items: Sequence[Item], marks: Iterable[Mapping[str, float]]
) -> tuple[list[ItemStats], Summary]:
    """Statistics of items (key, title, maximum) over attempts' marks by item key.

    An item an attempt did not answer counts as 0 in that attempt.
    """
    keys = [key for key, _, _ in items]
    pairs: dict[str, Pairs] = {key: Counter() for key in keys}
    totals: Counter[float] = Counter()
    for attempt in marks:
        row = [attempt.get(key, 0.0) for key in keys]
        total = sum(row)
        totals[total] += 1
        for key, mark in zip(keys, row, strict=True):
            pairs[key][mark, total] += 1
    return tallied_statistics(items, pairs, totals)
