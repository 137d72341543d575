"""Display formatting: the only place figures are rounded (half-up), with Babel for the deal's locale."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import NumberPattern, format_currency, format_decimal, format_percent


def whole(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def money(amount: Decimal, currency: str, locale: str) -> str:
    """Whole currency units, half-up, laid out as the locale does: ``$884,815``, ``884.815 €``."""
    return format_currency(whole(amount), currency, locale=locale, format=_with_digits(locale, "currency", 0), currency_digits=False)


def amount(value: Decimal, currency: str, locale: str) -> str:
    """Money with the currency's usual decimals (half-up), for rates and prices per unit: ``€0.80``."""
    return format_currency(value, currency, locale=locale, decimal_quantization=True)


@cache
def _with_digits(locale: str, kind: str, digits: int) -> NumberPattern:
    """The locale's own currency or percent layout, with exactly ``digits`` decimals."""
    formats = Locale.parse(locale).currency_formats if kind == "currency" else Locale.parse(locale).percent_formats
    pattern = copy.copy(formats["standard" if kind == "currency" else None])
    pattern.frac_prec = (digits, digits)
    return pattern


def percent(ratio: Decimal | None, locale: str, digits: int = 0) -> str:
    """``0.6479`` -> ``65%``; ``n/a`` when there is no ratio."""
    if ratio is None:
        return "n/a"
    quantum = Decimal(1).scaleb(-(digits + 2))
    return format_percent(ratio.quantize(quantum, rounding=ROUND_HALF_UP), _with_digits(locale, "percent", digits), locale=locale)


def number(value: Decimal, locale: str, digits: int = 1) -> str:
    """A plain number, at most ``digits`` decimals, half-up: ``19.8``."""
    rounded = value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP).normalize()
    return format_decimal(rounded, locale=locale, decimal_quantization=False)


def months(value: Decimal | None, locale: str) -> str:
    """Payback as people say it: ``19.8 months``, ``immediately``, or ``not within the horizon``."""
    if value is None:
        return "not within the horizon"
    if value == 0:
        return "immediately"
    return f"{number(value, locale)} months"


def month(day: date, locale: str) -> str:
    """``May 2028``."""
    return format_date(day, "MMMM y", locale=locale)


def long_date(day: date, locale: str) -> str:
    return format_date(day, "long", locale=locale)


def ratio(value: Decimal | None, locale: str) -> str:
    """``2.4×``."""
    return "n/a" if value is None else f"{number(value, locale)}×"


@dataclass(frozen=True)
class Formatter:
    """These functions bound to one deal's currency and locale (templates call ``f.money(x)``)."""

    currency: str
    locale: str

    def money(self, amount: Decimal) -> str:
        return money(amount, self.currency, self.locale)

    def pct(self, ratio: Decimal | None, digits: int = 0) -> str:
        return percent(ratio, self.locale, digits)

    def months(self, value: Decimal | None) -> str:
        return months(value, self.locale)

    def month(self, day: date) -> str:
        return month(day, self.locale)

    def day(self, day: date) -> str:
        return long_date(day, self.locale)

    def amount(self, value: Decimal) -> str:
        """Money with the currency's usual decimals, for rates: ``€0.80``."""
        return amount(value, self.currency, self.locale)

    def num(self, value: Decimal, digits: int = 1) -> str:
        return number(value, self.locale, digits)

    def times(self, value: Decimal | None) -> str:
        return ratio(value, self.locale)
