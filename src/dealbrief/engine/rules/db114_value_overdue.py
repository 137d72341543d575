"""The value promised is proved period by period with the customer's own figures.  A period whose figures are not
recorded 30 days after it ended leaves the Value Report behind, and the renewal without its evidence; the warning names
the owner."""

from __future__ import annotations

from collections.abc import Iterator

from ... import fmt
from ..realization import period
from . import SENT, Ask, Context, Flag, measured, rule, won


@rule(
    "DB114",
    "value-overdue",
    "A review period ended and its figures are not recorded.",
    severity="warning",
    passing=won(measured({"period": "2026-Q3", "result": "rca-time", "value": 4, "volume": 2})),
    failing=won(),
    committed=SENT,
)
def _value_overdue(c: Context) -> Iterator[Flag | Ask]:
    if c.progress is None:
        return
    for label in c.progress.overdue(c.today):
        due = fmt.long_date(period(label).review_due, c.deal.locale)
        yield Flag(
            ("realization", "measurements"),
            "warning",
            f"the figures for {label} were due on {due} and are not recorded; {c.progress.owner}: measure them with the customer "
            "and add them under realization.measurements",
        )
