"""The engine: each convention checked on numbers worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from dealbrief.engine.compute import add_months, payback_months, present_value

from ..conftest import DELETE

# One driver of 100,000 a year, no ramp, no realization haircut; 150,000 a year, in advance; 10 %.
SIMPLE = {
    "value": [{"id": "a", "name": "A", "annual": 100000, "basis": "x"}],
    "costs": {"subscription": 50000, "one_time": [{"name": "Setup", "amount": 20000}]},
    "poc.results": [],
    "stage": "discovery",
    "poc.technical_win": DELETE,
}


def same(a: D, b: D) -> bool:
    """Equal to 12 decimal places: the engine divides at 34 digits, these hand checks at 28."""
    return abs(a - b) < D("1e-12")


def case(run, changes: dict):
    report = run({**SIMPLE, **changes})
    assert report.valid, report.problems
    return report.case


def test_present_value_is_numpy_financial_npv_not_excel() -> None:
    # numpy_financial.npv(0.1, [-100, 50, 60, 70]) = 47.63335837...
    assert present_value([D(-100), D(50), D(60), D(70)], D("0.1")).quantize(D("0.00000001")) == D("47.63335838")


@pytest.mark.parametrize(
    ("net", "months"),
    [
        ((D(10), D(-5)), D(0)),  # ahead from day one
        ((D(-100), D(50), D(100)), D(18)),  # 12 + 12 * 50 / 100
        ((D(-120), D(120)), D(12)),  # exactly at the end of year 1
        ((D(-100), D(30), D(30), D(30)), None),  # never within the horizon
        ((D(0), D(-10), D(20)), D(18)),  # nothing at time 0 (in arrears), behind in year 1: 12 + 12 * 10 / 20
        ((D(0), D(-200), D(-140), D(240)), None),  # starts at 0 and is never back: not "immediately"
        ((D(-10), D(20), D(-30), D(40)), D(30)),  # ahead after year 1, behind again after year 2: 24 + 12 * 20 / 40
        ((D(-60), D(-60), D(240)), D(18)),  # a worse first year: 12 + 12 * 120 / 240
        ((D(0), D(0), D(0)), None),  # no cash flow at all: nothing pays back, nothing "pays for itself from the start"
    ],
)
def test_payback_interpolates_within_the_year(net: tuple[D, ...], months: D | None) -> None:
    assert payback_months(net) == months


def test_in_advance_billing(run) -> None:
    c = case(run, {})
    assert c.costs == (D(70000), D(50000), D(50000), D(0))
    assert c.benefits == (D(0), D(100000), D(100000), D(100000))
    pv_costs = D(70000) + D(50000) / D("1.1") + D(50000) / D("1.21")
    pv_benefits = D(100000) / D("1.1") + D(100000) / D("1.21") + D(100000) / D("1.331")
    assert same(c.pv_costs, pv_costs) and same(c.pv_benefits, pv_benefits)
    assert same(c.npv, pv_benefits - pv_costs) and same(c.roi, (pv_benefits - pv_costs) / pv_costs)
    assert c.payback_months == 12 + 12 * D(20000) / D(50000)  # N_0 = -70k, N_1 = -20k, year 2 nets +50k
    assert c.total_costs == D(170000) and c.total_benefits == D(300000)


def test_in_arrears_billing(run) -> None:
    c = case(run, {"costs.billing": "in-arrears"})
    assert c.costs == (D(20000), D(50000), D(50000), D(50000))
    assert c.payback_months == 12 * D(20000) / D(50000)


def test_escalator_raises_a_scalar_price_each_year(run) -> None:
    c = case(run, {"costs.escalator": 0.1})
    assert c.cost_lines[0].values == (D(50000), D("55000.0"), D("60500.00"), D(0))
    assert c.annual_cost == D("60500.00")


def test_price_per_year_and_recurring_lists(run) -> None:
    c = case(run, {"costs.subscription": [10, 20, 30], "costs.recurring": [{"name": "Admin", "amount": [1, 2, 3]}]})
    assert c.costs == (D(20010), D(21), D(32), D(3))


def test_realization_and_ramp(run) -> None:
    c = case(run, {"value": [{"id": "a", "name": "A", "annual": 100000, "realization": 0.5, "ramp": [0.2, 0.6, 1], "basis": "x"}]})
    assert c.benefits == (D(0), D("10000.0"), D("30000.0"), D("50000.0"))
    assert c.annual_gross == D(100000) and c.annual_benefit == D("50000.0")


def test_result_driver_is_gain_times_volume_times_rate(run) -> None:
    report = run({})  # CLEAN: 10h -> 2h, 20 a year, 5,000 an hour, 80 % realized
    assert report.case.annual_gross == D(8 * 20 * 5000)
    assert report.case.annual_benefit == D(8 * 20 * 5000) * D("0.8")
    assert report.case.improvements == {"rca-time": D("0.8")}


def test_higher_is_better_results(run) -> None:
    report = run({"poc.results.0.better": "higher", "poc.results.0.before": 100, "poc.results.0.after": 150, "poc.results.0.target": 120})
    assert report.case.improvements == {"rca-time": D("0.5")}
    assert report.case.annual_gross == D(50 * 20 * 5000)


def test_annual_list_per_year(run) -> None:
    c = case(run, {"value": [{"id": "a", "name": "A", "annual": [1, 2, 3], "basis": "x"}]})
    assert c.benefits == (D(0), D(1), D(2), D(3)) and c.annual_benefit == D(3)


def test_break_even_realization_gives_zero_npv(run) -> None:
    c = case(run, {"value.0.realization": 0.7})
    # break-even replaces each driver's realization: PV costs / PV of the proved (unadjusted) benefits
    assert same(c.break_even_realization, c.pv_costs / (D(100000) / D("1.1") + D(100000) / D("1.21") + D(100000) / D("1.331")))
    at_break_even = case(run, {"value.0.realization": float(c.break_even_realization.quantize(D("0.000001")))})
    assert abs(at_break_even.npv) < 1


def test_price_defense_facts(run) -> None:
    c = case(run, {"costs.list_price": 62500, "costs.recurring": [{"name": "Admin", "amount": 10000}]})
    assert c.discount == D("0.2")
    assert c.value_to_price == D(2)
    assert same(c.cost_of_delay, (D(100000) - D(60000)) / 12)


def test_no_subscription_or_list_price(run) -> None:
    c = case(run, {"costs.subscription": 0})
    assert c.value_to_price is None and c.discount is None


def test_no_costs_gives_no_roi(run) -> None:
    c = case(run, {"costs": {"subscription": 0}})
    assert c.roi is None and c.payback_months == 0


def test_discount_rate_and_horizon(run) -> None:
    c = case(run, {"finance": {"horizon_years": 1, "discount_rate": 0}})
    assert c.costs == (D(70000), D(0)) and c.npv == D(30000) and c.payback_months == D("8.4")


def test_payback_date_from_go_live(run) -> None:
    c = case(run, {"costs.billing": "in-arrears", "finance": {"go_live": date(2026, 10, 1)}})
    assert c.payback_months == D("4.8") and c.payback_date == date(2027, 2, 23)


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(date(2026, 1, 31), D(1)) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 15), D(2)) == date(2027, 1, 15)


def test_money_stays_decimal(run) -> None:
    c = run({}).case
    money = [
        c.pv_costs,
        c.pv_benefits,
        c.npv,
        c.roi,
        c.payback_months,
        c.total_costs,
        c.total_benefits,
        c.annual_benefit,
        c.break_even_realization,
        c.cost_of_delay,
        *c.costs,
        *c.benefits,
    ]
    assert all(isinstance(v, D) for v in money)


def test_northwind_as_in_the_spec(run) -> None:
    """The Northwind example deal, worked by hand in the README."""
    from ..conftest import ROOT

    text = (ROOT / "deals" / "northwind-incident-analytics.yaml").read_text(encoding="utf-8")
    c = run(text, deal_id="northwind-incident-analytics").case
    assert c.costs == (D(510000), D(480000), D(480000), D(30000))
    assert c.benefits == (D(0), D("600240"), D("1080480"), D("1080480"))
    assert c.pv_costs.quantize(D("0.01")) == D("1365597.30")
    assert c.pv_benefits.quantize(D("0.01")) == D("2250412.02")
    assert c.npv.quantize(D("0.01")) == D("884814.73")
    assert c.roi.quantize(D("0.0001")) == D("0.6479")
    assert c.payback_months.quantize(D("0.01")) == D("19.79")  # 12 + 12 * 389,760 / 600,480
    assert c.payback_date == date(2028, 5, 25)
    assert c.discount == D("0.1") and c.cost_of_delay == D("50040")
