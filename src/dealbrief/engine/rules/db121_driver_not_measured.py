"""A value not measured is not zero.  When a period is measured for some drivers and not for another, that
driver's promise for the period is left out of the promise to date, and its owner is asked to measure it
(``annual: 0`` for a driver that brought nothing)."""

from __future__ import annotations

from collections.abc import Iterator

from . import SENT, Ask, Context, Flag, measured, rule, won

LICENCES = {"id": "retired-licences", "name": "Retired licences", "annual": 30000, "basis": "Current contract"}
RCA = {"period": "2026-Q3", "result": "rca-time", "value": 4, "volume": 2}


@rule(
    "DB121",
    "driver-not-measured",
    "A period was measured for some value drivers and not for this one.",
    severity="warning",
    passing=won({"value.1": LICENCES, **measured(RCA, {"period": "2026-Q3", "driver": "retired-licences", "annual": 30000})}),
    failing=won({"value.1": LICENCES, **measured(RCA)}),
    committed={**SENT, "value.1": LICENCES},
)
def _not_measured(c: Context) -> Iterator[Flag | Ask]:
    if c.progress is None:
        return
    for d in c.progress.drivers:
        for label in d.not_measured:
            yield Flag(
                ("realization", "measurements"),
                "warning",
                f"'{d.name}' ({d.id}) is not measured for {label}, though other drivers are: its promise for {label} is left "
                f"out of the promise to date; {c.progress.owner}: measure it with the customer (`driver: {d.id}, annual: 0` if it "
                "brought nothing)",
            )
