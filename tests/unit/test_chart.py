"""The cash-flow chart: an SVG from a template, with real text, that never clips a label and never changes by chance."""

from __future__ import annotations

from decimal import Decimal as D
from itertools import accumulate, pairwise
from pathlib import Path
from types import SimpleNamespace
from xml.etree import ElementTree

import pytest

from dealbrief.engine.compute import payback_months
from dealbrief.engine.config import Config
from dealbrief.engine.pipeline import analyse_all
from dealbrief.fmt import Formatter
from dealbrief.output import chart as geometry
from dealbrief.output.render import Renderer, environment

from ..conftest import ROOT

SVG = "{http://www.w3.org/2000/svg}"


def case(*net: int | str) -> SimpleNamespace:
    """What the chart reads from a business case, for a net cash flow (time 0, then each year)."""
    flows = tuple(D(v) for v in net)
    return SimpleNamespace(net=flows, cumulative=tuple(accumulate(flows)), payback_months=payback_months(flows), years=len(flows) - 1)


EDGES = {
    "payback in the first month": case(-1000, 1_000_000, 1_000_000),
    "never pays back": case(-1000, -500, -200, -100),
    "everything negative": case(-5000, -4000, -3000, -2000),
    "ten years": case(-900_000, *[120_000] * 10),
    "huge amounts": case("-999999999999999", "999999999999999", "999999999999999"),
    "tiny amounts": case("-0.000003", "0.000001", "0.000004"),
    "nothing at all": case(0, 0, 0),
    "payback at the last moment": case(-120, 40, 40, 40),
    "payback immediately": case(10, 10, 10),
}


def drawn(data: SimpleNamespace, currency: str = "USD", locale: str = "en_US") -> tuple[geometry.Chart, str]:
    f = Formatter(currency, locale)
    return geometry.chart(data, f, locale), environment(markup="xml").get_template("chart.svg.j2").render(
        c=geometry.chart(data, f, locale), years=data.years, font=geometry.SCREEN_FONTS
    )


@pytest.mark.parametrize("name", EDGES)
def test_no_label_clips_or_overlaps(name: str) -> None:
    c, svg = drawn(EDGES[name])
    ElementTree.fromstring(svg.encode())  # well-formed XML, its encoding declared
    left, top, right, bottom = c.plot
    width = lambda text: len(text) * geometry.FONT_SIZE * geometry.CHARACTER  # noqa: E731
    for y, label in c.ticks:  # left of the plot, inside the card, one per round amount, all different
        assert top - 1 <= y <= bottom + 1 and left - 8 - width(label) >= 0, (y, label)
    assert len({label for _, label in c.ticks}) == len(c.ticks) >= 2
    for x, label in c.labels:  # each column's label within its band
        band = (right - left) / len(c.labels)
        assert width(label) < band and left <= x <= right
    if c.payback:
        start = c.payback.x - width(c.payback.label) if c.payback.anchor == "end" else c.payback.x
        assert left <= start and start + width(c.payback.label) <= right, (name, c.payback)
        assert c.payback_y is not None and top - 20 < c.payback_y - geometry.FONT_SIZE and c.payback_y < bottom  # legend, years
        assert not _crosses(c.line, start, start + width(c.payback.label), c.payback_y - geometry.FONT_SIZE, c.payback_y), name
    for x, y, w, h, _ in c.bars:
        assert left <= x and x + w <= right and top <= y and y + h <= bottom + D("0.1")


def _crosses(line: list[tuple[D, D]], x1: D, x2: D, y1: D, y2: D) -> bool:
    """Does the polyline ``line`` pass through the box from (x1, y1) to (x2, y2)? Sampled along each segment."""
    for (ax, ay), (bx, by) in pairwise(line):
        for i in range(101):
            x, y = ax + (bx - ax) * i / 100, ay + (by - ay) * i / 100
            if x1 <= x <= x2 and y1 <= y <= y2:
                return True
    return False


