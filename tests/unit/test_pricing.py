"""Deals priced the way they are sold — per unit, ramped, perpetual — each worked by hand, and the downgrade in numbers.

Every expectation below is written out as the arithmetic a finance analyst would do on paper (in Decimal), not
read back from the engine.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal as D
from decimal import localcontext
from typing import Any

import pytest

from dealbrief.engine.compute import PRECISION, drawdown
from dealbrief.engine.config import Config
from dealbrief.engine.scenarios import scale_scenarios
from dealbrief.output.render import Renderer, price_terms
from dealbrief.output.show_json import figures

from ..conftest import DELETE, ROOT

DISCOVERY = {"stage": "discovery", "poc.technical_win": DELETE, "commercial": {}, "handoff": {}}


def close(a: D | None, b: D) -> bool:
    assert a is not None
    return abs(a - b) < D("1e-9")


def pv(flows: list[D], rate: D) -> D:
    with localcontext(PRECISION):
        return sum((flow / (1 + rate) ** t for t, flow in enumerate(flows)), D(0))


# --- 1. per store: 1,200 € per store a year, 180 stores in year 1 and 240 from year 2 -----------------------------------

STORES: dict[str, Any] = {
    **DISCOVERY,
    "currency": "EUR",
    "locale": "de_DE",
    "poc.results": [
        {"id": "forecast-error", "metric": "Forecast error", "unit": "%", "before": 31, "after": 18},
        {"id": "stock-outs", "metric": "Stock-outs per store", "unit": "stock-outs", "before": 400, "after": 232},
    ],
    "poc.scale": {"tested": 12, "planned": 240, "unit": "stores"},
    "value": [
        # "15 % less overstock write-off on 2.1 M€ a year", proved by the forecast-error result
        {
            "id": "overstock",
            "name": "Less overstock written off",
            "base": 2100000,
            "share": D("0.15"),
            "result": "forecast-error",
            "basis": "x",
        },
        # 168 stock-outs avoided per store a year, at 5 € each: follows the store count
        {"id": "stock-outs", "name": "Fewer stock-outs", "result": "stock-outs", "volume_per_unit": 1, "rate": 5, "basis": "x"},
    ],
    "costs": {
        "units": {"unit": "stores", "price": 1200, "list_price": 1500, "quantity": [180, 240, 240]},
        "billing": "in-advance",
        "one_time": [{"name": "Implementation", "amount": 85000}],
    },
    "finance": {"horizon_years": 3, "discount_rate": D("0.10")},
}


def test_a_deal_priced_per_store_worked_by_hand(run) -> None:
    case = run(STORES).case
    # price per year = 1,200 × stores: 216,000; 288,000; 288,000, paid at the start of each year (in advance)
    costs = [D(216000 + 85000), D(288000), D(288000), D(0)]
    # benefits: 2,100,000 × 15 % = 315,000 a year, plus 168 stock-outs × stores × 5 € = 840 € a store
    benefits = [D(0), D(315000 + 840 * 180), D(315000 + 840 * 240), D(315000 + 840 * 240)]
    assert list(case.costs) == costs and list(case.benefits) == benefits
    assert close(case.pv_costs, D(301000) + D(288000) / D("1.1") + D(288000) / D("1.21"))  # 800,834.71
    assert close(case.npv, pv(benefits, D("0.1")) - pv(costs, D("0.1")))  # 438,054.85
    assert round(case.npv, 2) == D("438054.85")
    # cumulative net: -301,000; -122,800 after year 1; year 2 nets 228,600: 12 + 12 × 122,800 / 228,600 months
    assert close(case.payback_months, D(12) + D(12) * D(122800) / D(228600))  # 18.45 months
    assert case.annual_price == D(288000) and case.contract_value == D(792000)
    assert close(case.value_to_price, D(516600) / D(288000))  # 1.79×
    assert close(case.discount, 1 - D(1200 * 180) / D(1500 * 180))  # 20 % off list


def test_the_downgrade_question_in_numbers(run) -> None:
    report = run({**STORES, "commercial": {"commitment": {"units": 180, "status": "verbal"}}})
    rows = {s.label: s for s in scale_scenarios(report.deal, report.case)}
    assert list(rows) == ["Tested in the POC", "Committed", "Half of the plan", "The plan"]
    plan, half, tested = rows["The plan"], rows["Half of the plan"], rows["Tested in the POC"]
    assert plan.case == report.case and plan.units == (180, 240, 240)
    # half the plan: every year's stores halved (90, 120, 120): the price halves, the per-store benefit halves, 315,000 stays
    assert half.units == (90, 120, 120) and half.case.contract_value == D(792000) / 2
    assert list(half.case.benefits) == [D(0), D(315000 + 840 * 90), D(315000 + 840 * 120), D(315000 + 840 * 120)]
    # the POC's 12 stores: 12 stores every year, not the ramp scaled to 9, 12, 12
    assert tested.units == (12, 12, 12) and tested.case.annual_price == D(1200 * 12)
    # 180 stores committed: 180 every year (the plan is 180 in year 1 too), not the ramp scaled to 135, 180, 180
    assert rows["Committed"].units == (180, 180, 180) and rows["Committed"].case.contract_value == D(1200 * 180 * 3)


def test_the_scale_question_quotes_the_downgrade(run) -> None:
    report = run({**STORES, "commercial": {"commitment": {"units": 180, "status": "verbal"}}})
    [question] = [q for q in report.review.questions if q.id == "scale-commitment"]
    committed = next(s for s in scale_scenarios(report.deal, report.case) if s.label == "Committed")

    def euros(amount: D) -> str:  # as de_DE writes them
        return f"{round(amount):,}".replace(",", ".") + "\xa0€"

    assert question.text.endswith(
        f"If they commit only 180 stores a year, the contract falls from {euros(792000)} to {euros(648000)} and their NPV rises "
        f"from {euros(report.case.npv)} to {euros(committed.case.npv)}."
    )
    assert committed.case.npv > report.case.npv  # here fewer stores cost more than they bring: the fixed 315,000 stays


# --- 2. a perpetual licence: 600,000 at signature, 20 % maintenance a year in advance, 5 years, 10 % ---------------------

LICENSE: dict[str, Any] = {
    **DISCOVERY,
    "poc.results": [],
    "value": [{"id": "run", "name": "Lower running costs", "annual": 300000, "basis": "x"}],
    "costs": {"license": {"amount": 600000, "list_price": 750000, "maintenance": D("0.20")}, "billing": "in-advance"},
    "finance": {"horizon_years": 5, "discount_rate": D("0.10")},
}


def test_a_perpetual_licence_worked_by_hand(run) -> None:
    case = run(LICENSE).case
    # time 0: the licence and year 1's maintenance (in advance); then 120,000 at the start of years 2 to 5
    assert list(case.costs) == [D(720000), D(120000), D(120000), D(120000), D(120000), D(0)]
    annuity4 = sum((1 / D("1.1") ** t for t in range(1, 5)), D(0))  # 3.16987
    annuity5 = sum((1 / D("1.1") ** t for t in range(1, 6)), D(0))  # 3.79079
    assert close(case.pv_costs, D(720000) + D(120000) * annuity4)  # 1,100,383.85
    assert close(case.npv, D(300000) * annuity5 - (D(720000) + D(120000) * annuity4))  # 36,852.18
    # cumulative net: -720,000, then +180,000 a year: back to zero exactly at the end of year 4
    assert case.payback_months == 48
    assert case.contract_value == D(600000 + 5 * 120000) and case.annual_price == D(120000)
    assert close(case.value_to_price, D("2.5")) and close(case.discount, D("0.2"))
    assert case.one_time_costs == D(600000)  # the licence is paid once
    assert [line.name for line in case.cost_lines] == ["Perpetual license", "Maintenance"]


# --- 3. a platform subscription and per-seat units, escalated 3 % a year, in arrears -------------------------------------

MIXED: dict[str, Any] = {
    **DISCOVERY,
    "poc.results": [],
    "value": [{"id": "time", "name": "Time saved", "annual": 400000, "basis": "x"}],
    "costs": {
        "subscription": 100000,
        "units": {"unit": "seats", "price": 500, "quantity": [100, 150, 200]},
        "escalator": D("0.03"),
        "billing": "in-arrears",
        "one_time": [{"name": "Onboarding", "amount": 20000}],
    },
    "finance": {"horizon_years": 3, "discount_rate": D("0.08")},
}


def test_a_subscription_with_per_seat_units_and_an_escalator_worked_by_hand(run) -> None:
    case = run(MIXED).case
    # year 1: 100,000 + 500 × 100; year 2: 103,000 + 515 × 150; year 3: 106,090 + 530.45 × 200; paid at each year's end
    years = [D(100000) + D(500) * 100, D(103000) + D(515) * 150, D(106090) + D("530.45") * 200]
    assert years == [D(150000), D(180250), D(212180)]
    assert list(case.costs) == [D(20000), *years]
    assert close(case.pv_costs, D(20000) + years[0] / D("1.08") + years[1] / D("1.1664") + years[2] / D("1.259712"))
    assert close(case.npv, pv([D(0), *[D(400000)] * 3], D("0.08")) - case.pv_costs)
    assert case.contract_value == sum(years) == D(542430) and case.annual_price == D(212180)
    assert case.discount is None  # no list price given
    assert [line.name for line in case.cost_lines] == ["Subscription", "Subscription per unit (seats)", "Onboarding"]


# --- the forms a driver takes, and the price a deal needs ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("driver", "message"),
    [
        ({"base": 100}, "value[0]: expected `base` and `share` together; missing share"),
        (
            {"rate": 3, "volume": 2, "volume_per_unit": 1, "result": "r"},
            "value[0].volume_per_unit: a driver has volume or volume_per_unit, not both",
        ),
        (
            {"rate": 3, "volume_per_unit": 1, "result": "r"},
            "value[0].volume_per_unit: volume_per_unit follows the units the deal is priced by, and there are none",
        ),
        (
            {"annual": 3, "share": D("0.1"), "base": 100},
            "value[0]: a driver has one form — result × volume × rate, base × share, or annual — not base × share and annual",
        ),
    ],
)
def test_each_driver_form_is_checked(run, driver: dict[str, Any], message: str) -> None:
    data = {**DISCOVERY, "poc.results": [{"id": "r", "metric": "M", "unit": "u", "before": 2, "after": 1}]}
    data["value"] = [{"id": "d", "name": "D", "basis": "x", **driver}]
    data["costs"] = {"subscription": 1000}
    assert any(str(p).split(": ", 1)[1].startswith(message) for p in run(data).problems), run(data).problems


def test_a_volume_may_be_one_number_per_year(run) -> None:
    data = {**DISCOVERY, "poc.results": [{"id": "r", "metric": "M", "unit": "u", "before": 3, "after": 1}]}
    data["value"] = [{"id": "d", "name": "D", "basis": "x", "result": "r", "volume": [10, 20, 30], "rate": 5}]
    data["costs"] = {"subscription": 1000}
    assert list(run(data).case.benefits) == [D(0), D(2 * 10 * 5), D(2 * 20 * 5), D(2 * 30 * 5)]


def test_a_driver_of_any_form_that_names_its_result_monetizes_it(run) -> None:
    report = run({**STORES, "stage": "technical-win", "poc.technical_win": {"date": date(2026, 8, 15), "confirmed_by": "x"}})
    assert report.valid, report.problems
    assert "DB101" not in {f.code for f in report.review.findings}


def test_a_technical_win_needs_a_price_and_a_project_needs_no_subscription(run) -> None:
    unpriced = run({"costs": {}})
    assert [p.key for p in unpriced.problems] == ["costs"] and "a price is required from stage technical-win on" in unpriced.problems[
        0
    ].message
    project = run({"costs": {"one_time": [{"name": "Build", "amount": 50000}], "recurring": [{"name": "Run", "amount": 5000}]}})
    assert project.valid and project.case.annual_price == 0 and project.case.value_to_price is None


def test_the_skeletons_commented_examples_are_valid_together(run) -> None:
    """`dealbrief new` shows each price element and driver form as a comment: uncommented, they make a valid deal."""
    skeleton = (ROOT / "src" / "dealbrief" / "skeleton.yaml").read_text(encoding="utf-8")
    uncommented = re.sub(r"^(  +)# (?= *(?:- |[a-z_]+:))", r"\1", skeleton, flags=re.M)
    uncommented = re.sub(r"^(\s*[a-z_]+): \[\]", r"\1:", uncommented, flags=re.M)
    report = run(uncommented)
    assert report.valid, report.problems
    assert [d.form for d in report.deal.value] == ["rate", "share", "annual"]
    assert [line.name for line in report.case.cost_lines] == [
        "Subscription",
        "Subscription per unit (agents)",
        "Committed spend (credits)",
        "Overage (credits)",
        "Perpetual license",
        "Maintenance",
        "Implementation services",
        "Platform administration",
    ]


def test_a_poc_that_counted_another_unit_gives_no_tested_row(run) -> None:
    """A POC in 2 stores says nothing about how many agents: no row would mean "2 agents"."""
    report = run({**STORES, "costs.units.unit": "agents"})
    assert report.deal.poc.scale and report.deal.poc.scale.unit == "stores"
    assert [s.label for s in scale_scenarios(report.deal, report.case)] == ["Half of the plan", "The plan"]


def test_price_times_quantity_stays_below_the_limit_of_every_amount(run) -> None:
    """Each may be just below 10^15; their product would be 10^30, beyond what any figure can show exactly."""
    big = D("999999999999999")
    report = run({**STORES, "costs.units": {"unit": "stores", "price": big, "quantity": [big, 1, 1]}})
    assert ("costs.units", "price × quantity is about 10^29 a year; deal") in [(p.key, p.message[:44]) for p in report.problems]
    assert run({**STORES, "costs.units": {"unit": "stores", "price": big, "quantity": [D("0.9"), 1, 1]}}).valid


# --- a commitment is units a year, never a scaled ramp -------------------------------------------------------------------

SEATS: dict[str, Any] = {
    "currency": "JPY",
    "poc.scale": {"tested": 10, "planned": 800, "unit": "seats"},
    "costs": {"units": {"unit": "seats", "price": 120000, "quantity": [200, 500, 800]}},  # 1,500 seat-years: ¥180,000,000
    "commercial": {"commitment": {"units": 200, "status": "verbal"}},
}


def test_a_commitment_of_200_seats_on_a_ramp_is_200_seats_a_year(run) -> None:
    """Two hundred seats a year for three years is 600 seat-years at ¥120,000: ¥72,000,000 (the ramp scaled by 200/800
    said ¥45,000,000); the POC's 10 seats are 10 every year, never 6.25."""
    report = run(SEATS)
    rows = {s.label: s for s in scale_scenarios(report.deal, report.case)}
    assert rows["Committed"].units == (200, 200, 200) and rows["Committed"].case.contract_value == 72000000
    assert rows["Tested in the POC"].units == (10, 10, 10) and rows["Tested in the POC"].case.contract_value == 3600000
    assert rows["Half of the plan"].units == (100, 250, 400)
    [question] = [q for q in report.review.questions if q.id == "scale-commitment"]
    assert "If they commit only 200 seats a year, the contract falls from ¥180,000,000 to ¥72,000,000 and their NPV rises from" in (
        question.text
    )
    shown = figures(report)["scale_scenarios"]
    assert [(s["label"], s["units"], D(s["contract_value"])) for s in shown][:2] == [
        ("Tested in the POC", [10, 10, 10], 3600000),
        ("Committed", [200, 200, 200], 72000000),
    ]


