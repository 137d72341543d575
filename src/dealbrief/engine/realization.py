"""After the signature: the value promised (the sent version's business case) against the value measured.

Contract years start at ``finance.go_live``, else at ``signed``; the first contract year is the twelve calendar months
from the start's month.  Each contract year's risk-adjusted benefit accrues evenly over its months (the convention the
payback uses), so a period's promise is the sum of its months' twelfths: a quarter inside one contract year is a
quarter of that year's benefit, and a quarter across two takes its months from each.  A measured value is already
real: no realization factor or ramp applies to it.  "To date" runs from the contract's first period through the
latest period measured; a driver not measured in a period another driver was measured in is *not measured* there, and its
promise for that period is left out of to date, so each driver's promised and realized cover the same periods.

Only the version sent says what a measurement is worth: one whose result or driver it does not have, a measured result
its driver did not turn into money with a rate, and a period outside the contract or not yet over count toward nothing.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, localcontext
from typing import Literal

from ..deal.model import Deal, Driver, Measurement
from .compute import PRECISION, Case

ZERO, TWELVE = Decimal(0), Decimal(12)
MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}
REVIEW_WINDOW = timedelta(days=30)  # after a period ends, the time the owner has to collect and record its figures


@dataclass(frozen=True)
class Period:
    """A calendar month, quarter or year, as a measurement names it."""

    label: str
    first_month: int  # months since year 0: year * 12 + month - 1

    @property
    def months(self) -> range:
        return range(self.first_month, self.first_month + MONTHS[self.cadence])

    @property
    def cadence(self) -> str:
        return "quarterly" if "-Q" in self.label else "monthly" if "-" in self.label else "yearly"

    @property
    def first(self) -> date:
        return date(self.first_month // 12, self.first_month % 12 + 1, 1)

    @property
    def last(self) -> date:
        final = self.months[-1]
        year, month = final // 12, final % 12 + 1
        return date(year, month, calendar.monthrange(year, month)[1])

    @property
    def review_due(self) -> date:
        return self.last + REVIEW_WINDOW


def period(label: str) -> Period:
    """``2027-03``, ``2027-Q1`` or ``2027`` as a :class:`Period`."""
    year = int(label[:4])
    if "-Q" in label:
        return Period(label, year * 12 + (int(label[-1]) - 1) * 3)
    if "-" in label:
        return Period(label, year * 12 + int(label[5:7]) - 1)
    return Period(label, year * 12)


def period_of(month: int, cadence: str) -> Period:
    """The period of ``cadence`` that holds ``month`` (months since year 0)."""
    year, index = divmod(month, 12)
    if cadence == "quarterly":
        return period(f"{year:04d}-Q{index // 3 + 1}")
    if cadence == "monthly":
        return period(f"{year:04d}-{index + 1:02d}")
    return period(f"{year:04d}")


@dataclass(frozen=True)
class Measured:
    """One measurement turned into money, with what the customer measured and their evidence."""

    period: str
    driver: str  # the driver's id
    amount: Decimal
    result: str | None  # the POC result measured again, if this is a measured result
    value: Decimal | None
    volume: Decimal | None
    annual: Decimal | None  # a measured driver's money, as an amount a year
    evidence: str | None
    confirmed_by: str | None
    before: Decimal | None = None  # a measured result's baseline and unit, and its volume's unit, as the version sent had them
    unit: str | None = None
    volume_unit: str | None = None


Why = Literal["outside", "unfinished", "result", "driver", "form"]


@dataclass(frozen=True)
class Uncounted:
    """A measurement that counts toward nothing, and why: its period is outside the contract or not over yet, or the
    version sent has no such result or driver, or its driver did not turn that result into money with a rate."""

    index: int  # in realization.measurements
    why: Why
    driver: str | None = None  # the sent version's driver to measure instead (driver + annual), for "form"


@dataclass(frozen=True)
class PeriodProgress:
    """One period: promised and realized in total and per driver.

    A driver with no measurement in a period that others were measured in is not measured there (realized None): its
    promise is left out of the period's; in a period nobody measured, every driver realized nothing.
    """

    label: str
    promised: Decimal
    realized: Decimal
    drivers: dict[str, tuple[Decimal, Decimal | None]]  # driver id → (promised, realized or None: not measured)
    measured: bool

    @property
    def not_measured(self) -> tuple[str, ...]:
        return tuple(d for d, (_, realized) in self.drivers.items() if realized is None)


@dataclass(frozen=True)
class DriverProgress:
    """One driver to date."""

    id: str
    name: str
    promised: Decimal
    realized: Decimal
    not_measured: tuple[str, ...]  # the periods it was not measured in while others were

    @property
    def ratio(self) -> Decimal | None:
        return self.realized / self.promised if self.promised > 0 else None


@dataclass(frozen=True)
class Progress:
    """Promised against realized, to date, for a won deal: every figure of the Value Report."""

    promise: Case  # the business case of the version the CFO received
    sent: date
    start: date
    end: date  # the last day of the horizon
    cadence: str
    owner: str
    periods: tuple[PeriodProgress, ...]  # the contract's first period through the latest measured
    drivers: tuple[DriverProgress, ...]
    measured: tuple[Measured, ...]
    promised_total: Decimal  # over the whole horizon
    next_period: str | None  # the next period to measure, if the contract runs that long
    next_review: date | None  # when that period's figures are due
    uncounted: tuple[Uncounted, ...]  # measurements that count toward nothing
    renewal: date | None
    promised_start: tuple[str, date] | None  # the version sent's contract start, and its key (finance.go_live or signed)

    @property
    def promised_to_date(self) -> Decimal:
        return sum((p.promised for p in self.periods), ZERO)

    @property
    def realized_to_date(self) -> Decimal:
        return sum((p.realized for p in self.periods), ZERO)

    @property
    def ratio(self) -> Decimal | None:
        """Realized ÷ promised to date: None before anything was promised."""
        promised = self.promised_to_date
        return self.realized_to_date / promised if promised > 0 else None

    @property
    def names(self) -> dict[str, str]:
        """Each driver's name, by id."""
        return {d.id: d.name for d in self.drivers}

    @property
    def unconfirmed(self) -> tuple[Measured, ...]:
        return tuple(m for m in self.measured if not m.confirmed_by)

    def overdue(self, on: date) -> list[str]:
        """The periods whose figures were due before ``on`` and have no measurement."""
        measured = {m.period for m in self.measured}
        return [p.label for p in self._contract_periods() if p.review_due < on and p.label not in measured]

    def _contract_periods(self) -> list[Period]:
        first, last = _month(self.start), _month(self.end)
        found: list[Period] = []
        month = first
        while month <= last:
            found.append(period_of(month, self.cadence))
            month = found[-1].months[-1] + 1
        return found


