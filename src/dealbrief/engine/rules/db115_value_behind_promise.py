"""Realized value well below the promise to date is the renewal at risk.  The owner is asked — not blocking, the
deal is won — what will close the gap before the renewal.  The share is the team's (``realization_floor``)."""

from __future__ import annotations

from collections.abc import Iterator

from ... import fmt
from . import SENT, Ask, Context, Flag, measured, rule, won


@rule(
    "DB115",
    "value-behind-promise",
    "The value realized to date is below the team's share of what was promised.",
    question="value-gap",
    severity="question",
    passing=won(measured({"period": "2026-Q3", "result": "rca-time", "value": 4, "volume": 2})),
    failing=won(measured({"period": "2026-Q3", "result": "rca-time", "value": 9.5, "volume": 2})),
    committed=SENT,
)
def _value_behind(c: Context) -> Iterator[Flag | Ask]:
    progress = c.progress
    if progress is None or progress.ratio is None or progress.ratio >= c.config.realization_floor:
        return
    renewal = f" on {fmt.long_date(progress.renewal, c.deal.locale)}" if progress.renewal else ""
    yield Ask(
        ("realization",),
        f"The customer has realized {c.money(progress.realized_to_date)} of the {c.money(progress.promised_to_date)} promised "
        f"through {progress.periods[-1].label} ({fmt.percent(progress.ratio, c.deal.locale)}, below the "
        f"{fmt.percent(c.config.realization_floor, c.deal.locale)} the team expects). What will close the gap before the renewal{renewal}?",
        owner=progress.owner,
        blocking=False,
        facts=(
            c.money_fact("realized", progress.realized_to_date, "%s realized"),
            c.money_fact("promised", progress.promised_to_date, f"%s promised through {progress.periods[-1].label}"),
        ),
    )