def test_a_commitment_written_per_year_is_taken_year_by_year_and_never_above_the_plan(run) -> None:
    report = run({**SEATS, "commercial.commitment.units": [200, 300, 900]})
    committed = next(s for s in scale_scenarios(report.deal, report.case) if s.label == "Committed")
    assert committed.units == (200, 300, 800) and committed.case.contract_value == 120000 * 1300
    [question] = [q for q in report.review.questions if q.id == "scale-commitment"]
    assert "If they commit only 200 seats in year 1, 300 in year 2, 800 from year 3, the contract falls from" in question.text
    assert "| Committed | 200 \\/ 300 \\/ 800 |" in Renderer().handoff(report)  # Markdown-escaped


def test_a_commitment_per_year_has_one_number_per_horizon_year(run) -> None:
    report = run({**SEATS, "commercial.commitment.units": [200, 300]})
    assert [(p.key, p.message) for p in report.problems] == [
        ("commercial.commitment.units", "expected one number per horizon year (3), found 2")
    ]


@pytest.mark.parametrize(
    ("before", "after", "said"), [(10, 5, "falls from ¥10 to ¥5"), (5, 10, "rises from ¥5 to ¥10"), (5, 5, "stays at ¥5")]
)
def test_the_verb_follows_the_figure(run, before: int, after: int, said: str) -> None:
    from dealbrief.engine.lint import Context
    from dealbrief.engine.rules import _moves

    report = run(SEATS)
    assert _moves("the contract", D(before), D(after), Context(report.deal, report.case, Config())) == f"the contract {said}"


