"""Figures as people and machines read them: the only place figures are rounded (half-up, never to a negative zero),
shown with Babel in the deal's locale or as plain decimals (:func:`plain`) for JSON, CSV and the diff.

Every function formats at a precision wide enough for any figure a valid deal can produce (an ROI
of 10^40 % from a near-zero cost included): Decimal's default 28 digits would raise instead.
"""

from __future__ import annotations

import copy
import gettext
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from functools import cache, lru_cache, wraps
from typing import ParamSpec, TypeVar

from babel import Locale, localedata
from babel.core import get_global
from babel.dates import format_date, format_skeleton
from babel.numbers import NumberPattern, format_currency, format_decimal, format_percent, get_group_symbol

WHOLE_PART = re.compile(r"\d(?:'?\d)*")  # the first run of digits, with any group apostrophes Babel left
DISPLAY = Context(prec=120, rounding=ROUND_HALF_UP)
ENGLISH = gettext.NullTranslations()  # the messages as written; other languages come as catalogs
P = ParamSpec("P")
R = TypeVar("R")


def exact(function: Callable[P, R]) -> Callable[P, R]:
    """Run ``function`` at the display precision."""

    @wraps(function)
    def at_display_precision(*args: P.args, **kwargs: P.kwargs) -> R:
        with localcontext(DISPLAY):
            return function(*args, **kwargs)

    return at_display_precision


# A plain figure's precision by its kind: money and months to the hundredth, ratios (a percent, a multiple) to 4 places.
PLACES = {"money": Decimal("0.01"), "months": Decimal("0.01"), "percent": Decimal("0.0001"), "times": Decimal("0.0001")}


@exact
def rounded(value: Decimal, quantum: Decimal) -> Decimal:
    """``value`` to ``quantum``, half-up; never a negative zero (an NPV of -0.4 is $0, not -$0)."""
    result = value.quantize(quantum, rounding=ROUND_HALF_UP)
    return result if result else result.copy_abs()


def plain(value: Decimal | None, kind: str) -> Decimal | None:
    """A figure for machines (``show --json``, the CRM export, ``diff``): rounded as its kind is in :data:`PLACES`."""
    return None if value is None else rounded(value, PLACES[kind])


def whole(amount: Decimal) -> Decimal:
    return rounded(amount, Decimal(1))


@lru_cache(maxsize=1 << 16)  # a deal's figures recur on its pages and PDFs; Babel lays out each one slowly
@exact
def money(amount: Decimal, currency: str, locale: str) -> str:
    """Whole currency units, half-up, laid out as the locale does: ``$884,815``, ``884.815 €``."""
    shown = format_currency(whole(amount), currency, locale=locale, format=_with_digits(locale, "currency", 0), currency_digits=False)
    return _regrouped(shown, locale)


def _regrouped(shown: str, locale: str) -> str:
    """``shown`` with its digit groups, where Babel dropped them: Swiss locales group with an ASCII apostrophe (CLDR 48),
    and Babel then reads the apostrophes of ``1'500'000`` as its pattern's quotes and removes them (``1500000``)."""
    if not _groups_with_apostrophe(locale):
        return shown
    return WHOLE_PART.sub(lambda digits: format(int(digits.group().replace("'", "")), ",").replace(",", "'"), shown, count=1)


@exact
def amount(value: Decimal, currency: str, locale: str, cents: bool = False) -> str:
    """Money as it was priced, for rates and prices per unit: ``€1,200`` when whole, else at least the currency's decimals
    and every decimal it was priced with: ``€0.80``, ``$0.004`` (never rounded to ``$0.00``).  With ``cents``, a whole
    amount too has the currency's decimals: ``$1.00`` beside ``$0.80``."""
    if value == value.to_integral_value() and not cents:
        return money(value, currency, locale)
    return _regrouped(format_currency(value.normalize(), currency, locale=locale, decimal_quantization=False), locale)


@cache
def _groups_with_apostrophe(locale: str) -> bool:
    return get_group_symbol(locale) == "'"


@cache
def _with_digits(locale: str, kind: str, digits: int) -> NumberPattern:
    """The locale's own currency or percent layout, with exactly ``digits`` decimals."""
    formats = Locale.parse(locale).currency_formats if kind == "currency" else Locale.parse(locale).percent_formats
    pattern = copy.copy(formats["standard" if kind == "currency" else None])
    pattern.frac_prec = (digits, digits)
    return pattern


