"""Amounts are shown in the deal's currency and its figures and dates written in its locale: an unknown currency code or
locale would leave the CFO's summary without either, and a locale written in a script no font of the PDFs has would
print boxes instead of words."""

from __future__ import annotations

from collections.abc import Collection
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.numbers import list_currencies

from ...writing import unsupported_locale
from ..model import Deal
from . import PATTERNS, Located, check


@check(
    "unknown-currency-or-locale",
    "The currency is not an ISO 4217 code, or the locale is unknown or written in a script the PDFs have no font for.",
    passing={"currency": "EUR", "locale": "de_DE"},
    failing={"currency": "XYZ"},
)
def currency_and_locale(deal: Deal, questions: Collection[str]) -> Located:
    if deal.currency not in _currencies():
        yield ("currency",), f"expected {PATTERNS['currency']}, found '{deal.currency}'"
    try:
        Locale.parse(deal.locale)
    except (UnknownLocaleError, ValueError):
        yield ("locale",), f"expected {PATTERNS['locale']}, found '{deal.locale}'"
        return
    if why := unsupported_locale(deal.locale):
        yield ("locale",), why


@cache
def _currencies() -> frozenset[str]:
    return frozenset(list_currencies())
