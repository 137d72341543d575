"""A driver counting on an improvement above 95 % at full realization, or a case spread over more than five drivers,
reads as a vendor's wish list.  A CFO trusts a case built on a few drivers, each realized in part."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ... import fmt
from . import Ask, Context, Flag, rule

MAX_PLAUSIBLE, MAX_DRIVERS = Decimal("0.95"), 5


@rule(
    "DB112",
    "implausible-gain",
    "A driver relies on a >95% improvement at full realization, or there are more than 5 drivers.",
    severity="warning",
    passing={"poc.results.0.after": 0.1, "poc.results.0.target": 1, "value.0.realization": 0.7},
    failing={"poc.results.0.after": 0.1, "poc.results.0.target": 1, "value.0.realization": 1},
)
def _implausible(c: Context) -> Iterator[Flag | Ask]:
    for i, driver in enumerate(c.deal.value):
        improvement = c.case.improvements.get(driver.result or "")
        if driver.form == "rate" and improvement is not None and improvement > MAX_PLAUSIBLE and driver.realization == 1:
            yield Flag(
                ("value", i, "realization"),
                "warning",
                f"'{driver.name}' counts a {fmt.percent(improvement, c.deal.locale)} improvement at full realization; "
                "set a realization below 1 that a CFO will believe",
            )
    if len(c.deal.value) > MAX_DRIVERS:
        yield Flag(
            ("value",),
            "warning",
            f"{len(c.deal.value)} value drivers; a CFO trusts a case built on the few that matter (at most {MAX_DRIVERS})",
        )
