"""The cumulative net cash-flow chart: the geometry here, the drawing in ``chart.svg.j2`` (a template like the pages).

Bars for each column's net cash flow, a line for the cumulative total drawn straight between year ends — the same
in-year interpolation the payback uses, so the payback mark sits exactly where the line crosses zero — and axis ticks
at round amounts in the deal's currency and locale.  Text is real ``<text>``: selectable, translatable, read out by
screen readers with the figures in words.  Same input, same bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
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


class Payback(NamedTuple):
    """The payback mark's x, and its label: the text, where it starts or ends (``anchor``), and its baseline."""

    at: Decimal
    label: str
    x: Decimal
    anchor: str
    y: Decimal


@dataclass(frozen=True)
class Chart:
    """Everything the template draws, in SVG user units (rounded to 0.1 so the bytes are stable)."""

    width: int
    height: int
    plot: tuple[Decimal, Decimal, Decimal, Decimal]  # left, top, right, bottom
    zero: Decimal
    ticks: list[tuple[Decimal, str]]
    bars: list[tuple[Decimal, Decimal, Decimal, Decimal, bool]]  # x, y, width, height, a gain
    line: list[tuple[Decimal, Decimal]]
    labels: list[tuple[Decimal, str]]
    payback: Payback | None
    description: str


def chart(case: Case, f: Formatter, locale: str) -> Chart:
    """The chart of ``case``: where every bar, point, tick and label goes."""
    net, cumulative = case.net, case.cumulative
    bottom_value, top_value, step = axis(min(Decimal(0), *net, *cumulative), max(Decimal(0), *net, *cumulative))
    left, top, right, bottom = Decimal(LEFT), Decimal(TOP), Decimal(WIDTH - RIGHT), Decimal(HEIGHT - BOTTOM)
    band = (right - left) / len(net)

    def y(value: Decimal) -> Decimal:
        return snap(bottom - (value - bottom_value) / (top_value - bottom_value) * (bottom - top))

    def x(column: Decimal) -> Decimal:  # column 0 is time 0, column k the end of year k
        return snap(left + band * (column + Decimal("0.5")))

    values = [bottom_value + step * i for i in range(int((top_value - bottom_value) / step) + 1)]
    zero = y(Decimal(0))
    bars = [(snap(x(Decimal(i)) - band / 4), min(y(v), zero), snap(band / 2), abs(y(v) - zero), v >= 0) for i, v in enumerate(net)]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        plot=(left, top, right, bottom),
        zero=zero,
        ticks=[(y(v), label) for v, label in zip(values, tick_labels(values, step, f.currency, locale), strict=True)],
        bars=bars,
        line=[(x(Decimal(i)), y(v)) for i, v in enumerate(cumulative)],
        labels=[(x(Decimal(i)), label) for i, label in enumerate(f.columns(len(net) - 1))],
        payback=_payback(case, f, x, left, right, zero),
        description=_description(case, f),
    )


def _payback(case: Case, f: Formatter, x: Callable[[Decimal], Decimal], left: Decimal, right: Decimal, zero: Decimal) -> Payback | None:
    """The payback mark and its label, clear of the cumulative line, which crosses zero upwards there, and of the bars:
    below zero on the mark's right (the line has risen, the years that paid back stand above zero), else above zero on
    its left (the line is still below); never past the plot."""
    months = case.payback_months
    if months is None or months <= 0:
        return None
    at = x(months / 12)
    label = f.t.gettext("Payback: %(months)s") % {"months": f.months(months)}
    width = len(label) * FONT_SIZE * CHARACTER
    if at + 10 + width > right and at - 10 - width >= left:
        return Payback(at, label, snap(at - 10), "end", zero - 10)
    return Payback(at, label, snap(min(at + 10, right - width)), "start", zero + 10 + FONT_SIZE)


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


def axis(low: Decimal, high: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """The axis from below ``low`` to above ``high`` in round steps (1, 2, 2.5 or 5 times a power of ten): the smallest
    step that needs at most six of them, so a small loss before a large gain does not set the axis a big step below zero."""
    span = high - low if high > low else Decimal(1)
    rough = span / 6
    power = Decimal(1).scaleb(rough.adjusted())
    for step in (power * nice for nice in (*NICE, *(10 * n for n in NICE)) if power * nice >= rough):
        bottom, top = (low / step).to_integral_value(ROUND_FLOOR) * step, (high / step).to_integral_value(ROUND_CEILING) * step
        top += step if top == bottom else 0
        if (top - bottom) / step <= 6:  # at ten times the rough step it always is
            break
    return bottom, top, step


def tick_labels(values: list[Decimal], step: Decimal, currency: str, locale: str) -> list[str]:
    """Compact amounts (``$1.2M``) in the deal's locale; fuller ones where compact would show two ticks alike."""
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
    digits = max(0, -step.normalize().as_tuple().exponent)  # type: ignore[operator]
    return [full(v.quantize(Decimal(1).scaleb(-digits))) for v in values]


def snap(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"))
