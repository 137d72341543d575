"""The business case, the way finance teams compute it: Forrester TEI conventions (the manual's Explanation: How the numbers work).

Columns are Initial (time 0, never discounted) and Year 1..N (discounted at the
end of each year).  Everything is ``Decimal``; nothing here rounds — rounding is
for display (:mod:`dealbrief.fmt`).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Context, Decimal, localcontext
from itertools import accumulate
from typing import Any

from ..deal.model import Deal, Driver

ZERO, ONE, TWELVE = Decimal(0), Decimal(1), Decimal(12)
PRECISION = Context(prec=34)


@dataclass(frozen=True)
class Line:
    """One row of the cash-flow table: Initial, then Year 1..N."""

    name: str
    values: tuple[Decimal, ...]

    @property
    def total(self) -> Decimal:
        """The row's total over the horizon, exact."""
        with localcontext(PRECISION):
            return sum(self.values, ZERO)


@dataclass(frozen=True)
class DriverFigures:
    """One value driver at steady state: before and after risk adjustment."""

    id: str
    name: str
    gross: Decimal
    annual: Decimal
    result: str | None  # the POC result that proves it, if it names one
    volume: Decimal | None  # in the result × volume × rate form: the final year's volume


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
    annual_price: Decimal  # subscription + per-unit subscription + maintenance, in the final year
    contract_value: Decimal  # what the customer would sign with us over the horizon: licence + every year's price
    annual_gross: Decimal
    annual_benefit: Decimal
    break_even_realization: Decimal | None
    cost_of_delay: Decimal
    value_to_price: Decimal | None
    discount: Decimal | None
    improvements: dict[str, Decimal | None]
    drivers: tuple[DriverFigures, ...]
    net: tuple[Decimal, ...]  # benefits − costs per column
    drawdown: tuple[Drawdown, ...] = ()  # a committed spend, year by year (empty without one)

    @property
    def committed(self) -> Decimal:
        """The committed spend over the horizon: what a commitment's part of the contract is."""
        return self._drawn("committed")

    @property
    def overage(self) -> Decimal:
        """The overage a commitment's expected usage is billed over the horizon."""
        return self._drawn("overage")

    @property
    def expected_spend(self) -> Decimal:
        """What the customer is expected to pay us: the contract value and the expected overage of a commitment."""
        return self.contract_value + self.overage

    @property
    def unused(self) -> Decimal:
        """The commitment usage leaves unused over the horizon (what rollover carried and then used is not)."""
        return self._drawn("unused")

    def _drawn(self, column: str) -> Decimal:
        """A column of the drawdown, summed over the horizon (0 without a commitment)."""
        with localcontext(PRECISION):
            return sum((getattr(row, column) for row in self.drawdown), ZERO)

    @property
    def ramps_up(self) -> bool:
        """Does the yearly benefit only grow towards the steady state (``annual_benefit``), never above it?"""
        return all(year <= self.annual_benefit for year in self.benefits[1:])

    @property
    def full_from(self) -> int | None:
        """The contract year from which every year's benefit is the steady state (``annual_benefit``): 1 for a case
        without a ramp; None when the horizon ends before it (a ramp still below 100 % in the final year) or the benefit
        falls to it (:attr:`ramps_up`)."""
        years = self.benefits[1:]
        if years[-1] != self.annual_benefit or not self.ramps_up:
            return None
        first = len(years)
        while first > 1 and years[first - 2] == self.annual_benefit:
            first -= 1
        return first

    @property
    def total_net(self) -> Decimal:
        return self.total_benefits - self.total_costs

    @property
    def cumulative(self) -> tuple[Decimal, ...]:
        """The net cash flow summed up to each column: where payback is read."""
        with localcontext(PRECISION):
            return tuple(accumulate(self.net))


def present_value(flows: tuple[Decimal, ...] | list[Decimal], rate: Decimal) -> Decimal:
    """``C0 + Σ C_t / (1+r)^t``: time 0 undiscounted, later flows at the end of their year."""
    with localcontext(PRECISION):
        return flows[0] + sum((flow / (ONE + rate) ** t for t, flow in enumerate(flows) if t), ZERO)


def payback_months(net: tuple[Decimal, ...]) -> Decimal | None:
    """Months until undiscounted cumulative net benefit turns non-negative for good; benefits accrue evenly in a year.

    Never behind pays back immediately (0); behind at the end of the horizon never does (None), however the first
    column nets: a deal billed in arrears with no one-time cost starts at 0 and may still be behind for years.  A deal
    with no cash flow at all has nothing to pay back (None).
    """
    if not any(net):
        return None
    with localcontext(PRECISION):
        cumulative = list(accumulate(net))
        behind = [t for t, total in enumerate(cumulative) if total < 0]
        if not behind:
            return ZERO
        last = behind[-1]
        if last == len(net) - 1:
            return None
        return TWELVE * last + TWELVE * -cumulative[last] / net[last + 1]