# --- 4. consumption: a committed spend drawn down by usage, overage, rollover -------------------------------------------

CREDITS: dict[str, Any] = {
    **DISCOVERY,
    "poc.results": [{"id": "query-time", "metric": "Query time", "unit": "s", "before": 10, "after": 4}],
    "value": [{"id": "ops", "name": "Lower operations cost", "annual": 800000, "basis": "x"}],
    "costs": {
        "commit": {
            "unit": "credits",
            "amount": 300000,
            "rate": D("0.80"),
            "list_rate": D("1.00"),
            "overage_rate": D("1.00"),
            "usage": [300000, 450000, 500000],
        },
        "billing": "in-advance",
    },
    "finance": {"horizon_years": 3, "discount_rate": D("0.10")},
}


def test_a_commitment_drawn_down_by_usage_worked_by_hand(run) -> None:
    """Issue 26's example: $300,000 a year at $0.80 a credit (list $1.00), overage at $1.00, usage 300,000 / 450,000 /
    500,000 credits, in advance, no rollover, 10 %, 3 years.

    $300,000 buys 300,000 ÷ 0.80 = 375,000 credits a year.  Year 1: 300,000 credits are worth 300,000 × 0.80 = $240,000
    of the $300,000: $60,000 is lost.  Year 2: 450,000 × 0.80 = $360,000, $60,000 beyond the commitment = 450,000 −
    375,000 = 75,000 credits of overage × $1.00 = $75,000.  Year 3: 500,000 − 375,000 = 125,000 credits = $125,000.
    The commitment is paid at the start of each year (times 0, 1, 2), the overage at the end of its year (times 2, 3):
    costs 300,000 / 300,000 / 375,000 / 125,000, PV 300,000 + 300,000 ÷ 1.1 + 375,000 ÷ 1.21 + 125,000 ÷ 1.331 =
    976,558.98; against 800,000 a year of benefit (PV 1,989,481.59) an NPV of 1,012,922.61.  Contract value 3 × 300,000 =
    900,000; expected spend 1,100,000; discount 1 − 0.80 ÷ 1.00 = 20 %.
    """
    report = run(CREDITS)
    assert report.valid, report.problems
    case = report.case
    assert [(line.name, list(line.values)) for line in case.cost_lines] == [
        ("Committed spend (credits)", [D(300000), D(300000), D(300000), D(0)]),
        ("Overage (credits)", [D(0), D(0), D(75000), D(125000)]),
    ]
    costs = [D(300000), D(300000), D(375000), D(125000)]
    assert list(case.costs) == costs and case.total_costs == D(1100000)
    assert close(case.pv_costs, D(300000) + D(300000) / D("1.1") + D(375000) / D("1.21") + D(125000) / D("1.331"))
    assert close(case.npv, pv([D(0), *[D(800000)] * 3], D("0.1")) - case.pv_costs)
    assert round(case.pv_costs, 2) == D("976558.98") and round(case.npv, 2) == D("1012922.61")
    assert case.contract_value == D(900000) and case.annual_price == D(300000)
    assert case.discount == D("0.2")
    rows = drawdown(report.deal)
    assert [(r.used, r.unused, r.carried, r.overage_units, r.overage) for r in rows] == [
        (D(240000), D(60000), D(0), D(0), D(0)),
        (D(300000), D(0), D(0), D(75000), D(75000)),
        (D(300000), D(0), D(0), D(125000), D(125000)),
    ]


