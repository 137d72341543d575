"""Display formatting: the only place figures are rounded (half-up), with Babel for the deal's locale."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent


def whole(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def money(amount: Decimal, currency: str, locale: str) -> str:
    """Whole currency units, half-up: ``$884,815``."""
    return format_currency(whole(amount), currency, locale=locale, format="¤#,##0", currency_digits=False)


def percent(ratio: Decimal | None, locale: str, digits: int = 0) -> str:
    """``0.6479`` -> ``65%``; ``n/a`` when there is no ratio."""
    if ratio is None:
        return "n/a"
    quantum = Decimal(1).scaleb(-(digits + 2))
    pattern = "#,##0%" if not digits else "#,##0." + "0" * digits + "%"
    return format_percent(ratio.quantize(quantum, rounding=ROUND_HALF_UP), pattern, locale=locale, decimal_quantization=False)


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
