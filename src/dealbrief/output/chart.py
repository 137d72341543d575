"""The cumulative net cash-flow chart, as SVG: same input, same bytes.

Cumulative net benefit is drawn straight between year ends — the same in-year
interpolation the payback uses — so the marked payback point sits exactly where
the line crosses zero.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache
from importlib.metadata import version
from io import BytesIO
from typing import Any

from babel.numbers import format_compact_currency

from .. import fmt
from ..content_cache import Cache, code_version, key
from ..engine.pipeline import Report

INK, GAIN, LOSS, GRID = "#1f2a44", "#2e7d32", "#c62828", "#d0d4dc"
IN_PROCESS = 12  # fewer charts than this are drawn here: starting worker processes would cost more
ChartInput = tuple[tuple[Decimal, ...], Decimal | None, str, str]


def _tick(value: Decimal, currency: str, locale: str) -> str:
    """A compact amount in the deal's locale; in English where the chart's font cannot show the locale's script (億, مليون)."""
    shown_in = locale if fmt.script(locale) in ("Latn", "Grek", "Cyrl") else "en"
    label = format_compact_currency(value, currency, locale=shown_in, fraction_digits=1)
    return label if all(ord(c) < 0x2500 for c in label) else format_compact_currency(value, currency, locale="en", fraction_digits=1)


def charts_for(reports: Iterable[Report], cache: Cache) -> dict[str, bytes]:
    """Each valid deal's chart, by deal id."""
    return draw_all(
        {r.id: (r.case.net, r.case.payback_months, r.deal.currency, r.deal.locale) for r in reports if r.case and r.deal}, cache
    )


def draw_all(inputs: dict[str, ChartInput], cache: Cache) -> dict[str, bytes]:
    """Every chart, by name: from the content-keyed cache, the missing ones drawn in parallel processes."""
    tools = f"{code_version()} matplotlib {version('matplotlib')}"
    keys = {name: key(tools, args) for name, args in inputs.items()}
    charts = {name: cache.get("chart", keys[name]) for name in inputs}
    missing = {keys[name]: args for name, args in inputs.items() if charts[name] is None}
    if len(missing) > IN_PROCESS:
        with multiprocessing.get_context("spawn").Pool(min(os.cpu_count() or 1, len(missing))) as pool:
            drawn = pool.starmap(cashflow_svg, missing.values(), chunksize=8)
    else:
        drawn = [cashflow_svg(*args) for args in missing.values()]
    fresh = dict(zip(missing, drawn, strict=True))
    for entry, svg in fresh.items():
        cache.put("chart", entry, svg)
    return {name: charts[name] or fresh[keys[name]] for name in inputs}


_canvas: dict[str, Any] = {}  # this process's one figure, drawn on again and again: making a figure is a third of a chart's cost
_drawing = threading.Lock()


def _figure() -> tuple[Any, Any]:
    """The figure and axes with everything that never changes; matplotlib is imported on the first chart drawn."""
    if not _canvas:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib import rcParams
        from matplotlib.figure import Figure

        rcParams["svg.hashsalt"] = "dealbrief"  # stable ids inside the SVG
        rcParams["svg.fonttype"] = "path"  # text as outlines: no font needed to view it
        figure = Figure(figsize=(7.0, 2.8), dpi=100)
        axes = figure.add_subplot()
        axes.grid(axis="y", color=GRID, linewidth=0.6)
        axes.set_axisbelow(True)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        axes.tick_params(colors=INK, labelsize=8)
        figure.subplots_adjust(left=0.11, right=0.98, top=0.95, bottom=0.11)  # fixed: tight_layout costs a second draw
        _canvas.update(figure=figure, axes=axes)
    return _canvas["figure"], _canvas["axes"]


@lru_cache(maxsize=4096)
def cashflow_svg(net: tuple[Decimal, ...], payback_months: Decimal | None, currency: str, locale: str) -> bytes:
    """Bars for each column's net cash flow, a line for the cumulative total, a dot at payback.

    Cached on its inputs for the life of the process, so ``mkdocs serve`` redraws only what changed.
    Every chart is drawn on the same figure, cleared first, in the same order: the bytes depend only
    on the inputs, never on the chart drawn before (a test draws them in shuffled order).
    """
    from matplotlib.ticker import FuncFormatter

    cumulative = [sum(net[: i + 1], Decimal(0)) for i in range(len(net))]
    years = list(range(len(net)))
    with _drawing:
        figure, axes = _figure()
        for artist in [*axes.patches, *axes.lines, *axes.texts]:
            artist.remove()
        axes.containers.clear()
        axes.bar(
            years,
            [float(v) for v in net],
            width=0.5,
            color=[GAIN if v >= 0 else LOSS for v in net],
            alpha=0.35,
            label="Net cash flow in the year",
        )
        axes.plot(years, [float(v) for v in cumulative], color=INK, marker="o", linewidth=2, label="Cumulative net cash flow")
        axes.axhline(0, color=INK, linewidth=0.8)
        if payback_months is not None and payback_months > 0:
            at = float(payback_months / 12)
            axes.plot([at], [0], marker="D", markersize=9, color=GAIN, zorder=5)
            axes.annotate(
                f"Payback: {fmt.months(payback_months, locale)}",
                (at, 0),
                xytext=(-10, 10),
                textcoords="offset points",
                ha="right",
                color=GAIN,
                fontsize=9,
                fontweight="bold",
            )
        axes.relim()
        axes.autoscale_view()
        axes.set_xticks(years, fmt.columns(len(years) - 1))
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: _tick(Decimal(str(value)), currency, locale)))
        axes.legend(loc="upper left", fontsize=8, frameon=False)
        out = BytesIO()
        figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    return out.getvalue()