@pytest.mark.parametrize(
    ("net", "room"),
    [
        ((-240_000, 82_223, 907_846, 1_115_422, 1_092_507, 1_068_904), True),  # Alder: it would sit on the rising line
        ((-510_000, 120_240, 600_480, 1_050_480), True),  # Northwind (and Rhône: the first year stands above zero)
        ((-213_000, 336_000, 414_000, 414_000), True),  # Fjord
        ((-510_000, 120_240, 600_480, 1_050_480, -900_000), True),  # a later year that costs more than it brings
        ((-600, 200, 200, 700, -600, 100, 400), True),  # a loss after payback takes the line back below zero
        ((-1_000_000, 300_000, 300_000, 500_000), False),  # late: no room on the right, year 2's bar on the left
        ((-900_000, *[100_000] * 8, 400_000, 400_000), False),  # ten years, paying back in year 9
    ],
)
@pytest.mark.parametrize(("currency", "locale"), [("EUR", "de_DE"), ("USD", "en_US")])
def test_the_payback_label_stays_clear_of_the_line(net: tuple[int, ...], room: bool, currency: str, locale: str) -> None:
    """Never on the cumulative line; off the bars too wherever the plot has room (else on a pale bar, still readable)."""
    from dealbrief.i18n import translations

    c = geometry.chart(case(*net), Formatter(currency, locale, t=translations(locale[:2])), locale)
    assert c.payback and c.payback_y is not None
    width = len(c.payback.label) * geometry.FONT_SIZE * geometry.CHARACTER
    start = c.payback.x - width if c.payback.anchor == "end" else c.payback.x
    box = (start, start + width, c.payback_y - geometry.FONT_SIZE, c.payback_y)
    assert not _crosses(c.line, *box), c.payback
    for x, y, w, h, _ in c.bars if room else ():
        assert x + w < box[0] or box[1] < x or y + h < box[2] or box[3] < y, (c.payback, (x, y, w, h))


def test_payback_mark_sits_where_the_line_crosses_zero() -> None:
    c, _ = drawn(case(-510_000, 120_240, 600_480, 1_050_480))  # Northwind: 19.8 months
    at = c.payback[0]
    (x1, y1), (x2, y2) = c.line[1], c.line[2]  # end of year 1 (below zero) and of year 2 (above)
    crossing = x1 + (x2 - x1) * (y1 - c.zero) / (y1 - y2)
    assert abs(at - crossing) < D("0.2")
    assert c.payback[1] == "Payback: 19.8 months"
    assert EDGES["never pays back"].payback_months is None and drawn(EDGES["never pays back"])[0].payback is None


@pytest.mark.parametrize(
    ("low", "high", "first", "last", "step"),
    [
        (D(-510_000), D(1_261_200), D(-1_000_000), D(1_500_000), D(500_000)),  # Northwind
        (D(-240_000), D(4_026_901), D(-1_000_000), D(5_000_000), D(1_000_000)),  # Alder: not -2M to 6M in steps of 2M
        (D(-120), D(0), D(-120), D(0), D(20)),
        (D(0), D(0), D(0), D("0.2"), D("0.2")),
        (D("-0.000003"), D("0.000002"), D("-0.000003"), D("0.000002"), D("0.000001")),
    ],
)
def test_the_axis_runs_in_at_most_six_round_steps(low: D, high: D, first: D, last: D, step: D) -> None:
    """Each step 1, 2, 2.5 or 5 times a power of ten: the smallest that covers the values in six steps or fewer."""
    ticks = geometry.axis(low, high)
    assert (ticks[0], ticks[-1], ticks[1] - ticks[0]) == (first, last, step) and len(ticks) <= 7


def test_text_is_real_text_with_the_figures_in_words() -> None:
    _, svg = drawn(case(-510_000, 120_240, 600_480, 1_050_480))
    root = ElementTree.fromstring(svg.encode())
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Payback: 19.8 months" in texts and "Cumulative net cash flow" in texts and "Year 3" in texts and "$1M" in texts
    assert root.find(f"{SVG}title").text == "Cumulative net cash flow over 3 years"
    assert root.find(f"{SVG}desc").text == (
        "Net cash flow by column: Initial -$510,000; Year 1 $120,240; Year 2 $600,480; Year 3 $1,050,480. "
        "Cumulative after 3 years: $1,261,200; payback after 19.8 months."
    )
    assert root.get("role") == "img" and '<path d="M' in svg


def test_in_the_deals_locale() -> None:
    _, svg = drawn(case(-510_000, 120_240, 600_480, 1_050_480), "EUR", "de_DE")
    texts = [t.text for t in ElementTree.fromstring(svg.encode()).iter(f"{SVG}text")]
    assert "Payback: 19,8 months" in texts and "1\xa0Mio.\xa0€" in texts


def test_a_team_can_redraw_the_chart(tmp_path: Path) -> None:
    (tmp_path / "chart.svg.j2").write_text('<svg xmlns="http://www.w3.org/2000/svg"><text>{{ c.payback[1] }}</text></svg>')
    [report] = [r for r in analyse_all([ROOT / "deals" / "northwind-incident-analytics.yaml"], Config())]
    assert Renderer(tmp_path).chart(report) == '<svg xmlns="http://www.w3.org/2000/svg"><text>Payback: 19.8 months</text></svg>'
