"""A team's reporting currency: each deal keeps its own currency; totals across currencies, and the CRM export's
converted twins, are in one currency at rates the team writes (``[reporting]`` in ``dealbrief.toml``, as of a date).

A deal in a currency without a rate is never silently left out of a total: it is named as not converted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Reporting:
    """The currency totals are reported in, and what one unit of each other currency is worth in it."""

    currency: str
    rates: Mapping[str, Decimal] = field(default_factory=dict)  # EUR = 1.08: one euro is 1.08 of the reporting currency
    rates_date: date | None = None  # the day the rates are from

    def rate(self, currency: str) -> Decimal | None:
        """What one unit of ``currency`` is worth in the reporting currency; None without a rate."""
        return Decimal(1) if currency == self.currency else self.rates.get(currency)

    def converted(self, amount: Decimal | None, currency: str) -> Decimal | None:
        """``amount`` in ``currency``, in the reporting currency (unrounded); None without an amount or a rate."""
        rate = self.rate(currency)
        return None if amount is None or rate is None else amount * rate
