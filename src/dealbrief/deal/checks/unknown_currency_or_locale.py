"""Amounts are shown in the deal's currency and its figures and dates written in its locale: an unknown currency code or
locale would leave the CFO's summary without either, and a locale written in a script no font of the PDFs has would
print boxes instead of words."""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.numbers import get_currency_name, list_currencies

from ...errors import found
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
        yield ("currency",), f"expected {PATTERNS['currency']}, found {found(deal.currency)}{currency_hint(deal.currency)}"
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


# The currencies people mean most often, first among equals; a sign or a common name typed for a code means its currency.
COMMON = ("USD", "EUR", "GBP", "JPY", "CNY", "CHF", "CAD", "AUD", "INR", "SEK", "NOK", "DKK", "SGD", "HKD", "NZD", "BRL", "MXN")
SIGNS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "円": "JPY", "元": "CNY", "RMB": "CNY", "₹": "INR", "SFR": "CHF"}


def currency_hint(typed: str) -> str:
    """``; did you mean JPY?`` for a currency typed as people say it (``YEN``, ``usd``, ``EURO``, ``€``, ``UDS``), or ''."""
    meant = closest_currencies(typed)
    return f"; did you mean {' or '.join(meant)}?" if meant else ""


def closest_currencies(typed: str) -> list[str]:
    """The ISO 4217 codes ``typed`` most likely means, commonest first (at most three)."""
    text = typed.strip()
    upper = text.upper()
    if upper in _current() and upper != text:
        return [upper]
    if upper in SIGNS:
        return [SIGNS[upper]]
    word = re.sub(r"S$", "", upper)  # euros, dollars
    named = [code for code, name in _current().items() if word and word in re.split(r"[^A-Z]+", name.upper())]
    if named:
        return sorted(named, key=_commonest)[:3]
    if len(upper) != 3:
        return []
    scored = [(difflib.SequenceMatcher(None, upper, code).ratio() + (sorted(upper) == sorted(code)), code) for code in _current()]
    best = max((score for score, _ in scored), default=0)
    return sorted((code for score, code in scored if score == best >= 0.6), key=_commonest)[:1]


def _commonest(code: str) -> tuple[int, str]:
    return (COMMON.index(code) if code in COMMON else len(COMMON), code)


def in_use() -> Collection[str]:
    """The ISO 4217 codes of the currencies some territory uses today."""
    return _current().keys()


@cache
def _current() -> dict[str, str]:
    """The currencies some territory uses today (legal tender, not historic), by code, with their English names."""
    used = {
        code
        for spans in get_global("territory_currencies").values()
        for code, _start, end, tender in spans
        if end is None and tender and code in list_currencies()
    }
    return {code: get_currency_name(code, locale="en") for code in sorted(used)}
