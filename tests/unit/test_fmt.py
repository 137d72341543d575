"""Display formatting: the one place figures are rounded, half-up, in the deal's locale."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from dealbrief import fmt


@pytest.mark.parametrize(
    ("amount", "currency", "locale", "shown"),
    [
        (D("884814.50"), "USD", "en_US", "$884,815"),  # half-up, not banker's rounding
        (D("884813.50"), "USD", "en_US", "$884,814"),
        (D("-510000"), "USD", "en_US", "-$510,000"),
        (D("4287578.4"), "EUR", "de_DE", "4.287.578\xa0€"),
        (D("549000"), "GBP", "en_GB", "£549,000"),
        (D("1234567"), "JPY", "ja_JP", "￥1,234,567"),
    ],
)
def test_money_in_whole_units(amount: D, currency: str, locale: str, shown: str) -> None:
    assert fmt.money(amount, currency, locale) == shown


def test_percent_months_and_dates() -> None:
    assert fmt.percent(D("0.6479"), "en_US") == "65%"
    assert fmt.percent(D("0.6479"), "de_DE") == "65\xa0%"
    assert fmt.percent(D("0.125"), "en_US", 1) == "12.5%"
    assert fmt.percent(None, "en_US") == "n/a"
    assert fmt.months(D("19.789"), "en_US") == "19.8 months"
    assert fmt.months(D("14.05"), "de_DE") == "14,1 months"
    assert fmt.months(D(0), "en_US") == "immediately"
    assert fmt.months(D("1"), "en_US") == "1 month" and fmt.months(D("1.04"), "en_US") == "1 month"  # as shown: "1"
    assert fmt.months(D("0.96"), "en_US") == "1 month" and fmt.months(D("1.05"), "en_US") == "1.1 months"
    assert fmt.months(D("0.5"), "en_US") == "0.5 months" and fmt.months(D("2"), "en_US") == "2 months"
    assert fmt.months(None, "en_US") == "not within the horizon"
    assert fmt.month(date(2028, 5, 25), "en_US") == "May 2028"
    assert fmt.ratio(D("2.4011"), "en_US") == "2.4×"


def test_huge_and_tiny_figures_format_instead_of_raising() -> None:
    """Decimal's default 28 digits cannot round 10^30 to whole units; display formatting must (a valid deal can produce it)."""
    assert fmt.money(D("1e30"), "USD", "en_US") == "$1,000,000,000,000,000,000,000,000,000,000"
    assert fmt.percent(D("1e40"), "en_US") == "1" + ",000" * 14 + "%"
    assert fmt.months(D("1e-30"), "en_US") == "under 0.1 months"


@pytest.mark.parametrize(
    ("value", "currency", "locale", "shown"),
    [
        (D("1125"), "USD", "en_US", "$1,125"),  # whole: no .00
        (D("0.8"), "EUR", "en_IE", "€0.80"),  # at least the currency's decimals
        (D("0.004"), "USD", "en_US", "$0.004"),  # a price of a fraction of a cent is never shown as $0.00
        (D("1200.50"), "EUR", "de_DE", "1.200,50\xa0€"),
    ],
)
def test_a_price_as_it_was_priced(value: D, currency: str, locale: str, shown: str) -> None:
    assert fmt.amount(value, currency, locale) == shown


@pytest.mark.parametrize(
    ("months", "shown"),
    [
        (D("0.012"), "under 0.1 months"),
        (D("0.05"), "0.1 months"),
        (D(0), "immediately"),
        (D(1), "1 month"),
        (None, "not within the horizon"),
    ],
)
def test_payback_never_reads_zero_months(months: D | None, shown: str) -> None:
    assert fmt.months(months, "en_US") == shown


def test_swiss_figures_keep_their_groups_past_a_million() -> None:
    """CLDR 48 groups Swiss figures with an ASCII apostrophe, which Babel reads as its own quotes and drops: 1500000."""
    assert fmt.money(D(1500000), "EUR", "de_CH") == "EUR\xa01'500'000"
    assert fmt.money(D(-1234567890), "CHF", "fr_CH") == "-1'234'567'890\xa0CHF"
    assert fmt.money(D(884815), "CHF", "de_CH") == "CHF\xa0884'815"
    assert fmt.amount(D("1234567.5"), "CHF", "it_CH") == "CHF\xa01'234'567.50"
    assert fmt.number(D("12345678.25"), "de_CH") == "12'345'678.3"
    assert fmt.percent(D("12345.678"), "de_CH") == "1'234'568%"
    assert fmt.money(D(1500000), "EUR", "de_DE") == "1.500.000\xa0€"  # every other locale as Babel lays it out


@pytest.mark.parametrize(
    ("locale", "language", "day", "month", "quarter", "monthly"),
    [
        ("de_DE", "de", "1. August 2026", "Mai 2028", "Q2\xa02027", "März 2027"),
        ("de_CH", "fr", "1er août 2026", "mai 2028", "T2\xa02027", "mars 2027"),  # French words, Swiss layout (fr_CH)
        ("es_ES", "es", "1 de agosto de 2026", "mayo de 2028", "T2\xa02027", "marzo de 2027"),
        ("de_DE", "en", "1 August 2026", "May 2028", "Q2\xa02027", "March 2027"),  # the team's English pages (en_DE)
        ("en_US", "de", "1. August 2026", "Mai 2028", "Q2\xa02027", "März 2027"),  # no de_US: German's own layout
        ("it_IT", "it", "1º agosto 2026", "maggio 2028", "T2\xa02027", "marzo 2027"),  # the first as an ordinal
        ("pt_BR", "pt", "1º de agosto de 2026", "maio de 2028", "T2\xa0de\xa02027", "março de 2027"),
        ("nl_NL", "nl", "1 augustus 2026", "mei 2028", "K2\xa02027", "maart 2027"),
    ],
)
def test_dates_and_periods_are_said_in_the_language_of_the_words_around_them(
    locale: str, language: str, day: str, month: str, quarter: str, monthly: str
) -> None:
    assert fmt.long_date(date(2026, 8, 1), locale, language) == day
    assert fmt.month(date(2028, 5, 25), locale, language) == month
    assert fmt.period("2027-Q2", locale, language) == quarter
    assert fmt.period("2027-03", locale, language) == monthly
    assert fmt.period("2027", locale, language) == "2027"


def test_a_rate_is_shown_as_the_deal_states_it() -> None:
    assert [fmt.rate(D(r), "de_DE") for r in ("0.08", "0.075", "0.0325", "0.030", "0.123456")] == [
        "8\xa0%",
        "7,5\xa0%",  # never rounded to 8 %: the CFO checks the discount rate against their own
        "3,25\xa0%",
        "3\xa0%",  # never 3,0 %
        "12,35\xa0%",
    ]