def test_a_commitment_with_rollover_worked_by_hand(run) -> None:
    """The same deal with ``rollover: true``: year 1's unused $60,000 carries to year 2, which then has $360,000 for
    450,000 × 0.80 = $360,000 of usage: no overage, nothing left.  Year 3 has only its own $300,000: 125,000 credits of
    overage, $125,000.  Costs 300,000 / 300,000 / 300,000 / 125,000 (PV 914,575.51, NPV 1,074,906.09); expected spend
    1,025,000; nothing lost."""
    report = run({**CREDITS, "costs.commit.rollover": True})
    rows = drawdown(report.deal)
    assert [(r.available, r.used, r.unused, r.carried, r.overage) for r in rows] == [
        (D(300000), D(240000), D(0), D(60000), D(0)),
        (D(360000), D(360000), D(0), D(0), D(0)),
        (D(300000), D(300000), D(0), D(0), D(125000)),
    ]
    assert list(report.case.costs) == [D(300000), D(300000), D(300000), D(125000)]
    assert report.case.total_costs == D(1025000) and report.case.contract_value == D(900000)
    assert round(report.case.pv_costs, 2) == D("914575.51") and round(report.case.npv, 2) == D("1074906.09")


def test_rollover_ends_with_the_term_and_usage_below_the_commitment_never_costs_more(run) -> None:
    """Usage 200,000 credits a year ($160,000 of $300,000) with rollover: $140,000 carried into year 2 ($440,000
    available, $280,000 carried), $420,000 available in year 3, of which $260,000 is lost when the term ends.  No overage:
    the customer pays the commitment, 900,000, whatever it uses."""
    report = run({**CREDITS, "costs.commit.rollover": True, "costs.commit.usage": 200000})
    rows = drawdown(report.deal)
    assert [(r.available, r.carried, r.unused, r.overage) for r in rows] == [
        (D(300000), D(140000), D(0), D(0)),
        (D(440000), D(280000), D(0), D(0)),
        (D(580000), D(0), D(420000), D(0)),
    ]
    assert [line.name for line in report.case.cost_lines] == ["Committed spend (credits)"]
    assert report.case.total_costs == D(900000)
    # Without rollover, each year's unused $140,000 is lost at its end: $420,000 over the term, the same in all.
    lost = run({**CREDITS, "costs.commit.usage": 200000})
    assert [(r.unused, r.carried) for r in drawdown(lost.deal)] == [(D(140000), D(0))] * 3
    assert lost.case.unused == D(420000) and lost.case.expected_spend == D(900000) and lost.case.overage == 0


