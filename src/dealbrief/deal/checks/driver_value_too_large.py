"""dealbrief computes exactly with amounts below 10^15.  A driver's gain × volume × rate a year at or above that is a
mistake of units (a volume in seconds, a rate in cents), and every figure made from it could not be shown."""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal

from ..model import LIMIT, Deal
from . import Located, check, each


@check(
    "driver-value-too-large",
    "A value driver's gain × volume × rate is 10^15 a year or more.",
    passing={"value.0.volume": 1000000000},
    failing={"value.0.volume": 1000000000000},
)
def driver_bounds(deal: Deal, questions: Collection[str]) -> Located:
    """A driver's yearly value stays below the limit every amount has, so every figure made from it can be shown."""
    results = {r.id: r for r in deal.poc.results}
    units = deal.costs.units
    for index, driver in enumerate(deal.value):
        result = results.get(driver.result or "")
        if result is None or driver.rate is None:
            continue
        if driver.volume_per_unit is not None and units is not None:
            volumes = [driver.volume_per_unit * q for q in each(units.quantity)]
        elif driver.volume_per_unit is not None and deal.costs.commit is not None:
            volumes = [driver.volume_per_unit * q for q in each(deal.costs.commit.usage)]
        else:
            volumes = each(driver.volume)
        value = abs(result.gain) * max(volumes, default=Decimal(0)) * driver.rate
        if value >= LIMIT:
            yield (
                ("value", index),
                f"gain × volume × rate is about 10^{value.adjusted()} a year; dealbrief computes with amounts below 10^15: "
                "check the units of each",
            )
