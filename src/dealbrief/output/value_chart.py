"""The value chart: cumulative value realized against cumulative value promised, period by period.

The geometry here, the drawing in ``value-chart.svg.j2``; the axis is laid out as the cash-flow chart's
(:mod:`dealbrief.output.chart`): round ticks in the deal's currency and locale, real text, same input, same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from itertools import accumulate

from ..engine.realization import Progress
from ..fmt import Formatter
from .chart import CHARACTER, FONT_SIZE, LEFT, RIGHT, axis, snap, tick_labels

WIDTH, HEIGHT = 700, 210
TOP, BOTTOM = 44, 30
GAP = 8  # between two period labels


@dataclass(frozen=True)
class ValueChart:
    """Everything ``value-chart.svg.j2`` draws, in SVG user units."""

    width: int
    height: int
    plot: tuple[Decimal, Decimal, Decimal, Decimal]  # left, top, right, bottom
    ticks: list[tuple[Decimal, str]]
    promised: list[tuple[Decimal, Decimal]]
    realized: list[tuple[Decimal, Decimal]]
    labels: list[tuple[Decimal, str]]
    description: str


def _every(labels: list[str], band: Decimal) -> int:
    """Label every n-th period: at most 12 labels on the axis (ten years of months would run together), each with room
    for the widest ("septiembre de 2027" needs three periods' width of a monthly axis)."""
    widest = max(len(label) for label in labels) * FONT_SIZE * CHARACTER + GAP
    return max(-(-len(labels) // 12), int((widest / band).to_integral_value(ROUND_CEILING)))


def value_chart(progress: Progress, f: Formatter, locale: str) -> ValueChart:
    """Where each period's cumulative promised and realized value goes."""
    promised = list(accumulate(p.promised for p in progress.periods))
    realized = list(accumulate(p.realized for p in progress.periods))
    values = axis(min(Decimal(0), *realized), max(Decimal(0), *promised, *realized))
    bottom_value, top_value = values[0], values[-1]
    left, top, right, bottom = Decimal(LEFT), Decimal(TOP), Decimal(WIDTH - RIGHT), Decimal(HEIGHT - BOTTOM)
    band = (right - left) / len(progress.periods)

    def y(value: Decimal) -> Decimal:
        return snap(bottom - (value - bottom_value) / (top_value - bottom_value) * (bottom - top))

    def x(index: int) -> Decimal:
        return snap(left + band * (index + Decimal("0.5")))

    periods = [f.period(p.label) for p in progress.periods]
    every = _every(periods, band)
    return ValueChart(
        width=WIDTH,
        height=HEIGHT,
        plot=(left, top, right, bottom),
        ticks=[(y(v), label) for v, label in zip(values, tick_labels(values, f.currency, locale), strict=True)],
        promised=[(x(i), y(v)) for i, v in enumerate(promised)],
        realized=[(x(i), y(v)) for i, v in enumerate(realized)],
        labels=[(x(i), label) for i, label in enumerate(periods) if i % every == 0],
        description="; ".join(
            f.t.gettext("%(period)s: %(realized)s realized of %(promised)s promised")
            % {"period": label, "realized": f.money(r), "promised": f.money(q)}
            for label, q, r in zip(periods, promised, realized, strict=True)
        ),
    )