def test_a_commitment_with_an_escalator_and_a_platform_subscription_worked_by_hand(run) -> None:
    """A platform fee of 50,000 beside a commitment of 100,000 at $0.50 a credit (overage $0.60), 5 % a year, in arrears,
    usage 200,000 / 220,000 / 230,000 credits.  The escalator raises all of it: commitments 100,000 / 105,000 /
    110,250, rates 0.50 / 0.525 / 0.55125, overage rates 0.60 / 0.63 / 0.6615.  Year 1: 200,000 × 0.50 = 100,000, exactly
    the commitment.  Year 2: 105,000 ÷ 0.525 = 200,000 credits committed, 20,000 of overage × 0.63 = 12,600.  Year 3:
    110,250 ÷ 0.55125 = 200,000, 30,000 × 0.6615 = 19,845.  Platform 50,000 / 52,500 / 55,125.  All in arrears:
    costs 0 / 150,000 / 170,100 / 185,220; contract value 150,000 + 157,500 + 165,375 = 472,875; no list rate, no
    discount."""
    report = run(
        {
            **CREDITS,
            "costs": {
                "subscription": 50000,
                "commit": {
                    "unit": "credits",
                    "amount": 100000,
                    "rate": D("0.50"),
                    "overage_rate": D("0.60"),
                    "usage": [200000, 220000, 230000],
                },
                "escalator": D("0.05"),
                "billing": "in-arrears",
            },
        }
    )
    case = report.case
    assert [(line.name, list(line.values)) for line in case.cost_lines] == [
        ("Subscription", [D(0), D(50000), D(52500), D(55125)]),
        ("Committed spend (credits)", [D(0), D(100000), D(105000), D(110250)]),
        ("Overage (credits)", [D(0), D(0), D(12600), D(19845)]),
    ]
    assert list(case.costs) == [D(0), D(150000), D(170100), D(185220)]
    assert case.contract_value == D(472875) and case.annual_price == D(165375) and case.discount is None
    assert [r.overage_units for r in drawdown(report.deal)] == [D(0), D(20000), D(30000)]


def test_value_follows_the_usage_of_a_consumption_deal(run) -> None:
    """A driver with volume_per_unit follows the credits used: 0.01 incidents avoided per credit, a gain of 6 (s) at $2:
    300,000 × 0.01 × 6 × 2 = 36,000 in year 1, 54,000 in year 2, 60,000 in year 3."""
    driver = {"id": "q", "name": "Faster queries", "result": "query-time", "volume_per_unit": D("0.01"), "rate": 2, "basis": "x"}
    report = run({**CREDITS, "value": [driver]})
    assert report.valid, report.problems
    assert list(report.case.benefits) == [D(0), D(36000), D(54000), D(60000)]


