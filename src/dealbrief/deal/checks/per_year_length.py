"""A field written as one number per year is read year by year over the horizon: a list one year short or long would
silently drop or invent a year of cost or value.  An escalator raises a single yearly price; with a list per year the
years are already written."""

from __future__ import annotations

from collections.abc import Collection

from ..model import Deal, per_year_fields
from . import Located, check


@check(
    "per-year-length",
    "A per-year list has one number per horizon year; an escalator applies only to a single yearly price.",
    passing={"costs.subscription": [200000, 210000, 220000]},
    failing={"costs.subscription": [200000, 210000]},
    reads=(("finance", "horizon_years"),),
)
def per_year_lengths(deal: Deal, questions: Collection[str]) -> Located:
    years = deal.finance.horizon_years
    for path, value in per_year_fields(deal):
        if isinstance(value, tuple | list) and len(value) != years:
            yield path, f"expected one number per horizon year ({years}), found {len(value)}"
    commit = deal.costs.commit
    if deal.costs.escalator is not None and (isinstance(deal.costs.subscription, tuple) or (commit and isinstance(commit.amount, tuple))):
        yield ("costs", "escalator"), "an escalator applies to a single yearly price; with a list per year, write each year's price"