def _escalated(deal: Deal, year: int) -> Decimal:
    """How much the escalator has raised a yearly price by contract year ``year`` (1 in year 1)."""
    return (ONE + (deal.costs.escalator or ZERO)) ** (year - 1)


def subscription(deal: Deal, year: int) -> Decimal:
    """The flat subscription of contract year ``year`` (1-based), escalated when it is a single number."""
    price = deal.costs.subscription
    if price is None:
        return ZERO
    return _per_year(price, year) if isinstance(price, tuple) else price * _escalated(deal, year)


def units(deal: Deal, year: int) -> Decimal:
    """How many units the deal is priced for in contract year ``year`` (0 without a per-unit price)."""
    return ZERO if deal.costs.units is None else _per_year(deal.costs.units.quantity, year)


def per_unit(deal: Deal, year: int) -> Decimal:
    """The per-unit subscription of contract year ``year``: the escalated unit price × the units of that year."""
    sold = deal.costs.units
    return ZERO if sold is None else sold.price * _escalated(deal, year) * units(deal, year)


@dataclass(frozen=True)
class Drawdown:
    """One contract year of a committed spend: what was committed and available, what usage drew, what went unused or
    carried to the next year, and the overage beyond it (units, and money billed at the end of the year)."""

    year: int
    committed: Decimal
    available: Decimal  # the year's commitment plus what the year before carried
    usage: Decimal  # units consumed
    used: Decimal  # money drawn from what was available: usage × rate, at most what was available
    unused: Decimal  # money lost at the end of the year
    carried: Decimal  # money carried to the next year (rollover)
    overage_units: Decimal
    overage: Decimal  # overage_units × overage_rate


def commitment(deal: Deal, year: int) -> Decimal:
    """The committed spend of contract year ``year``, escalated when it is a single number (0 without a commitment)."""
    commit = deal.costs.commit
    if commit is None:
        return ZERO
    return _per_year(commit.amount, year) if isinstance(commit.amount, tuple) else commit.amount * _escalated(deal, year)


def drawn_at(deal: Deal, year: int) -> Decimal:
    """The price a unit is drawn from the commitment at in contract year ``year``: the rate, escalated."""
    commit = deal.costs.commit
    assert commit is not None
    return commit.rate * _escalated(deal, year)


def drawdown(deal: Deal) -> tuple[Drawdown, ...]:
    """The commitment drawn down year by year: usage × rate draws what is available; what it leaves is lost, or carried
    to the next year with rollover (until the term ends); usage beyond what is available is overage at the overage rate.
    The escalator raises the rates as it raises the amount.  Empty without a commitment."""
    commit = deal.costs.commit
    if commit is None:
        return ()
    years, carried, rows = deal.finance.horizon_years, ZERO, []
    with localcontext(PRECISION):
        for year in range(1, years + 1):
            rate, overage_rate = drawn_at(deal, year), (commit.overage_rate or commit.rate) * _escalated(deal, year)
            committed, usage = commitment(deal, year), _per_year(commit.usage, year)
            available = committed + carried
            used = min(usage * rate, available)
            left, overage_units = available - used, usage - used / rate
            carried = left if commit.rollover and year < years else ZERO
            rows.append(
                Drawdown(year, committed, available, usage, used, left - carried, carried, overage_units, overage_units * overage_rate)
            )
    return tuple(rows)


def consumed(deal: Deal, year: int) -> Decimal:
    """The units a consumption deal expects to be used in contract year ``year`` (0 without a commitment)."""
    return ZERO if deal.costs.commit is None else _per_year(deal.costs.commit.usage, year)


def maintenance(deal: Deal, year: int) -> Decimal:
    """The licence's maintenance in contract year ``year``: its share of the licence amount, escalated."""
    licence = deal.costs.license
    return ZERO if licence is None else licence.amount * licence.maintenance * _escalated(deal, year)


def price(deal: Deal, year: int) -> Decimal:
    """What the customer pays us in contract year ``year``: subscription + per-unit subscription + commitment + maintenance
    (never the overage: it depends on usage, and is no part of the contract)."""
    return subscription(deal, year) + per_unit(deal, year) + commitment(deal, year) + maintenance(deal, year)


def volume(deal: Deal, driver: Driver, year: int) -> Decimal:
    """A driver's volume in ``year``: as written (one number, or one per year), or per unit × the units of that year (of
    ``units``, else the usage of a commitment)."""
    if driver.volume_per_unit is not None:
        return driver.volume_per_unit * (units(deal, year) if deal.costs.units else consumed(deal, year))
    return _per_year(driver.volume, year)


