"""Contract years, and the periods the promise is counted in, start at ``finance.go_live`` (else at ``signed``).
A start moved after the summary was sent moves every period of the promise; measurements before the new start count
toward nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from ... import fmt
from ..realization import start_key
from . import SENT, Ask, Context, Flag, measured, rule, won


@rule(
    "DB120",
    "contract-start-moved",
    "The contract start moved after the summary was sent: the promise's periods move with it.",
    severity="warning",
    passing=won(measured({"period": "2026-Q3", "result": "rca-time", "value": 4, "volume": 2})),
    failing=won({"finance.go_live": date(2026, 10, 1)}),
    committed=SENT,
)
def _start_moved(c: Context) -> Iterator[Flag | Ask]:
    if c.progress is None or c.progress.promised_start is None:
        return
    (was_key, was), now, locale = c.progress.promised_start, c.progress.start, c.deal.locale
    if was == now:
        return
    key = start_key(c.deal)
    was_said, now_said = fmt.long_date(was, locale), fmt.long_date(now, locale)
    moved = (
        f"{key} moved from {was_said} (the version sent) to {now_said}"
        if key == was_key
        else f"the contract start moved from {was_said} ({was_key} in the version sent) to {now_said} ({key})"
    )
    year_end = date(now.year + (now.month + 10) // 12, (now.month + 10) % 12 + 1, 1)
    yield Flag(
        tuple(key.split(".")),
        "warning",
        f"{moved}: contract year 1 now runs {fmt.month(now, locale)} to {fmt.month(year_end, locale)}, and measurements "
        "before it count toward nothing; the promise's periods moved with it",
    )
