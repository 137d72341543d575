"""The business case is computed for the scale the customer plans, but the POC proved a fraction of it.  Without a
written commitment, the customer can downgrade at the final hour and the contract, and the NPV the CFO approved, fall
with it; the question states by how much."""

from __future__ import annotations

from collections.abc import Iterator

from ... import fmt
from ..answers import Fact
from ..scenarios import downgrade, poc_consumption
from . import Ask, Context, Flag, _exact, _moves, _whole, rule


@rule(
    "DB102",
    "scale-gap",
    "The case assumes far more scale than the POC tested, with no written commitment.",
    question="scale-commitment",
    severity="question",
    passing={"poc.scale.tested": 40, "commercial": {"commitment": {"status": "written"}}},
    failing={"poc.scale.tested": 40},
)
def _scale_gap(c: Context) -> Iterator[Flag | Ask]:
    scale = c.deal.poc.scale
    commitment = c.deal.commercial.commitment
    status = commitment.status if commitment else "none"
    if poc_consumption(c.deal) is not None:  # the POC measured consumption: DB123 asks about the usage plan
        return
    if scale and scale.planned / scale.tested >= c.config.scale_gap_ratio and status not in ("written", "signed"):
        planned, tested = fmt.number(scale.planned, c.deal.locale), fmt.number(scale.tested, c.deal.locale)
        lower = downgrade(c.deal, c.case)
        cost = ""
        facts = [
            Fact("units", f"{_exact(scale.planned)}/{_exact(scale.tested)}", f"{planned} {scale.unit} planned, {tested} tested"),
            Fact("unit", scale.unit, f"units counted as {scale.unit}"),
            Fact("commitment", status, f"a commitment that is {status}"),
        ]
        if lower is not None and c.deal.costs.units is not None:
            said = fmt.quantities(lower.units, c.case.years, c.deal.costs.units.unit, c.deal.locale)
            cost = (
                f" If they commit only {said}{' a year' if len(set(lower.units)) == 1 else ''}, "
                f"{_moves('the contract', c.case.contract_value, lower.case.contract_value, c)} and "
                f"{_moves('their NPV', c.case.npv, lower.case.npv, c)}."
            )
            contract, npv = (c.case.contract_value, lower.case.contract_value), (c.case.npv, lower.case.npv)
            facts += [
                Fact("downgrade", ",".join(map(_exact, lower.units)), f"a downgrade to {said}"),
                Fact("contract", _whole(contract), f"a contract of {c.money(contract[0])} ({c.money(contract[1])} downgraded)"),
                Fact("npv", _whole(npv), f"their NPV of {c.money(npv[0])} ({c.money(npv[1])} downgraded)"),
            ]
        yield Ask(
            ("poc", "scale", "planned"),
            f"Our business case assumes {planned} {scale.unit} but the POC tested {tested}. Do you have a hard "
            f"commitment for all {planned} {scale.unit} (today: {status}), or will they downgrade at the final hour?{cost}",
            facts=tuple(facts),
        )