@exact
def percent(ratio: Decimal | None, locale: str, digits: int = 0) -> str:
    """``0.6479`` -> ``65%``; ``n/a`` when there is no ratio."""
    if ratio is None:
        return "n/a"
    quantum = Decimal(1).scaleb(-(digits + 2))
    shown = format_percent(rounded(ratio, quantum), _with_digits(locale, "percent", digits), locale=locale)
    return _regrouped(shown, locale)


def rate(ratio: Decimal, locale: str) -> str:
    """A rate as the deal states it, to at most two decimals: ``8 %``, ``7,5 %``, ``3,25 %`` (never ``3,0 %``)."""
    exponent = (ratio * 100).normalize(DISPLAY).as_tuple().exponent
    return percent(ratio, locale, min(2, max(0, -exponent)) if isinstance(exponent, int) else 0)


@exact
def number(value: Decimal, locale: str, digits: int = 1) -> str:
    """A plain number, at most ``digits`` decimals, half-up: ``19.8``."""
    shown = rounded(value, Decimal(1).scaleb(-digits)).normalize()
    return _regrouped(format_decimal(shown, locale=locale, decimal_quantization=False), locale)


def month_count(value: Decimal, locale: str, translations: gettext.NullTranslations = ENGLISH) -> str:
    """``1 month``, ``19.8 months``: the number as shown decides the plural (a fraction takes the plural, as in English)."""
    shown, tenths = number(value, locale), rounded(value, Decimal("0.1"))
    count = int(tenths) if tenths == tenths.to_integral_value() else 2
    return translations.ngettext("%(count)s month", "%(count)s months", count) % {"count": shown}


def months(value: Decimal | None, locale: str, translations: gettext.NullTranslations = ENGLISH) -> str:
    """Payback as people say it: ``19.8 months``, ``1 month``, ``under 0.1 months``, ``immediately``, or ``not within the horizon``."""
    if value is None:
        return translations.gettext("not within the horizon")
    if value == 0:
        return translations.gettext("immediately")
    if value < Decimal("0.05"):  # would show as "0 months"
        return translations.gettext("under %(months)s") % {"months": month_count(Decimal("0.1"), locale, translations)}
    return month_count(value, locale, translations)


def quantities(
    quantity: Decimal | tuple[Decimal, ...], years: int, unit: str, locale: str, translations: gettext.NullTranslations = ENGLISH
) -> str:
    """Units per contract year as people say it: ``400 agents``, ``180 stores in year 1, 240 from year 2`` (without a
    ``unit``, where a heading names it: ``180 in year 1, 240 from year 2``)."""
    values = list(quantity) if isinstance(quantity, tuple) else [quantity] * years
    runs: list[tuple[Decimal, int, int]] = []  # value, first year, last year
    for year, value in enumerate(values, start=1):
        if runs and runs[-1][0] == value:
            runs[-1] = (value, runs[-1][1], year)
        else:
            runs.append((value, year, year))
    if len(runs) == 1:
        return f"{number(values[0], locale)} {unit}".rstrip()
    said = []
    for index, (value, first, last) in enumerate(runs):
        when = (
            translations.gettext("from year %(first)s")
            if index and last == years
            else translations.gettext("in year %(first)s")
            if first == last
            else translations.gettext("in years %(first)s–%(last)s")
        ) % {"first": first, "last": last}
        said.append(f"{number(value, locale)}{f' {unit}' if unit and not index else ''} {when}")
    return ", ".join(said)


def columns(years: int, translations: gettext.NullTranslations = ENGLISH) -> list[str]:
    """The cash flow's columns: ``Initial`` (time 0), then ``Year 1`` … ``Year N``."""
    return [translations.gettext("Initial"), *(translations.gettext("Year %(year)s") % {"year": year} for year in range(1, years + 1))]


@cache
def dates_in(locale: str, language: str) -> str:
    """The locale dates are written in: month names in ``language``, laid out as the locale's country does where CLDR
    knows that pair (``de_CH`` read in French: ``fr_CH``, "1 août 2026"), else as ``language`` does."""
    parsed = Locale.parse(locale)
    if parsed.language == language:
        return locale
    paired = f"{language}_{parsed.territory}"
    return paired if parsed.territory and localedata.exists(paired) else language


def month(day: date, locale: str, language: str = "en") -> str:
    """``May 2028``, ``mayo de 2028``: a month and its year as the language says them."""
    return format_skeleton("yMMMM", day, locale=dates_in(locale, language))