def test_a_commitment_per_year_has_one_number_per_horizon_year_and_no_escalator(run) -> None:
    report = run({**CREDITS, "costs.commit.amount": [300000, 300000], "costs.commit.usage": [1, 2, 3, 4], "costs.escalator": D("0.03")})
    assert sorted((p.key, p.message) for p in report.problems) == [
        ("costs.commit.amount", "expected one number per horizon year (3), found 2"),
        ("costs.commit.usage", "expected one number per horizon year (3), found 4"),
        ("costs.escalator", "an escalator applies to a single yearly price; with a list per year, write each year's price"),
    ]


def test_a_commitment_typed_with_a_thousands_dot_is_questioned(run) -> None:
    report = run({**CREDITS, "costs.commit.amount": D("300.000")})
    assert any(f.code == "DB113" for f in report.review.findings), report.review.findings


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        (
            "en_US",
            "a commitment of $300,000 a year, drawn down in credits at $0.80 each (list $1.00), credits beyond it at $1.00 each; "
            "unused commitment lost at the end of each year; "
            "expected usage: 300,000 credits in year 1, 450,000 in year 2, 500,000 from year 3",
        ),
        (
            "de_DE",
            "eine Abnahmeverpflichtung von 300.000\xa0$ pro Jahr, abgerufen in credits zu je 0,80\xa0$ (Listenpreis 1,00\xa0$), "
            "darüber hinaus credits zu je 1,00\xa0$; nicht Abgerufenes verfällt am Ende jedes Jahres; "
            "erwartete Nutzung: 300.000 credits im Jahr 1, 450.000 im Jahr 2, 500.000 ab Jahr 3",
        ),
        (
            "fr_FR",
            "un engagement de consommation de 300\u202f000\xa0$US par an, consommé en credits à 0,80\xa0$US l’unité (prix catalogue "
            "1,00\xa0$US), les credits au-delà à 1,00\xa0$US l’unité; la part non consommée est perdue à la fin de chaque année; "
            "consommation prévue : 300\u202f000 credits l’année 1, 450\u202f000 l’année 2, 500\u202f000 à partir de l’année 3",
        ),
        (
            "es_ES",
            "un compromiso de consumo de 300.000\xa0US$ al año, consumido en credits a 0,80\xa0US$ por unidad (precio de lista "
            "1,00\xa0US$), los credits adicionales a 1,00\xa0US$ por unidad; lo no consumido se pierde al final de cada año; "
            "consumo previsto: 300.000 credits en el año 1, 450.000 en el año 2, 500.000 desde el año 3",
        ),
    ],
)
def test_the_summary_says_the_commitment_as_sold(run, locale: str, said: str) -> None:
    """The CFO reads the price as it is sold, in their language: the commitment, its rate and list rate, the overage
    rate, what happens to what goes unused, and the usage expected."""
    report = run({**CREDITS, "locale": locale})
    renderer = Renderer()
    assert "; ".join(price_terms(report.deal, renderer.formatter(report.deal, customer=True, isolate=False))) == said


def test_the_summary_says_rollover_and_the_escalator(run) -> None:
    report = run({**CREDITS, "costs.commit.rollover": True, "costs.escalator": D("0.03"), "costs.commit.list_rate": DELETE})
    terms = price_terms(report.deal, Renderer().formatter(report.deal, customer=True, isolate=False))
    assert terms[:2] == [
        "a commitment of $300,000 a year, drawn down in credits at $0.80 each, credits beyond it at $1.00 each, rising 3% each year",
        "unused commitment carried to the next year until the term ends",
    ]


def test_show_json_has_the_drawdown_year_by_year(run) -> None:
    """Issue 26's deal without rollover: expected spend 900,000 + 75,000 + 125,000 = 1,100,000; $60,000 unused in year 1."""
    shown = figures(run(CREDITS))["commitment"]
    assert shown["unit"] == "credits" and shown["expected_spend"] == 1100000
    assert shown["overage"] == 200000 and shown["unused"] == 60000
    assert [(y["committed"], y["used"], y["unused"], y["carried"], y["overage_units"], y["overage"]) for y in shown["years"]] == [
        (300000, 240000, 60000, 0, 0, 0),
        (300000, 300000, 0, 0, 75000, 75000),
        (300000, 300000, 0, 0, 125000, 125000),
    ]
    assert figures(run(STORES))["commitment"] is None


def test_the_price_defense_question_points_at_the_rate_a_commitment_is_discounted_by(run) -> None:
    report = run({**CREDITS, "commercial": {"discount_floor": D("0.15")}})
    assert [(f.code, f.key) for f in report.review.findings if f.code == "DB107"] == [("DB107", "costs.commit.rate")]


# Issue 26's question: $300,000 a year buys 375,000 credits at $0.80; the POC consumed 8,000 credits in 73 days
# (1 August to 12 October, both included) = 8,000 × 365 ÷ 73 = 40,000 credits a year.  Each credit is worth
# 0.1 queries × 6 s saved × $2 = $1.20 to the customer.
USAGE_PLAN: dict[str, Any] = {
    **CREDITS,
    "poc.start": date(2026, 8, 1),
    "poc.end": date(2026, 10, 12),
    "poc.scale": {"tested": 8000, "planned": 375000, "unit": "credits"},
    "value": [{"id": "q", "name": "Faster queries", "result": "query-time", "volume_per_unit": D("0.1"), "rate": 2, "basis": "x"}],
    "costs.commit.usage": 375000,
}


