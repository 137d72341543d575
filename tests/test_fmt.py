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
    assert fmt.months(None, "en_US") == "not within the horizon"
    assert fmt.month(date(2028, 5, 25), "en_US") == "May 2028"
    assert fmt.ratio(D("2.4011"), "en_US") == "2.4×"
