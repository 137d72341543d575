"""The handoff's hardest question in numbers: what the deal is worth, to the customer and to us, at another scale.

For a deal priced per unit: the scale the POC tested (when it counted the same unit), the units the customer has
committed to, half the plan and the plan — every year's quantity scaled by the same factor, so a ramp keeps its
shape, and each driver that counts per unit (``volume_per_unit``) scales with it while fixed amounts do not.
Internal: the CFO's summary is about the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext

from ..deal.model import Deal
from .compute import PRECISION, Case, compute, units


@dataclass(frozen=True)
class Scenario:
    """The business case at one scale: ``units`` in the final year."""

    label: str
    units: Decimal
    case: Case


def scale_scenarios(deal: Deal, plan_case: Case | None = None) -> tuple[Scenario, ...]:
    """The case at each scale worth asking about, in the order the handoff shows them; none for a deal not sold per unit."""
    plan = units(deal, deal.finance.horizon_years)
    return tuple(Scenario(label, scale, _case(deal, scale, plan, plan_case)) for label, scale in _scales(deal))


def downgrade(deal: Deal, plan_case: Case | None = None) -> Scenario | None:
    """The scenario the scale question quotes: what the customer has committed to, else half the plan."""
    plan = units(deal, deal.finance.horizon_years)
    below = [(label, scale) for label, scale in _scales(deal) if label in ("Committed", "Half of the plan") and scale < plan]
    return Scenario(below[0][0], below[0][1], _case(deal, below[0][1], plan, plan_case)) if below else None


def _scales(deal: Deal) -> list[tuple[str, Decimal]]:
    """Each scale worth asking about, by label: units in the final year."""
    sold, plan = deal.costs.units, units(deal, deal.finance.horizon_years)
    if sold is None or plan <= 0:
        return []
    tested = deal.poc.scale
    scales = [("Tested in the POC", tested.tested)] if tested and tested.unit.casefold().strip() == sold.unit.casefold().strip() else []
    commitment = deal.commercial.commitment
    scales += [("Committed", commitment.units)] if commitment and commitment.units is not None else []
    return scales + [("Half of the plan", plan / 2), ("The plan", plan)]


def _case(deal: Deal, scale: Decimal, plan: Decimal, plan_case: Case | None) -> Case:
    return plan_case if scale == plan and plan_case else compute(_at(deal, scale / plan))


def _at(deal: Deal, factor: Decimal) -> Deal:
    """``deal`` with every year's quantity multiplied by ``factor``."""
    sold = deal.costs.units
    assert sold is not None
    with localcontext(PRECISION):
        quantity = tuple(q * factor for q in sold.quantity) if isinstance(sold.quantity, tuple) else sold.quantity * factor
    return deal.model_copy(update={"costs": deal.costs.model_copy(update={"units": sold.model_copy(update={"quantity": quantity})})})
