"""The cumulative net cash-flow chart: the geometry here, the drawing in ``chart.svg.j2`` (a template like the pages).

Bars for each column's net cash flow, a line for the cumulative total drawn straight between year ends — the same
in-year interpolation the payback uses, so the payback mark sits exactly where the line crosses zero — and axis ticks
at round amounts in the deal's currency and locale.  Text is real ``<text>``: selectable, translatable, read out by
screen readers with the figures in words.  Same input, same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from itertools import pairwise
from typing import NamedTuple

from babel.numbers import format_compact_currency

from ..engine.compute import Case
from ..fmt import Formatter, script

WIDTH, HEIGHT = 700, 300
LEFT, RIGHT, TOP, BOTTOM = 78, 16, 44, 30  # room for the tick labels, the legend row above and the column labels below
FONT_SIZE = 11
SCREEN_FONTS = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif"  # what browsers have; the PDFs name their own font
CHARACTER = Decimal("0.62")  # a bold character's width in ems, at most, for the fonts of the stack: labels are placed by it
NICE = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))


Bar = tuple[Decimal, Decimal, Decimal, Decimal, bool]  # x, y, width, height, a gain
Point = tuple[Decimal, Decimal]


class Payback(NamedTuple):
    """The payback mark's x, and its label: the text, and where it starts or ends (``anchor``); its baseline is the
    chart's ``payback_y`` (a team's chart template written for these four still draws)."""

    at: Decimal
    label: str
    x: Decimal
    anchor: str


@dataclass(frozen=True)
class Chart:
    """Everything the template draws, in SVG user units (rounded to 0.1 so the bytes are stable)."""

    width: int
    height: int
    plot: tuple[Decimal, Decimal, Decimal, Decimal]  # left, top, right, bottom
    zero: Decimal
    ticks: list[tuple[Decimal, str]]
    bars: list[Bar]
    line: list[Point]
    labels: list[tuple[Decimal, str]]
    payback: Payback | None
    payback_y: Decimal | None  # the label's baseline
    description: str


def chart(case: Case, f: Formatter, locale: str) -> Chart:
    """The chart of ``case``: where every bar, point, tick and label goes."""
    net, cumulative = case.net, case.cumulative
    values = axis(min(Decimal(0), *net, *cumulative), max(Decimal(0), *net, *cumulative))
    bottom_value, top_value = values[0], values[-1]
    left, top, right, bottom = Decimal(LEFT), Decimal(TOP), Decimal(WIDTH - RIGHT), Decimal(HEIGHT - BOTTOM)
    band = (right - left) / len(net)

    def y(value: Decimal) -> Decimal:
        return snap(bottom - (value - bottom_value) / (top_value - bottom_value) * (bottom - top))

    def x(column: Decimal) -> Decimal:  # column 0 is time 0, column k the end of year k
        return snap(left + band * (column + Decimal("0.5")))

    zero = y(Decimal(0))
    bars = [(snap(x(Decimal(i)) - band / 4), min(y(v), zero), snap(band / 2), abs(y(v) - zero), v >= 0) for i, v in enumerate(net)]
    line = [(x(Decimal(i)), y(v)) for i, v in enumerate(cumulative)]
    at = x(case.payback_months / 12) if case.payback_months and case.payback_months > 0 else None
    payback = _payback(case, f, at, (left, top, right, bottom), zero, bars, line) if at is not None else None
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        plot=(left, top, right, bottom),
        zero=zero,
        ticks=[(y(v), label) for v, label in zip(values, tick_labels(values, f.currency, locale), strict=True)],
        bars=bars,
        line=line,
        labels=[(x(Decimal(i)), label) for i, label in enumerate(f.columns(len(net) - 1))],
        payback=payback[0] if payback else None,
        payback_y=payback[1] if payback else None,
        description=_description(case, f),
    )


Box = tuple[float, float, float, float]  # left, right, top, bottom


def _payback(
    case: Case, f: Formatter, at: Decimal, plot: tuple[Decimal, ...], zero: Decimal, bars: list[Bar], line: list[Point]
) -> tuple[Payback, Decimal]:
    """The payback mark and its label, with the label's baseline: the first of below zero on the mark's right (the line
    has risen there), above zero on its left (the line is still below), then above on the right and below on the left,
    that stays inside the plot and clear of the cumulative line and of every bar — else of the line alone."""
    left, top, right, bottom = plot
    label = f.t.gettext("Payback: %(months)s") % {"months": f.months(case.payback_months)}
    width = len(label) * FONT_SIZE * CHARACTER
    below, above = zero + 10 + FONT_SIZE, zero - 10
    places = [(at + 10, "start", below), (at - 10, "end", above), (at + 10, "start", above), (at - 10, "end", below)]
    for avoided in (bars, []):  # clear of the bars too if it can be; a label on a pale bar still reads, one on the line not
        for start, anchor, baseline in places:
            box = (start - width, start) if anchor == "end" else (start, start + width)
            if left <= box[0] and box[1] <= right and top <= baseline - FONT_SIZE and baseline <= bottom:
                edges = (float(box[0]), float(box[1]), float(baseline - FONT_SIZE), float(baseline))
                if not any(_hits(edges, bar) for bar in avoided) and not any(_crosses(edges, a, b) for a, b in pairwise(line)):
                    return Payback(at, label, snap(start), anchor), baseline
    return Payback(at, label, snap(min(at + 10, right - width)), "start"), below


def _hits(box: Box, bar: Bar) -> bool:
    x, y, w, h, _ = (float(v) for v in bar)
    return not (x + w < box[0] or box[1] < x or y + h < box[2] or box[3] < y)


def _crosses(box: Box, a: Point, b: Point) -> bool:
    """Does the segment from ``a`` to ``b`` pass through ``box``? (Liang–Barsky clipping.)"""
    (ax, ay), (bx, by) = (float(v) for v in a), (float(v) for v in b)
    low, high = 0.0, 1.0
    for p, q in ((ax - bx, ax - box[0]), (bx - ax, box[1] - ax), (ay - by, ay - box[2]), (by - ay, box[3] - ay)):
        if p == 0:
            if q < 0:
                return False
        elif p < 0:
            low = max(low, q / p)
        else:
            high = min(high, q / p)
    return low <= high


def _description(case: Case, f: Formatter) -> str:
    """The chart in words, for screen readers and search."""
    t = f.t
    flows = "; ".join(f"{name} {f.money(value)}" for name, value in zip(f.columns(case.years), case.net, strict=True))
    payback = (
        t.gettext("payback after %(months)s") % {"months": f.months(case.payback_months)}
        if case.payback_months is not None
        else t.gettext("no payback within the horizon")
    )
    return t.ngettext(
        "Net cash flow by column: %(flows)s. Cumulative after %(num)s year: %(total)s; %(payback)s.",
        "Net cash flow by column: %(flows)s. Cumulative after %(num)s years: %(total)s; %(payback)s.",
        case.years,
    ) % {"flows": flows, "num": case.years, "total": f.money(case.cumulative[-1]), "payback": payback}


def axis(low: Decimal, high: Decimal) -> list[Decimal]:
    """The axis's ticks from below ``low`` to above ``high`` in round steps (1, 2, 2.5 or 5 times a power of ten): the
    smallest step that needs at most six, so a small loss before a large gain does not set the axis a big step below zero."""
    span = high - low if high > low else Decimal(1)
    rough = span / 6
    power = Decimal(1).scaleb(rough.adjusted())
    for step in (power * nice for nice in (*NICE, *(10 * n for n in NICE)) if power * nice >= rough):
        bottom, top = (low / step).to_integral_value(ROUND_FLOOR) * step, (high / step).to_integral_value(ROUND_CEILING) * step
        top += step if top == bottom else 0
        if (top - bottom) / step <= 6:  # at ten times the rough step it always is
            break
    return [bottom + step * i for i in range(int((top - bottom) / step) + 1)]


def tick_labels(values: list[Decimal], currency: str, locale: str) -> list[str]:
    """The ticks of :func:`axis` as compact amounts (``$1.2M``) in the deal's locale; fuller ones where compact would show
    two ticks alike."""
    shown_in = locale if script(locale) in ("Latn", "Grek", "Cyrl") else "en"  # the chart's fonts show these scripts
    full = Formatter(currency, shown_in).amount
    compact = [format_compact_currency(v, currency, locale=shown_in, fraction_digits=1) for v in values]
    # A locale with no short word for thousands (German) writes 500000 € ungrouped: those are shown in full, grouped
    compact = [
        label if any(c.isalpha() for c in label.replace(currency, "")) or abs(v) < 10000 else full(v)
        for v, label in zip(values, compact, strict=True)
    ]
    if len(set(compact)) == len(compact):
        return compact
    exponent = (values[1] - values[0]).normalize().as_tuple().exponent  # the step's
    digits = max(0, -exponent) if isinstance(exponent, int) else 0
    return [full(v.quantize(Decimal(1).scaleb(-digits))) for v in values]


def snap(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"))