def test_the_usage_question_in_numbers(run) -> None:
    """At the plan, 375,000 credits a year: no overage, nothing unused; benefit 375,000 × 1.20 = 450,000 a year; costs
    300,000 at times 0, 1 and 2 (PV 300,000 + 300,000 ÷ 1.1 + 300,000 ÷ 1.21 = 820,661.16), benefits PV 450,000 × (1 ÷ 1.1
    + 1 ÷ 1.21 + 1 ÷ 1.331) = 1,119,083.40: NPV 298,422.24.  At half the plan, 187,500 credits draw 150,000 of each
    year's 300,000 — the other 150,000 is lost — and are worth 225,000 a year: NPV 559,541.70 − 820,661.16 = −261,119.46."""
    report = run(USAGE_PLAN)
    costs_pv = D(300000) + D(300000) / D("1.1") + D(300000) / D("1.21")
    assert close(report.case.npv, pv([D(0), *[D(450000)] * 3], D("0.1")) - costs_pv)
    assert round(report.case.npv, 2) == D("298422.24")
    question = next(q for q in report.review.questions if q.id == "usage-plan")
    assert question.code == "DB123" and question.blocking and question.owner == "ae"
    assert question.text == (
        "The commitment of $300,000 a year assumes 375,000 credits a year, as the plan expects; the POC consumed at a rate "
        "of 40,000 credits a year. If usage reaches only half the plan, $150,000 of each year's commitment goes unused "
        "and their NPV falls from "
        "$298,422 to -$261,119. Who owns the usage plan on their side?"
    )
    assert "scale-commitment" not in [q.id for q in report.review.questions]  # the POC counted credits: one question
    assert [f.phrase for f in question.facts][:4] == [
        "a commitment of $300,000 a year",
        "a commitment that buys 375,000 credits a year",
        "usage of 375,000 credits",
        "the POC consumed at a rate of 40,000 credits a year",
    ]


def test_the_usage_scenarios_worked_by_hand(run) -> None:
    """The commitment unchanged, at the POC's 40,000 credits a year: 32,000 drawn, 268,000 of each year lost (804,000
    over three years), 48,000 of benefit a year, NPV 48,000 × 2.48685… − 820,661.16 = −701,292.26; spend 900,000
    whatever the usage (the usage never goes beyond the commitment)."""
    report = run(USAGE_PLAN)
    scenarios = {s.label: s for s in scale_scenarios(report.deal, report.case, "usage")}
    assert list(scenarios) == ["At the POC's rate", "Half of the plan", "The plan"]
    at_poc, half, plan = scenarios.values()
    assert at_poc.units == (D(40000),) * 3 and half.units == (D(187500),) * 3 and plan.case is report.case
    assert at_poc.case.unused == D(804000) and half.case.unused == D(450000) and plan.case.unused == 0
    assert {s.case.expected_spend for s in scenarios.values()} == {D(900000)}
    assert at_poc.case.annual_benefit == D(48000)
    assert round(at_poc.case.npv, 2) == D("-701292.26")
    shown = figures(report)["usage_scenarios"]
    assert figures(report)["scale_scenarios"] == []  # not sold per unit
    assert [(s["label"], s["units"], s["expected_spend"], s["unused"]) for s in shown] == [
        ("At the POC's rate", [40000] * 3, 900000, 804000),
        ("Half of the plan", [187500] * 3, 900000, 450000),
        ("The plan", [375000] * 3, 900000, 0),
    ]


def test_the_usage_question_without_poc_dates_compares_what_the_poc_consumed_in_all(run) -> None:
    report = run({**USAGE_PLAN, "poc.start": DELETE, "poc.end": DELETE, "poc.technical_win": DELETE})
    question = next(q for q in report.review.questions if q.id == "usage-plan")
    assert "the POC consumed 8,000 credits in all (write poc.start and poc.end to compare its rate a year)" in question.text
    assert [s.label for s in scale_scenarios(report.deal, report.case, "usage")] == ["Half of the plan", "The plan"]


@pytest.mark.parametrize(
    ("changes", "asked"),
    [
        ({"poc.scale.tested": 20000}, True),  # 100,000 credits a year: the 375,000 committed are 3.75 times that
        ({"poc.scale.tested": 40000}, False),  # 200,000 a year: 375,000 ÷ 200,000 = 1.875, below the default 2
        ({"poc.scale.tested": 40000, "costs.commit.usage": [375000, 375000, 400000]}, True),  # the plan's 400,000: 2×
        ({"poc.scale.unit": "users"}, False),  # the POC counted something else: no consumption measured
    ],
)
def test_the_usage_question_asks_only_when_the_plan_is_far_above_the_poc(run, changes: dict[str, Any], asked: bool) -> None:
    report = run({**USAGE_PLAN, **changes})
    assert ("usage-plan" in [q.id for q in report.review.questions]) is asked


# --- 5. ramps read plainly --------------------------------------------------------------------------------------------


