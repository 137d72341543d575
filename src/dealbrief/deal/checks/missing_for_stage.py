"""A deal past the technical win claims the POC proved something worth a price: without the confirmed win, a result
and a price there is nothing for the business case to compute, and nothing for the CFO to sign."""

from __future__ import annotations

from collections.abc import Collection

from ..model import Deal
from . import Located, check


@check(
    "missing-for-stage",
    "From stage technical-win on, the technical win, a POC result and a price are required.",
    passing={"stage": "poc", "poc.technical_win": None},
    failing={"poc.technical_win": None},
    reads=(("stage",), ("costs",)),
)
def stage_requirements(deal: Deal, questions: Collection[str]) -> Located:
    if deal.reached("technical-win"):
        if deal.poc.technical_win is None:
            yield (
                ("poc", "technical_win"),
                f"required from stage technical-win on (stage is {deal.stage}); "
                "add `technical_win: {date: …, confirmed_by: …}` under poc",
            )
        if not deal.poc.results:
            yield ("poc", "results"), f"at least one POC result is required from stage technical-win on (stage is {deal.stage})"
        if not deal.costs.priced:
            yield (
                ("costs",),
                f"a price is required from stage technical-win on (stage is {deal.stage}): add subscription, units or license "
                "under costs (or, for a project, its one_time and recurring costs)",
            )
