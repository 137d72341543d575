"""A commitment is paid whether it is used or not.  A consumption deal's case assumes the customer will consume far
more than the POC did; if usage stays low, the committed spend goes unused, the value that follows usage never comes,
and at renewal the customer asks to lower the commitment — after the CFO approved the case.  The question compares the
POC's consumption, annualised from its dates, with the usage the commitment assumes, and says what half the plan does."""

from __future__ import annotations

from collections.abc import Iterator

from ... import fmt
from ..answers import Fact
from ..compute import drawn_at
from ..scenarios import consumption_rate, downgrade, poc_consumption
from . import Ask, Context, Flag, _exact, _moves, _whole, rule

PLATFORM = {"unit": "credits", "amount": 300000, "rate": 0.8, "list_rate": 1, "usage": 375000}


@rule(
    "DB123",
    "usage-gap",
    "A committed spend assumes far more usage than the POC consumed.",
    question="usage-plan",
    severity="question",
    passing={"costs": {"commit": PLATFORM}, "poc.scale": {"tested": 12000, "planned": 375000, "unit": "credits"}},
    failing={"costs": {"commit": PLATFORM}, "poc.scale": {"tested": 1500, "planned": 375000, "unit": "credits"}},
)
def _usage_gap(c: Context) -> Iterator[Flag | Ask]:
    commit, consumed_in_poc = c.deal.costs.commit, poc_consumption(c.deal)
    if commit is None or consumed_in_poc is None:
        return
    committed, usage = tuple(row.committed for row in c.case.drawdown), tuple(row.usage for row in c.case.drawdown)
    bought = tuple(row.committed / drawn_at(c.deal, row.year) for row in c.case.drawdown)  # units it pays for
    rate = consumption_rate(c.deal)
    if max(*bought, *usage) / (rate or consumed_in_poc) < c.config.usage_gap_ratio:
        return
    locale, unit, span = c.deal.locale, commit.unit, f"{c.case.years} year{'s' * (c.case.years > 1)}"
    whole = tuple(fmt.whole(units) for units in bought)  # as said: whole units
    spend = (
        f"{c.money(committed[0])} a year"
        if len(set(committed)) == 1
        else f"{c.money(committed[0])} in year 1 to {c.money(committed[-1])} in year {len(committed)}"
    )
    assumes = fmt.quantities(whole, c.case.years, unit, locale) + (" a year" if len(set(whole)) == 1 else "")
    poc = (
        f"the POC consumed at a rate of {fmt.number(rate, locale)} {unit} a year"
        if rate is not None
        else f"the POC consumed {fmt.number(consumed_in_poc, locale)} {unit} in all (write poc.start and poc.end to compare "
        f"its rate a year)"
    )
    plan = "" if usage == bought else f", and the plan expects {fmt.quantities(usage, c.case.years, unit, locale)}"
    facts = [
        Fact("commitment", _whole(committed), f"a commitment of {spend}"),
        Fact("assumes", ",".join(map(_exact, whole)), f"a commitment that buys {assumes}"),
        Fact("usage", ",".join(map(_exact, usage)), f"usage of {fmt.quantities(usage, c.case.years, unit, locale)}"),
        Fact("poc", _exact(rate) if rate is not None else f"{_exact(consumed_in_poc)} in all", poc),
    ]
    half = downgrade(c.deal, c.case, "usage")
    cost = ""
    if half is not None:
        unused = tuple(row.unused for row in half.case.drawdown)
        lost = (
            f"{c.money(unused[0])} of each year's commitment goes unused"
            if len(set(unused)) == 1 and unused[0] and c.case.years > 1
            else f"{c.money(half.case.unused)} of the commitment goes unused over {span}"
            if half.case.unused
            else "the commitment is still used up"
        )
        cost = f" If usage reaches only half the plan, {lost} and {_moves('their NPV', c.case.npv, half.case.npv, c)}."
        npv = (c.case.npv, half.case.npv)
        facts += [
            Fact("unused", _whole(unused), f"{c.money(half.case.unused)} unused at half the plan"),
            Fact("npv", _whole(npv), f"their NPV of {c.money(npv[0])} ({c.money(npv[1])} at half the plan)"),
        ]
    yield Ask(
        ("costs", "commit", "usage"),
        f"The commitment of {spend} assumes {assumes}{', as the plan expects' if not plan else ''}; {poc}{plan}.{cost} "
        f"Who owns the usage plan on their side?",
        facts=tuple(facts),
    )
