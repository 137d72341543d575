"""A case whose NPV is not positive, or that does not pay back within the horizon, tells the CFO not to buy.  It is
better found by the sales engineer than by the CFO: change the price, the scope or the realization first."""

from __future__ import annotations

from collections.abc import Iterator

from ... import fmt
from ..answers import Fact
from . import Ask, Context, Flag, rule


@rule(
    "DB106",
    "case-does-not-close",
    "NPV is not positive, or the case does not pay back within the horizon.",
    question="case-closes",
    severity="warning",
    passing={"costs.subscription": 300000},
    failing={"costs.subscription": 900000},
)
def _case_does_not_close(c: Context) -> Iterator[Flag | Ask]:
    if not c.deal.value or (c.case.npv > 0 and c.case.payback_months is not None):
        return
    payback = fmt.months(c.case.payback_months, c.deal.locale)
    facts = f"NPV {c.money(c.case.npv)} over {c.case.years} years, payback {payback}"
    yield Flag(("value",), "warning", f"the business case does not close: {facts}")
    payback_fact = Fact("payback", fmt.months(c.case.payback_months, "en"), f"payback {payback}")
    yield Ask(
        ("value",),
        f"The case shows {facts}. What changes (price, scope, realization) make it close before the CFO sees it?",
        owner="se",
        facts=(c.money_fact("npv", c.case.npv, "NPV %s"), payback_fact),
    )
