"""The business case, the way finance teams compute it: Forrester TEI conventions (the README's "The business case").

Columns are Initial (time 0, never discounted) and Year 1..N (discounted at the
end of each year).  Everything is ``Decimal``; nothing here rounds — rounding is
for display (:mod:`dealbrief.fmt`).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Context, Decimal, localcontext
from typing import Any

from ..deal.model import Deal, Driver

ZERO, ONE, TWELVE = Decimal(0), Decimal(1), Decimal(12)
PRECISION = Context(prec=34)


@dataclass(frozen=True)
class Line:
    """One row of the cash-flow table: Initial, then Year 1..N."""

    name: str
    values: tuple[Decimal, ...]


@dataclass(frozen=True)
class DriverFigures:
    """One value driver at steady state: before and after risk adjustment."""

    id: str
    name: str
    gross: Decimal
    annual: Decimal


@dataclass(frozen=True)
class Case:
    """Every figure the CFO, the AE and the reviewer see, unrounded."""

    years: int
    rate: Decimal
    cost_lines: tuple[Line, ...]
    benefit_lines: tuple[Line, ...]
    costs: tuple[Decimal, ...]
    benefits: tuple[Decimal, ...]
    pv_costs: Decimal
    pv_benefits: Decimal
    npv: Decimal
    roi: Decimal | None
    payback_months: Decimal | None
    payback_date: date | None
    total_costs: Decimal
    total_benefits: Decimal
    one_time_costs: Decimal
    annual_cost: Decimal
    annual_subscription: Decimal
    annual_gross: Decimal
    annual_benefit: Decimal
    break_even_realization: Decimal | None
    cost_of_delay: Decimal
    value_to_price: Decimal | None
    discount: Decimal | None
    improvements: dict[str, Decimal | None]
    drivers: tuple[DriverFigures, ...]
    net: tuple[Decimal, ...]  # benefits − costs per column


def present_value(flows: tuple[Decimal, ...] | list[Decimal], rate: Decimal) -> Decimal:
    """``C0 + Σ C_t / (1+r)^t``: time 0 undiscounted, later flows at the end of their year."""
    with localcontext(PRECISION):
        return flows[0] + sum((flow / (ONE + rate) ** t for t, flow in enumerate(flows) if t), ZERO)


def payback_months(net: tuple[Decimal, ...]) -> Decimal | None:
    """Months until undiscounted cumulative net benefit turns non-negative; benefits accrue evenly in a year.

    Nothing owed at the start pays back immediately (0); a deal with no cash flow at all has nothing to pay back (None).
    """
    if not any(net):
        return None
    with localcontext(PRECISION):
        cumulative = net[0]
        if cumulative >= 0:
            return ZERO
        for year, flow in enumerate(net[1:], start=1):
            if cumulative + flow >= 0:
                return TWELVE * (year - 1) + TWELVE * -cumulative / flow
            cumulative += flow
        return None


def subscription(deal: Deal, year: int) -> Decimal:
    """The price of contract year ``year`` (1-based), escalated when the price is a single number."""
    price = deal.costs.subscription
    if isinstance(price, tuple):
        return _per_year(price, year)
    return price * (ONE + (deal.costs.escalator or ZERO)) ** (year - 1)


def gross(deal: Deal, driver: Driver, year: int) -> Decimal:
    """A driver's value in ``year`` before risk adjustment and ramp: gain × volume × rate, or the annual amount."""
    if driver.annual is not None:
        return _per_year(driver.annual, year)
    result = next(r for r in deal.poc.results if r.id == driver.result)
    assert driver.volume is not None and driver.rate is not None
    return result.gain * driver.volume * driver.rate


def _per_year(amount: Any, year: int) -> Decimal:
    return amount[year - 1] if isinstance(amount, tuple) else amount


def _ramp(driver: Driver, year: int) -> Decimal:
    return driver.ramp[year - 1] if driver.ramp else ONE


