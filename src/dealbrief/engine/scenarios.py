"""The handoff's hardest question in numbers: what the deal is worth, to the customer and to us, at another scale.

For a deal priced per unit: the scale the POC tested (when it counted the same unit), the units the customer has
committed to, half the plan and the plan.  Units are units a year: the POC's tested units and a commitment of N units
are that many in every year, never more than the plan of a year whose ramp is lower; a commitment written as a list is
one number per year; half the plan is every year's plan halved.

For a deal priced by consumption (a committed spend): the usage a year at the rate the POC consumed (its consumption
annualised from its dates, never more than the plan of a year), half the planned usage and the plan — the commitment
unchanged, so what usage leaves of it goes unused.

Each driver that counts per unit (``volume_per_unit``) follows the units of its year, while fixed amounts do not.
Internal: the CFO's summary is about the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from ..deal.model import Deal
from .compute import Case, compute, consumed, units

HALF = Decimal("0.5")
DAYS_A_YEAR = Decimal(365)


@dataclass(frozen=True)
class Scenario:
    """The business case at one scale: ``units`` in each contract year (bought, or consumed)."""

    label: str
    units: tuple[Decimal, ...]
    case: Case


Scale = Literal["units", "usage"]  # the units bought (``costs.units``), or the usage of a commitment (``costs.commit``)


def scale_scenarios(deal: Deal, plan_case: Case | None = None, by: Scale = "units") -> tuple[Scenario, ...]:
    """The case at each scale worth asking about, in the order the handoff shows them; none for a deal priced otherwise."""
    return tuple(Scenario(label, scale, _case(deal, scale, plan_case, by)) for label, scale in _scales(deal, by))


def downgrade(deal: Deal, plan_case: Case | None = None, by: Scale = "units") -> Scenario | None:
    """The scenario a scale question quotes: what the customer has committed to, else half the plan — if below the plan."""
    plan = _plan(deal, by)
    below = [(label, scale) for label, scale in _scales(deal, by) if label in ("Committed", "Half of the plan") and scale != plan]
    return Scenario(below[0][0], below[0][1], _case(deal, below[0][1], plan_case, by)) if below else None


def poc_consumption(deal: Deal) -> Decimal | None:
    """The units the POC consumed, when it counted the commitment's unit (``poc.scale.tested``); None otherwise."""
    commit, scale = deal.costs.commit, deal.poc.scale
    return scale.tested if commit and scale and _same(scale.unit, commit.unit) else None


def consumption_rate(deal: Deal) -> Decimal | None:
    """The POC's consumption as whole units a year: what it consumed × 365 ÷ its days (first and last included), to the
    nearest unit; None without a consumption measured or without both dates."""
    consumed_in_poc, poc = poc_consumption(deal), deal.poc
    if consumed_in_poc is None or poc.start is None or poc.end is None or poc.end < poc.start:
        return None
    return (consumed_in_poc * DAYS_A_YEAR / ((poc.end - poc.start).days + 1)).to_integral_value(ROUND_HALF_UP)


def _same(unit: str, other: str) -> bool:
    return unit.casefold().strip() == other.casefold().strip()


def _plan(deal: Deal, by: Scale) -> tuple[Decimal, ...]:
    years = range(1, deal.finance.horizon_years + 1)
    return tuple(units(deal, year) if by == "units" else consumed(deal, year) for year in years)


def _scales(deal: Deal, by: Scale) -> list[tuple[str, tuple[Decimal, ...]]]:
    """Each scale worth asking about, by label: units in each contract year, none above the plan's."""
    priced = deal.costs.units if by == "units" else deal.costs.commit
    plan = _plan(deal, by)
    if priced is None or not any(plan):
        return []

    def capped(wanted: Decimal | tuple[Decimal, ...]) -> tuple[Decimal, ...]:
        each = wanted if isinstance(wanted, tuple) else (wanted,) * len(plan)
        return tuple(min(w, p) for w, p in zip(each, plan, strict=True))

    half = [("Half of the plan", tuple(p * HALF for p in plan)), ("The plan", plan)]
    if by == "usage":
        rate = consumption_rate(deal)
        return ([("At the POC's rate", capped(rate))] if rate is not None else []) + half
    tested = deal.poc.scale
    scales = [("Tested in the POC", capped(tested.tested))] if tested and _same(tested.unit, priced.unit) else []
    commitment = deal.commercial.commitment
    scales += [("Committed", capped(commitment.units))] if commitment and commitment.units is not None else []
    return scales + half


def _case(deal: Deal, scale: tuple[Decimal, ...], plan_case: Case | None, by: Scale) -> Case:
    return plan_case if scale == _plan(deal, by) and plan_case else compute(_at(deal, scale, by))


def _at(deal: Deal, quantity: tuple[Decimal, ...], by: Scale) -> Deal:
    """``deal`` with ``quantity`` units in each contract year: bought, or (a commitment unchanged) consumed."""
    sold, commit = deal.costs.units, deal.costs.commit
    changed: dict[str, Any]
    if by == "units":
        assert sold is not None
        changed = {"units": sold.model_copy(update={"quantity": quantity})}
    else:
        assert commit is not None
        changed = {"commit": commit.model_copy(update={"usage": quantity})}
    return deal.model_copy(update={"costs": deal.costs.model_copy(update=changed)})
