"""The commercial lint: every rule fires when it should and only then."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from dealbrief.engine.config import Config, load_config
from dealbrief.engine.lint import RULES, Ask, Context, Flag, rule, standard_questions
from dealbrief.errors import DealbriefError

from ..conftest import DELETE

ANSWERED_GATE = {"handoff": {"meeting": date(2026, 8, 20)}}


def codes(report) -> list[tuple[str, str, str]]:
    return [(f.code, f.severity, f.key) for f in report.review.findings]


def test_the_clean_deal_is_clean(run) -> None:
    report = run({})
    assert report.review.findings == () and report.review.questions == ()


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"poc.results.1": {"id": "uptime", "metric": "Uptime", "unit": "%", "better": "higher", "before": 99, "after": 99.9}},
            [("DB101", "error", "poc.results[1].id")],
        ),
        (
            {
                "stage": "poc",
                "poc.technical_win": DELETE,
                "poc.results.1": {"id": "uptime", "metric": "Uptime", "unit": "%", "better": "higher", "before": 99, "after": 99.9},
            },
            [("DB101", "warning", "poc.results[1].id")],
        ),
        ({"poc.scale": {"tested": 40, "planned": 400, "unit": "agents"}}, [("DB102", "question", "poc.scale.planned")]),  # 10×
        (
            {"commercial": {"competitor": {"name": "LogCo", "status": "evaluating"}}},
            [("DB103", "question", "commercial.competitor.status")],
        ),
        ({"stakeholders.economic_buyer.engaged": False}, [("DB104", "question", "stakeholders.economic_buyer.engaged")]),
        ({"stakeholders.economic_buyer": DELETE}, [("DB104", "question", "stakeholders")]),
        ({"stage": "summary-sent"}, [("DB105", "error", "stage")]),
        ({"costs.subscription": 900000}, [("DB106", "warning", "value"), ("DB106", "question", "value")]),
        ({"costs.list_price": 300000, "commercial": {"discount_floor": 0.2}}, [("DB107", "question", "costs.subscription")]),
        ({"value.0.basis": DELETE}, [("DB108", "warning", "value[0]")]),
        ({"baseline.source": DELETE}, [("DB108", "warning", "baseline.source")]),
        (
            {"poc.results.0.after": 12, "poc.results.0.target": DELETE},
            [("DB109", "error", "poc.results[0].after"), ("DB106", "warning", "value"), ("DB106", "question", "value")],
        ),
        ({"poc.results.0.after": 5}, [("DB109", "error", "poc.results[0].after")]),
        ({"recommendation": "Cuts p99 latency for every API."}, [("DB111", "warning", "recommendation")]),
        ({"value.0.name": "Fewer microservices"}, [("DB111", "warning", "value[0].name")]),
        ({"poc.results.0.after": 0.1, "poc.results.0.target": 1, "value.0.realization": 1}, [("DB112", "warning", "value[0].realization")]),
        (
            {
                "value": [{"id": f"d{i}", "name": f"D{i}", "annual": 1000, "basis": "x"} for i in range(6)],
                "poc.results": [],
                "stage": "poc",
                "poc.technical_win": DELETE,
                "costs": {"subscription": 1000},
            },
            [("DB112", "warning", "value")],
        ),
        ({"costs.one_time.0.amount": Decimal("60.000")}, [("DB113", "error", "costs.one_time[0].amount")]),
        ({"costs.subscription": [Decimal("450.000")] * 3}, [("DB113", "error", f"costs.subscription[{i}]") for i in range(3)]),
        (
            {"costs.units": {"unit": "seats", "price": Decimal("0.125"), "quantity": Decimal("1.200")}},
            [("DB113", "error", "costs.units.quantity")],  # 1.200 seats questioned, a price of 0.125 not
        ),
        (
            {"costs.units": {"unit": "seats", "price": 100, "list_price": 200, "quantity": 10}, "commercial": {"discount_floor": 0.2}},
            [("DB107", "question", "costs.units.price")],  # the element that is discounted, not a subscription
        ),
    ],
    ids=[
        "DB101-error",
        "DB101-warning-before-technical-win",
        "DB102",
        "DB103",
        "DB104-not-engaged",
        "DB104-missing",
        "DB105",
        "DB106",
        "DB107",
        "DB108-basis",
        "DB108-source",
        "DB109-regressed",
        "DB109-missed-target",
        "DB111-recommendation",
        "DB111-value-name",
        "DB112-gain",
        "DB112-drivers",
        "DB113-amount",
        "DB113-per-year",
        "DB113-units-not-decimals",
        "DB107-units",
    ],
)
def test_rule_fires(run, changes: dict, expected: list[tuple[str, str, str]]) -> None:
    assert codes(run(changes)) == expected


@pytest.mark.parametrize(
    "changes",
    [
        {"poc.scale": {"tested": 41, "planned": 400, "unit": "agents"}},  # 400/41 < 10
        {"poc.scale": {"tested": 1, "planned": 400, "unit": "agents"}, "commercial": {"commitment": {"units": 400, "status": "written"}}},
        {"poc.scale": {"tested": 1, "planned": 400, "unit": "agents"}, "commercial": {"commitment": {"units": 400, "status": "signed"}}},
        {"commercial": {"competitor": {"name": "LogCo", "status": "displaced"}}},
        {"commercial": {"competitor": {"name": "LogCo", "status": "not-competing"}}},
        {"stage": "summary-sent", **ANSWERED_GATE},
        {"stage": "closed-lost"},
        {"costs.list_price": 250000, "commercial": {"discount_floor": 0.2}},  # exactly at the floor
        {"costs.list_price": 300000},  # no floor set
        {"poc.results.0.after": 4},  # exactly on target
        {"recommendation": "Rapid recovery; capital preserved."},  # 'api' inside words
        {"poc.results.0.after": 0.1, "poc.results.0.target": 1},  # >95 % but realization 0.8
        {"value": [], "poc.results": [], "stage": "discovery", "poc.technical_win": DELETE, "costs.subscription": 9e6},
        {  # a fixed amount that names the >95 % result proving it does not count on the gain
            "poc.results.0.after": 0.1,
            "poc.results.0.target": 1,
            "value.0": {"id": "tool", "name": "Retire the tool", "result": "rca-time", "annual": 900000, "basis": "Quote"},
        },
    ],
    ids=[
        "DB102-small-gap",
        "DB102-written",
        "DB102-signed",
        "DB103-displaced",
        "DB103-not-competing",
        "DB105-gate-passed",
        "DB105-lost",
        "DB107-at-floor",
        "DB107-no-floor",
        "DB109-on-target",
        "DB111-word-boundaries",
        "DB112-haircut",
        "DB106-nothing-modelled-yet",
        "DB112-annual-driver",
    ],
)
def test_rule_stays_quiet(run, changes: dict) -> None:
    assert codes(run(changes)) == []


def test_questions_use_the_deals_own_facts(run) -> None:
    report = run(
        {
            "poc.scale.tested": 10,
            "commercial": {
                "commitment": {"units": 400, "status": "verbal"},
                "discount_floor": 0.15,
                "competitor": {"name": "LogCo", "status": "incumbent-renewing", "note": "renewing for 50% off"},
            },
            "costs.list_price": 1125000,
            "stakeholders.economic_buyer.engaged": False,
            "costs.subscription": 900000,
        }
    )
    texts = {q.id: q.text for q in report.review.questions}
    assert texts == {
        "scale-commitment": "Our business case assumes 400 agents but the POC tested 10. Do you have a hard commitment for all "
        "400 agents (today: verbal), or will they downgrade at the final hour?",
        "competitor-displaced": "LogCo is the incumbent and may be renewed (renewing for 50% off). Is LogCo displaced: contract "
        "end date known and non-renewal confirmed by procurement?",
        "economic-buyer": "Morgan Blake (CFO) has not been engaged. Who walks Morgan Blake through this case, and when?",
        "case-closes": "The case shows NPV -$920,398 over 3 years, payback not within the horizon. What changes (price, scope, "
        "realization) make it close before the CFO sees it?",
        "price-defense": "The proposed price is 20.0% off list, beyond the 15.0% the deal desk approved. Is the exception approved, "
        "and what does the customer give in return?",
    }
    owners = {q.id: q.owner for q in report.review.questions}
    assert owners == {
        "scale-commitment": "ae",
        "competitor-displaced": "ae",
        "economic-buyer": "ae",
        "case-closes": "se",
        "price-defense": "deal-desk",
    }


def test_an_answer_closes_its_question_and_its_finding(run) -> None:
    report = run({"poc.scale.tested": 10, "handoff": {"answers": {"scale-commitment": "Signed order form for 400 agents"}}})
    [question] = report.review.questions
    assert question.answered and question.answer == "Signed order form for 400 agents"
    assert codes(report) == []


def test_handoff_gate(run) -> None:
    assert run({}).review.gate == "open"  # no meeting yet
    assert run(ANSWERED_GATE).review.gate == "passed"
    blocked = run({**ANSWERED_GATE, "stakeholders.economic_buyer.engaged": False})
    assert blocked.review.gate == "open" and [q.id for q in blocked.review.open_blocking] == ["economic-buyer"]
    answered = run(
        {
            "handoff": {"meeting": date(2026, 8, 20), "answers": {"economic-buyer": "CFO review booked 2026-09-02"}},
            "stakeholders.economic_buyer.engaged": False,
        }
    )
    assert answered.review.gate == "passed"


def test_custom_questions(run) -> None:
    report = run(
        {
            "handoff": {
                "meeting": date(2026, 8, 20),
                "questions": [
                    {"ask": "Procurement path mapped?", "owner": "ae"},
                    {"id": "legal", "ask": "Legal review booked?", "blocking": False},
                    {"ask": "Security review done?", "answer": "Yes, 2026-08-18"},
                ],
                "answers": {"legal": "Booked"},
            }
        }
    )
    rows = [(q.id, q.blocking, q.answered, q.code) for q in report.review.questions]
    assert rows == [("custom-1", True, False, None), ("legal", False, True, None), ("custom-3", True, True, None)]
    assert report.review.gate == "open"  # custom-1 is blocking and open
    assert codes(report) == []  # the SE's own questions are not findings


def test_config_changes_jargon_and_scale_gap(run, tmp_path: Path) -> None:
    (tmp_path / "dealbrief.toml").write_text('[lint]\njargon = ["synergy"]\nextra_jargon = ["paradigm"]\nscale_gap_ratio = 4\n')
    config = load_config(tmp_path)
    assert config == Config(jargon=("synergy", "paradigm"), scale_gap_ratio=4)
    report = run({"recommendation": "Synergy across the paradigm; p99 latency.", "poc.scale.tested": 100}, config=config)
    assert codes(report) == [("DB102", "question", "poc.scale.planned"), ("DB111", "warning", "recommendation")]
    assert "paradigm, Synergy" in report.review.findings[1].message


def test_an_empty_jargon_list_flags_nothing(run, tmp_path: Path) -> None:
    (tmp_path / "dealbrief.toml").write_text("[lint]\njargon = []\n")
    report = run({"recommendation": "Proceed.  (Now) -- p99 latency."}, config=load_config(tmp_path))
    assert codes(report) == []


def test_bad_config_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "dealbrief.toml").write_text("[lint]\nscale_gap=3\n")
    with pytest.raises(DealbriefError, match=r"dealbrief.toml: lint.scale_gap: Extra inputs are not permitted"):
        load_config(tmp_path)


def test_the_standard_questions_come_from_the_rules() -> None:
    assert standard_questions() == (
        "scale-commitment",
        "competitor-displaced",
        "economic-buyer",
        "case-closes",
        "price-defense",
        "value-gap",
        "usage-plan",
    )
    assert {r.code: r.question for r in RULES if r.question} == {
        "DB102": "scale-commitment",
        "DB103": "competitor-displaced",
        "DB104": "economic-buyer",
        "DB106": "case-closes",
        "DB107": "price-defense",
        "DB115": "value-gap",
        "DB123": "usage-plan",
    }


def test_a_rule_cannot_ask_a_question_it_does_not_declare() -> None:
    """A question yielded by a rule that declared none would be lost; it is refused when the rule is defined."""
    before = list(RULES)
    with pytest.raises(TypeError, match="DB998: a rule that yields Ask"):

        @rule("DB998", "asks-undeclared", "Asks without saying so.")
        def _asks(c: Context) -> Iterator[Flag | Ask]:
            yield Ask(("stage",), "Who knows?")

    with pytest.raises(TypeError, match="DB999: a rule that yields Ask"):

        @rule("DB999", "declares-but-never-asks", "Says it asks, never does.", question="nothing")
        def _silent(c: Context) -> Iterator[Flag | Ask]:
            yield Flag(("stage",), "warning", "never a question")

    assert RULES == before


def test_a_team_can_switch_a_rule_off_or_change_its_severity(run, tmp_path: Path) -> None:
    changes = {"recommendation": "Lower p99 latency.", "baseline.source": DELETE}
    assert codes(run(changes)) == [("DB108", "warning", "baseline.source"), ("DB111", "warning", "recommendation")]
    (tmp_path / "dealbrief.toml").write_text('[lint]\ndisable = ["DB111"]\nseverity = {DB108 = "error"}\n')
    assert codes(run(changes, config=load_config(tmp_path))) == [("DB108", "error", "baseline.source")]


def test_a_switched_off_question_rule_asks_nothing(run, tmp_path: Path) -> None:
    (tmp_path / "dealbrief.toml").write_text('[lint]\ndisable = ["DB104"]\n')
    report = run({"stakeholders.economic_buyer": DELETE}, config=load_config(tmp_path))
    assert codes(report) == [] and [q.id for q in report.review.questions] == []


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[lint]\ndisable = ["DB11"]\n', "dealbrief.toml: lint.disable: unknown rule 'DB11'; did you mean DB121? rules: DB101, DB102"),
        ('[lint]\nseverity = {DB108 = "fatal"}\n', "dealbrief.toml: lint.severity.DB108: Input should be 'error' or 'warning'"),
        ('[templates]\ndir = "nowhere"\n', "dealbrief.toml: templates.dir: no folder"),
    ],
)
def test_bad_settings_are_clear_errors(tmp_path: Path, toml: str, message: str) -> None:
    (tmp_path / "dealbrief.toml").write_text(toml)
    with pytest.raises(DealbriefError, match=re.escape(message)):
        load_config(tmp_path)