def test_a_ramp_says_from_which_year_the_annual_benefit_is_reached_and_the_total(run) -> None:
    """Issue 26's trial: a benefit that ramps reads as the year it is reached and the total over the horizon, never as
    if every year had it.  The credits deal's value follows usage, 300,000 / 450,000 / 500,000 credits × $1.20:
    360,000 / 540,000 / 600,000, total 1,500,000, reached in year 3.  A ramp still below 100 % in the final year never
    reaches it; a flat case reads as before."""
    value = {"value": [{"id": "q", "name": "Faster queries", "result": "query-time", "volume_per_unit": D("0.1"), "rate": 2, "basis": "x"}]}
    renderer = Renderer()

    def saves(report: Any) -> str:
        return renderer.summary(report, None).split("\n")[2].split(" | ")[1].replace("\\", "")  # Markdown-escaped

    ramped = run({**CREDITS, **value})
    assert list(ramped.case.benefits) == [0, D(360000), D(540000), D(600000)] and ramped.case.full_from == 3
    assert saves(ramped) == "**$600,000** a year from year 3; $1,500,000 over 3 years"
    german = run({**CREDITS, **value, "locale": "de_DE"})
    assert saves(german) == "**600.000\u00a0$** pro Jahr ab Jahr 3; 1.500.000\u00a0$ über 3 Jahre"
    never = run({**CREDITS, "value.0.ramp": [D("0.5"), D("0.8"), D("0.9")]})
    assert never.case.full_from is None
    assert saves(never) == "**$800,000** a year once fully rolled out; $1,760,000 over 3 years"
    flat = run(CREDITS)
    assert flat.case.full_from == 1 and saves(flat) == "**$800,000** a year"


# --- 6. what an outside trial found -------------------------------------------------------------------------------------


def test_seats_beside_a_commitment_get_their_own_scenarios_and_the_usage_question_its_own(run) -> None:
    """A platform priced per seat and by consumption: the seat downgrade and the usage shortfall are two questions with
    two sets of scenarios, each moving only its own quantity."""
    report = run({**USAGE_PLAN, "costs.units": {"unit": "seats", "price": 1000, "quantity": 50}})
    seats = scale_scenarios(report.deal, report.case)
    usage = scale_scenarios(report.deal, report.case, "usage")
    assert [s.units for s in seats if s.label == "Half of the plan"] == [(D(25),) * 3]
    assert [s.units for s in usage if s.label == "Half of the plan"] == [(D(187500),) * 3]
    assert {s.case.unused for s in seats} == {D(0)} and usage[1].case.unused == D(450000)
    question = next(q for q in report.review.questions if q.id == "usage-plan")
    assert "$150,000 of each year's commitment goes unused" in question.text
    handoff = Renderer().handoff(report)
    assert "## Usage: what a shortfall does" in handoff and "## Scale: what a downgrade does" in handoff
    assert "The commitment stays as signed: \\$900\\,000 over 3 years" in handoff  # the commitments, not the seats too
    shown = figures(report)
    assert [s["units"] for s in shown["scale_scenarios"]][-1] == [50] * 3 and shown["usage_scenarios"][-1]["units"] == [375000] * 3


def test_usage_typed_with_a_thousands_dot_is_questioned_and_a_rate_may_have_three_decimals(run) -> None:
    typed = run({**CREDITS, "costs.commit.usage": D("300.000")})
    assert [(f.code, f.key) for f in typed.review.findings if f.code == "DB113"] == [("DB113", "costs.commit.usage")]
    rates = {"costs.commit.rate": D("1.125"), "costs.commit.list_rate": D("1.500"), "costs.commit.overage_rate": D("1.250")}
    assert [f for f in run({**CREDITS, **rates}).review.findings if f.code == "DB113"] == []


def test_a_commitment_of_nothing_and_rollover_in_a_one_year_term_are_refused(run) -> None:
    nothing = run({**CREDITS, "costs.commit.amount": 0})
    assert [(p.key, p.message) for p in nothing.problems] == [
        (
            "costs.commit.amount",
            "expected a committed spend above 0 in at least one year: write what the customer commits to spend a year",
        )
    ]
    one_year = run({**CREDITS, "costs.commit.rollover": True, "costs.commit.usage": 300000, "finance.horizon_years": 1})
    assert [p.key for p in one_year.problems] == ["costs.commit.rollover"]
    assert "a one-year term has no next year to carry unused commitment to" in one_year.problems[0].message


def test_a_benefit_that_falls_is_never_read_as_a_ramp(run) -> None:
    """Usage 500,000 / 450,000 / 300,000 credits at $1.20: 600,000 / 540,000 / 360,000 a year.  "360,000 a year from
    year 3" would hide that years 1 and 2 are worth more: the summary says the final year's figure for what it is."""
    value = [{"id": "q", "name": "Faster queries", "result": "query-time", "volume_per_unit": D("0.1"), "rate": 2, "basis": "x"}]
    falling = run({**CREDITS, "value": value, "costs.commit.usage": [500000, 450000, 300000]})
    assert not falling.case.ramps_up and falling.case.full_from is None
    cell = Renderer().summary(falling, None).split("\n")[2].split(" | ")[1].replace("\\", "")
    assert cell == "**$360,000** in year 3; $1,500,000 over 3 years"


def test_the_usage_question_says_whole_units(run) -> None:
    """$300,000 at $0.70 buys 428,571.43 credits: the question says 428,571."""
    report = run({**USAGE_PLAN, "costs.commit.rate": D("0.70")})
    question = next(q for q in report.review.questions if q.id == "usage-plan")
    assert "assumes 428,571 credits a year" in question.text