def _month(day: date) -> int:
    return day.year * 12 + day.month - 1


def contract_start(deal: Deal) -> date | None:
    """When contract year 1 starts: go-live, else the signature."""
    return deal.finance.go_live or deal.signed


def start_key(deal: Deal) -> str:
    """The key that sets the contract start."""
    return "finance.go_live" if deal.finance.go_live else "signed"


def track(deal: Deal, promised: Deal, promised_case: Case, today: date) -> Progress:
    """The progress of ``deal`` against the promise (``promised``, the sent version, and its business case), measured
    in the periods over before ``today``."""
    assert deal.realization is not None
    start = contract_start(deal)
    assert start is not None
    plan, years = deal.realization, promised.finance.horizon_years
    first = _month(start)
    with localcontext(PRECISION):
        monthly = {d.id: line.values for d, line in zip(promised.value, promised_case.benefit_lines, strict=True)}

        def promise(p: Period, driver: str) -> Decimal:
            values = monthly.get(driver)
            year_of = [(m - first) // 12 + 1 for m in p.months if 0 <= m - first < 12 * years]
            return sum((values[y] / TWELVE for y in year_of), ZERO) if values else ZERO

        def in_contract(p: Period) -> int:
            return sum(1 for m in p.months if 0 <= m - first < 12 * years)

        measured: list[Measured] = []
        uncounted: list[Uncounted] = []
        for index, m in enumerate(plan.measurements):
            p = period(m.period)
            if in_contract(p) == 0 or p.last >= today:
                uncounted.append(Uncounted(index, "outside" if in_contract(p) == 0 else "unfinished"))
            elif isinstance(money := _money(deal, promised, m, Decimal(in_contract(p)), index), Measured):
                measured.append(money)
            else:
                uncounted.append(money)
        names = {d.id: d.name for d in promised.value} | {d.id: d.name for d in deal.value}
        ids = list(monthly)
        end_month = first + 12 * years - 1
        latest = max((period(m.period).first_month for m in measured), default=None)
        shown = []
        if latest is not None:
            month = first
            while month <= min(latest + MONTHS[plan.cadence] - 1, end_month):
                p = period_of(month, plan.cadence)
                here = [m for m in measured if m.period == p.label]
                seen = {m.driver for m in here} if here else set(ids)  # in a period nobody measured, each realized nothing
                per_driver = {d: (promise(p, d), sum((m.amount for m in here if m.driver == d), ZERO) if d in seen else None) for d in ids}
                counted = [(promised_, realized) for promised_, realized in per_driver.values() if realized is not None]
                shown.append(
                    PeriodProgress(p.label, sum((c[0] for c in counted), ZERO), sum((c[1] for c in counted), ZERO), per_driver, bool(here))
                )
                month = p.months[-1] + 1
        after = (shown and period(shown[-1].label).months[-1] + 1) or first
        next_period = period_of(after, plan.cadence) if after <= end_month else None
        end_year, end_month_index = divmod(end_month, 12)
        return Progress(
            promise=promised_case,
            sent=deal.sent.date if deal.sent else start,
            start=start,
            end=date(end_year, end_month_index + 1, calendar.monthrange(end_year, end_month_index + 1)[1]),
            cadence=plan.cadence,
            owner=plan.owner,
            periods=tuple(shown),
            drivers=tuple(
                DriverProgress(
                    d,
                    names[d],
                    sum((p.drivers[d][0] for p in shown if p.drivers[d][1] is not None), ZERO),
                    sum((p.drivers[d][1] or ZERO for p in shown), ZERO),
                    tuple(p.label for p in shown if p.drivers[d][1] is None),
                )
                for d in ids
            ),
            measured=tuple(measured),
            promised_total=sum((sum(values, ZERO) for values in monthly.values()), ZERO),
            next_period=next_period.label if next_period else None,
            next_review=next_period.review_due if next_period else None,
            uncounted=tuple(uncounted),
            renewal=plan.renewal,
            promised_start=(start_key(promised), sent_start) if (sent_start := contract_start(promised)) else None,
        )


def _money(deal: Deal, promised: Deal, m: Measurement, months: Decimal, index: int) -> Measured | Uncounted:
    """A measurement in money, by the version sent alone — its result's baseline, its driver's form and rate — so no later
    edit can move realized value: a measured result through the rate of the sent driver that uses it; a measured driver's
    annual amount for the months counted."""
    if m.result is not None:
        driver_id = m.driver or next(d.id for d in deal.value if d.result == m.result and d.form == "rate")  # validated: one
        result = next((r for r in promised.poc.results if r.id == m.result), None)
        driver: Driver | None = next((d for d in promised.value if d.id == driver_id), None)
        if result is None or driver is None:
            return Uncounted(index, "result" if result is None else "driver")
        if driver.result != result.id or driver.rate is None:
            return Uncounted(index, "form", driver.id)
        assert m.value is not None and m.volume is not None
        gain = result.before - m.value if result.better == "lower" else m.value - result.before
        amount = gain * m.volume * driver.rate
        return Measured(m.period, driver.id, amount, result.id, m.value, m.volume, None, m.evidence, m.confirmed_by, result.before)
    assert m.driver is not None and m.annual is not None
    if all(d.id != m.driver for d in promised.value):
        return Uncounted(index, "driver")
    amount = m.annual * months / TWELVE
    return Measured(m.period, m.driver, amount, None, None, None, m.annual, m.evidence, m.confirmed_by)
