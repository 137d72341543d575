"""A committed spend commits money: a commitment of nothing in every year would tell the CFO "a commitment of $0 a
year" and call all usage overage.  Rollover carries what goes unused to the next year of the term: a one-year term
has none, and the summary would promise a carry that cannot happen."""

from __future__ import annotations

from collections.abc import Collection

from ..model import Deal
from . import Located, check

PLATFORM = {"unit": "credits", "amount": 300000, "rate": 0.8, "usage": 375000}


@check(
    "commitment-form",
    "A committed spend commits an amount in some year; rollover needs a term of more than one year.",
    passing={"costs": {"commit": PLATFORM}},
    failing={"costs": {"commit": {**PLATFORM, "amount": 0}}},
    reads=(("finance", "horizon_years"),),
)
def commitment_form(deal: Deal, questions: Collection[str]) -> Located:
    commit = deal.costs.commit
    if commit is None:
        return
    amounts = commit.amount if isinstance(commit.amount, tuple) else (commit.amount,)
    if not any(amounts):
        yield (
            ("costs", "commit", "amount"),
            ("expected a committed spend above 0 in at least one year: write what the customer commits to spend a year"),
        )
    if commit.rollover and deal.finance.horizon_years == 1:
        yield (
            ("costs", "commit", "rollover"),
            ("a one-year term has no next year to carry unused commitment to: write rollover: false, or a longer horizon_years"),
        )
