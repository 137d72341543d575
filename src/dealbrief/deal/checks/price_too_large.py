"""Each amount may be up to 10^15 alone, but a year's price per unit × units must stay below it too: a product that
large is a mistake of units, and the contract value could not be shown."""

from __future__ import annotations

from collections.abc import Collection

from ..model import LIMIT, Deal
from . import Located, check, each


@check(
    "price-too-large",
    "A year's price per unit × units (or a commitment's rate × usage) is 10^15 or more.",
    passing={"costs": {"units": {"unit": "seats", "price": 500, "quantity": 400}}},
    failing={"costs": {"units": {"unit": "seats", "price": 10000000000, "quantity": 1000000}}},
)
def price_bounds(deal: Deal, questions: Collection[str]) -> Located:
    """A year's price per unit × units stays below the limit every amount has (each may be up to 10^15 alone)."""
    units = deal.costs.units
    if units is not None and (most := units.price * max(each(units.quantity))) >= LIMIT:
        yield (
            ("costs", "units"),
            f"price × quantity is about 10^{most.adjusted()} a year; dealbrief computes with amounts below 10^15: check the units of each",
        )
    commit = deal.costs.commit
    if commit is not None and (most := max(commit.rate, commit.overage_rate or commit.rate) * max(each(commit.usage))) >= LIMIT:
        yield (
            ("costs", "commit"),
            f"rate × usage is about 10^{most.adjusted()} a year; dealbrief computes with amounts below 10^15: check the units of each",
        )