def gross(deal: Deal, driver: Driver, year: int) -> Decimal:
    """A driver's value in ``year`` before risk adjustment and ramp: gain × volume × rate, base × share, or the annual amount."""
    if driver.annual is not None:
        return _per_year(driver.annual, year)
    if driver.share is not None:
        return _per_year(driver.base, year) * driver.share
    result = next(r for r in deal.poc.results if r.id == driver.result)
    assert driver.rate is not None
    return result.gain * volume(deal, driver, year) * driver.rate


def _per_year(amount: Any, year: int) -> Decimal:
    return amount[year - 1] if isinstance(amount, tuple) else amount


def _ramp(driver: Driver, year: int) -> Decimal:
    return driver.ramp[year - 1] if driver.ramp else ONE


def cost_lines(deal: Deal) -> tuple[Line, ...]:
    """What the customer pays, a line each: the price elements (billed in advance or in arrears), then the costs."""
    costs, years = deal.costs, range(1, deal.finance.horizon_years + 1)

    def billed(name: str, per_year: Any) -> Line:
        amounts = tuple(per_year(deal, y) for y in years)
        return Line(name, amounts + (ZERO,) if costs.billing == "in-advance" else (ZERO, *amounts))

    lines = [billed("Subscription", subscription)] if costs.subscription is not None else []
    lines += [billed(f"Subscription per unit ({costs.units.unit})", per_unit)] if costs.units else []
    if costs.commit:
        lines += [billed(f"Committed spend ({costs.commit.unit})", commitment)]
        overage = tuple(row.overage for row in drawdown(deal))
        lines += [Line(f"Overage ({costs.commit.unit})", (ZERO, *overage))] if any(overage) else []
    if costs.license:
        lines += [Line("Perpetual license", (costs.license.amount,) + (ZERO,) * len(years))]
        lines += [billed("Maintenance", maintenance)] if costs.license.maintenance else []
    lines += [Line(item.name, (item.amount,) + (ZERO,) * len(years)) for item in costs.one_time]
    lines += [Line(item.name, (ZERO, *(_per_year(item.amount, y) for y in years))) for item in costs.recurring]
    return tuple(lines)


def running_costs(deal: Deal, case: Case) -> Decimal:
    """The customer's own costs besides the price over the horizon: the ``recurring`` lines, last of :func:`cost_lines`."""
    with localcontext(PRECISION):
        return sum((line.total for line in case.cost_lines[len(case.cost_lines) - len(deal.costs.recurring) :]), ZERO)


def discount(deal: Deal) -> Decimal | None:
    """1 − what the priced elements cost in year 1 ÷ their list prices (only the elements with a list price count)."""
    costs, net, listed = deal.costs, ZERO, ZERO
    if costs.subscription is not None and costs.list_price:
        net, listed = net + subscription(deal, 1), listed + costs.list_price
    if costs.units and costs.units.list_price:
        net, listed = net + per_unit(deal, 1), listed + costs.units.list_price * units(deal, 1)
    if costs.commit and costs.commit.list_rate:  # the commitment at list: what its units would cost at the list rate
        net, listed = net + commitment(deal, 1), listed + commitment(deal, 1) * costs.commit.list_rate / costs.commit.rate
    if costs.license and costs.license.list_price:
        net, listed = net + costs.license.amount, listed + costs.license.list_price
    return ONE - net / listed if listed else None


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
        yearly = price(deal, n)
        overage = drawdown(deal)[-1].overage if deal.costs.commit else ZERO  # the final year's expected overage
        annual_cost = yearly + overage + sum((_per_year(c.amount, n) for c in deal.costs.recurring), ZERO)
        licence = deal.costs.license.amount if deal.costs.license else ZERO
        steady = [(d, gross(deal, d, n)) for d in deal.value]
        drivers = tuple(
            DriverFigures(d.id, d.name, value, value * d.realization * scale, d.result, volume(deal, d, n) if d.rate is not None else None)
            for d, value in steady
        )
        annual_gross = sum((d.gross for d in drivers), ZERO)
        annual_benefit = sum((d.annual for d in drivers), ZERO)
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
            one_time_costs=licence + sum((item.amount for item in deal.costs.one_time), ZERO),
            annual_cost=annual_cost,
            annual_price=yearly,
            contract_value=licence + sum((price(deal, y) for y in range(1, n + 1)), ZERO),
            annual_gross=annual_gross,
            annual_benefit=annual_benefit,
            break_even_realization=pv_costs / proved if proved > 0 else None,
            cost_of_delay=(annual_benefit - annual_cost) / TWELVE,
            value_to_price=annual_benefit / (yearly + overage) if yearly + overage else None,  # what they pay us, overage too
            discount=discount(deal),
            improvements={r.id: r.gain / abs(r.before) if r.before else None for r in deal.poc.results},
            drivers=drivers,
            net=net,
            drawdown=drawdown(deal),
        )