FIRST = {"fr": "1er", "it": "1º", "pt": "1º"}  # the first of a month as an ordinal, as these languages write it


def long_date(day: date, locale: str, language: str = "en") -> str:
    """``1 August 2026``, ``1er août 2026``, ``1º de agosto de 2026``: French, Italian and Portuguese say the first of a
    month as an ordinal, which CLDR's pattern does not."""
    shown = format_date(day, "long", locale=dates_in(locale, language))
    return FIRST[language] + shown[1:] if language in FIRST and day.day == 1 and shown.startswith("1 ") else shown


def period(label: str, locale: str, language: str = "en") -> str:
    """A measurement period as people say it: ``2027-Q2`` -> ``Q2 2027``, ``T2 2027``; ``2027-03`` -> ``March 2027``."""
    year, _, part = label.partition("-")
    if not part:
        return year
    if part.startswith("Q"):
        quarter = format_skeleton("yQQQ", date(int(year), int(part[1:]) * 3 - 2, 1), locale=dates_in(locale, language))
        return quarter.replace(" ", "\u00a0")  # "Q3 2027" never breaks across lines
    return month(date(int(year), int(part), 1), locale, language)


def ratio(value: Decimal | None, locale: str) -> str:
    """``2.4×``."""
    return "n/a" if value is None else f"{number(value, locale)}×"


@cache
def script(locale: str) -> str:
    """The script a locale writes in (CLDR's likely script: ``ja_JP`` → ``Jpan``, ``zh_TW`` → ``Hant``, ``ar_SA`` → ``Arab``)."""
    parsed = Locale.parse(locale)
    likely = get_global("likely_subtags")
    for tag in (f"{parsed.language}_{parsed.territory}", parsed.language):
        if tag in likely:
            return likely[tag].split("_")[1]
    return "Latn"


RIGHT_TO_LEFT = frozenset({"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg", "Mand", "Samr"})
FIRST_STRONG_ISOLATE, POP_ISOLATE = "\u2068", "\u2069"


@dataclass(frozen=True)
class Formatter:
    """These functions bound to one deal's currency and locale (templates call ``f.money(x)``).

    With ``isolate`` (pages and PDFs), a right-to-left locale's figures and dates are each set apart as a
    bidirectional isolate: in an English sentence "1 أغسطس 2026" would otherwise be read in the
    sentence's direction, and its parts shown out of order.
    """

    currency: str
    locale: str
    isolate: bool = False
    t: gettext.NullTranslations = ENGLISH  # the words around the figures, in the reader's language
    language: str = "en"  # the language of those words: month names follow it

    def _shown(self, text: str) -> str:
        if self.isolate and script(self.locale) in RIGHT_TO_LEFT:
            return FIRST_STRONG_ISOLATE + text + POP_ISOLATE
        return text

    def money(self, amount: Decimal) -> str:
        return self._shown(money(amount, self.currency, self.locale))

    def pct(self, ratio: Decimal | None, digits: int = 0) -> str:
        return self._shown(percent(ratio, self.locale, digits))

    def rate(self, ratio: Decimal) -> str:
        return self._shown(rate(ratio, self.locale))

    def months(self, value: Decimal | None) -> str:
        return self._shown(months(value, self.locale, self.t))

    def columns(self, years: int) -> list[str]:
        return columns(years, self.t)

    def month(self, day: date) -> str:
        return self._shown(month(day, self.locale, self.language))

    def day(self, day: date) -> str:
        return self._shown(long_date(day, self.locale, self.language))

    def period(self, label: str) -> str:
        return self._shown(period(label, self.locale, self.language))

    def amount(self, value: Decimal, cents: bool = False) -> str:
        """Money with the currency's usual decimals, for rates: ``€0.80`` (with ``cents``, ``€1.00`` too)."""
        return self._shown(amount(value, self.currency, self.locale, cents))

    def num(self, value: Decimal, digits: int = 1) -> str:
        return self._shown(number(value, self.locale, digits))

    def times(self, value: Decimal | None) -> str:
        return self._shown(ratio(value, self.locale))

    def quantities(self, quantity: Decimal | tuple[Decimal, ...], years: int, unit: str) -> str:
        return quantities(quantity, years, unit, self.locale, self.t)

    def yearly(self, values: tuple[Decimal, ...]) -> str:
        """A table cell's number for each contract year: ``400`` when every year has it, else ``150 / 225 / 250``."""
        shown = values[:1] if len(set(values)) == 1 else values
        return self._shown(" / ".join(number(value, self.locale) for value in shown))
