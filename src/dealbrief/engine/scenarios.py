"""The handoff's hardest question in numbers: what the deal is worth, to the customer and to us, at another scale.

For a deal priced per unit: the scale the POC tested (when it counted the same unit), the units the customer has
committed to, half the plan and the plan.  Units are units a year: the POC's tested units and a commitment of N units
are that many in every year, never more than the plan of a year whose ramp is lower; a commitment written as a list is
one number per year; half the plan is every year's plan halved.  Each driver that counts per unit
(``volume_per_unit``) follows the units of its year, while fixed amounts do not.  Internal: the CFO's summary is about
the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..deal.model import Deal
from .compute import Case, compute, units

HALF = Decimal("0.5")


@dataclass(frozen=True)
class Scenario:
    """The business case at one scale: ``units`` in each contract year."""

    label: str
    units: tuple[Decimal, ...]
    case: Case


def scale_scenarios(deal: Deal, plan_case: Case | None = None) -> tuple[Scenario, ...]:
    """The case at each scale worth asking about, in the order the handoff shows them; none for a deal not sold per unit."""
    return tuple(Scenario(label, scale, _case(deal, scale, plan_case)) for label, scale in _scales(deal))


def downgrade(deal: Deal, plan_case: Case | None = None) -> Scenario | None:
    """The scenario the scale question quotes: what the customer has committed to, else half the plan — if below the plan."""
    plan = _plan(deal)
    below = [(label, scale) for label, scale in _scales(deal) if label in ("Committed", "Half of the plan") and scale != plan]
    return Scenario(below[0][0], below[0][1], _case(deal, below[0][1], plan_case)) if below else None


def _plan(deal: Deal) -> tuple[Decimal, ...]:
    return tuple(units(deal, year) for year in range(1, deal.finance.horizon_years + 1))


def _scales(deal: Deal) -> list[tuple[str, tuple[Decimal, ...]]]:
    """Each scale worth asking about, by label: units in each contract year, none above the plan's."""
    sold, plan = deal.costs.units, _plan(deal)
    if sold is None or not any(plan):
        return []

    def capped(wanted: Decimal | tuple[Decimal, ...]) -> tuple[Decimal, ...]:
        each = wanted if isinstance(wanted, tuple) else (wanted,) * len(plan)
        return tuple(min(w, p) for w, p in zip(each, plan, strict=True))

    tested = deal.poc.scale
    scales = (
        [("Tested in the POC", capped(tested.tested))] if tested and tested.unit.casefold().strip() == sold.unit.casefold().strip() else []
    )
    commitment = deal.commercial.commitment
    scales += [("Committed", capped(commitment.units))] if commitment and commitment.units is not None else []
    return scales + [("Half of the plan", tuple(p * HALF for p in plan)), ("The plan", plan)]


def _case(deal: Deal, scale: tuple[Decimal, ...], plan_case: Case | None) -> Case:
    return plan_case if scale == _plan(deal) and plan_case else compute(_at(deal, scale))


def _at(deal: Deal, quantity: tuple[Decimal, ...]) -> Deal:
    """``deal`` with ``quantity`` units in each contract year."""
    sold = deal.costs.units
    assert sold is not None
    return deal.model_copy(update={"costs": deal.costs.model_copy(update={"units": sold.model_copy(update={"quantity": quantity})})})
