"""The deal's key figures, each derived once: what ``show --json``, the CRM export, ``diff`` and the dashboard read.

An output never computes a figure of its own (the annual contract value is the contract value ÷ the horizon here,
and nowhere else) and never rounds one itself: :func:`plain` rounds each by its kind (:func:`dealbrief.fmt.plain`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from typing import Any

from .. import fmt
from .compute import Case
from .pipeline import Analysed

Value = Decimal | int | None


@dataclass(frozen=True)
class KeyFigure:
    """A figure of the business case: its name for tools, its label for people, and its kind (how it is rounded and shown)."""

    key: str
    label: str
    kind: str  # money | percent | times | months | count (and codes: the diff's findings)
    value: Callable[[Analysed], Any]  # read from a valid deal's report
    won: bool = False  # only a won deal with value measured against its promise has it (None for the others)
    committed: bool = False  # only a deal priced by a committed spend has it (None for the others)


def annual_contract_value(case: Case) -> Decimal:
    """The contract value a year: computed here, and nowhere else."""
    return case.contract_value / case.years


def _open_blocking(report: Analysed) -> int:
    return len(report.review.open_blocking)


KEY_FIGURES = (
    KeyFigure("total_costs", "Total cost", "money", attrgetter("case.total_costs")),
    KeyFigure("annual_benefit", "Annual savings", "money", attrgetter("case.annual_benefit")),
    KeyFigure("npv", "NPV", "money", attrgetter("case.npv")),
    KeyFigure("roi", "ROI", "percent", attrgetter("case.roi")),
    KeyFigure("payback_months", "Payback", "months", attrgetter("case.payback_months")),
    KeyFigure("break_even_realization", "Break-even realization", "percent", attrgetter("case.break_even_realization")),
    KeyFigure("contract_value", "Contract value", "money", attrgetter("case.contract_value")),
    KeyFigure("annual_contract_value", "Annual contract value", "money", lambda r: annual_contract_value(r.case)),
    KeyFigure("annual_price", "Annual price", "money", attrgetter("case.annual_price")),
    KeyFigure("expected_spend", "Expected spend", "money", attrgetter("case.expected_spend"), committed=True),
    KeyFigure("unused_commitment", "Unused commitment", "money", attrgetter("case.unused"), committed=True),
    KeyFigure("discount", "Discount off list", "percent", attrgetter("case.discount")),
    KeyFigure("value_to_price", "Value to price", "times", attrgetter("case.value_to_price")),
    KeyFigure("open_blocking_questions", "Open blocking questions", "count", _open_blocking),
    KeyFigure("promised_to_date", "Value promised to date", "money", attrgetter("progress.promised_to_date"), won=True),
    KeyFigure("realized_to_date", "Value realized to date", "money", attrgetter("progress.realized_to_date"), won=True),
    KeyFigure("realized_share", "Share of the promise realized", "percent", attrgetter("progress.ratio"), won=True),
)
BY_KEY = {figure.key: figure for figure in KEY_FIGURES}


def value_of(figure: KeyFigure, report: Analysed) -> Value:
    """The figure's value for this version of a deal (valid), unrounded; None for a figure the deal has not: a won deal's
    of a deal without value measured, a committed spend's of a deal priced otherwise."""
    if (figure.won and report.progress is None) or (figure.committed and not report.case.drawdown):
        return None
    return figure.value(report)


def of_the_case(figure: KeyFigure) -> bool:
    """Is it a figure of the business case (what a summary shows), not of the questions or of value measured since?"""
    return not figure.won and figure.kind != "count"


def key_figures(report: Analysed) -> dict[str, Value]:
    """A valid deal's key figures, unrounded, by key: the business case's are the customer's — once a summary is sent, the
    version sent's, whatever was edited since (:func:`revision_figures` gives those)."""
    return {f.key: value_of(f, report.customers if of_the_case(f) else report) for f in KEY_FIGURES}


def revision_figures(report: Analysed) -> dict[str, Value] | None:
    """The business case's figures of a deal edited since the version sent (a revision, not sent), as tools read them."""
    if not report.revised:
        return None
    return {f.key: plain(value_of(f, report), f.kind) for f in KEY_FIGURES if of_the_case(f)}


def plain(value: Any, kind: str) -> Any:
    """A key figure as tools read it: a decimal rounded by its kind, a count (or the diff's codes) as it is."""
    return value if kind == "count" or not isinstance(value, Decimal) else fmt.plain(value, kind)


def plain_figures(report: Analysed) -> dict[str, Value]:
    """A valid deal's key figures (:func:`key_figures`) as tools read them, by key."""
    return {key: plain(value, BY_KEY[key].kind) for key, value in key_figures(report).items()}


def as_text(value: Value | str) -> str:
    """A plain figure as text (a CSV cell, a sort key): its exact decimal digits, empty for none."""
    return "" if value is None else format(value, "f") if isinstance(value, Decimal) else str(value)