def cost_lines(deal: Deal) -> tuple[Line, ...]:
    years = range(1, deal.finance.horizon_years + 1)
    prices = [subscription(deal, y) for y in years]
    in_advance = deal.costs.billing == "in-advance"
    lines = [Line("Subscription", tuple(prices) + (ZERO,) if in_advance else (ZERO, *prices))]
    lines += [Line(item.name, (item.amount,) + (ZERO,) * len(years)) for item in deal.costs.one_time]
    lines += [Line(item.name, (ZERO, *(_per_year(item.amount, y) for y in years))) for item in deal.costs.recurring]
    return tuple(lines)


def benefit_lines(deal: Deal, realization: Decimal | None = None, scale: Decimal = ONE) -> tuple[Line, ...]:
    """Each driver's risk-adjusted benefit per column; ``realization`` overrides every driver's, ``scale`` multiplies it."""
    years = range(1, deal.finance.horizon_years + 1)
    return tuple(
        Line(
            d.name,
            (ZERO, *(gross(deal, d, y) * (d.realization if realization is None else realization) * scale * _ramp(d, y) for y in years)),
        )
        for d in deal.value
    )


def _column_sums(lines: tuple[Line, ...], width: int) -> tuple[Decimal, ...]:
    return tuple(sum((line.values[i] for line in lines), ZERO) for i in range(width))


def add_months(start: date, months: Decimal) -> date:
    """``start`` plus a fractional number of months (the fraction in days of the month reached)."""
    whole = int(months)
    year, month = divmod(start.month - 1 + whole, 12)
    year, month = start.year + year, month + 1
    days = calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, days)) + timedelta(days=int((months - whole) * days))


def compute(deal: Deal, scale: Decimal = ONE) -> Case:
    """The business case of ``deal``; ``scale`` multiplies every stated realization (for sensitivity)."""
    with localcontext(PRECISION):
        n, rate = deal.finance.horizon_years, deal.finance.discount_rate
        costs_by_line, benefits_by_line = cost_lines(deal), benefit_lines(deal, scale=scale)
        costs, benefits = _column_sums(costs_by_line, n + 1), _column_sums(benefits_by_line, n + 1)
        pv_costs, pv_benefits = present_value(costs, rate), present_value(benefits, rate)
        npv = pv_benefits - pv_costs
        net = tuple(b - c for b, c in zip(benefits, costs, strict=True))
        months = payback_months(net)
        proved = present_value(_column_sums(benefit_lines(deal, realization=ONE), n + 1), rate)
        price = subscription(deal, n)
        annual_cost = price + sum((_per_year(c.amount, n) for c in deal.costs.recurring), ZERO)
        steady = [(d, gross(deal, d, n)) for d in deal.value]
        drivers = tuple(DriverFigures(d.id, d.name, value, value * d.realization * scale) for d, value in steady)
        annual_gross = sum((d.gross for d in drivers), ZERO)
        annual_benefit = sum((d.annual for d in drivers), ZERO)
        list_price = deal.costs.list_price
        return Case(
            years=n,
            rate=rate,
            cost_lines=costs_by_line,
            benefit_lines=benefits_by_line,
            costs=costs,
            benefits=benefits,
            pv_costs=pv_costs,
            pv_benefits=pv_benefits,
            npv=npv,
            roi=npv / pv_costs if pv_costs else None,
            payback_months=months,
            payback_date=add_months(deal.finance.go_live, months) if deal.finance.go_live and months is not None else None,
            total_costs=sum(costs, ZERO),
            total_benefits=sum(benefits, ZERO),
            one_time_costs=sum((item.amount for item in deal.costs.one_time), ZERO),
            annual_cost=annual_cost,
            annual_subscription=price,
            annual_gross=annual_gross,
            annual_benefit=annual_benefit,
            break_even_realization=pv_costs / proved if proved > 0 else None,
            cost_of_delay=(annual_benefit - annual_cost) / TWELVE,
            value_to_price=annual_benefit / price if price else None,
            discount=ONE - subscription(deal, 1) / list_price if list_price else None,
            improvements={r.id: r.gain / abs(r.before) if r.before else None for r in deal.poc.results},
            drivers=drivers,
            net=net,
        )
