"""The deal format: every mistake located, named and explained."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from dealbrief.deal.model import json_schema, per_year_fields
from dealbrief.errors import dotted

from ..conftest import DELETE, ROOT

GOOD = """\
dealbrief: 1
customer: Acme
title: Platform
stage: discovery
team: {se: Dana, ae: Sam}
baseline:
  problem: Slow.
costs:
  subscription: 1000
"""


def messages(report) -> list[str]:
    return [str(p) for p in report.problems]


def test_minimal_deal_is_valid(run) -> None:
    report = run(GOOD)
    assert report.valid and report.deal.currency == "USD" and report.deal.finance.horizon_years == 3


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            ("title: Platform", "titel: Platform"),
            ["deals/acme.yaml:3:1: titel: `titel` is not a key; did you mean `title`? (a required key)"],  # one slip, one message
        ),
        (
            ("stage: discovery", "stage: tech-win"),
            [
                "deals/acme.yaml:4:1: stage: expected one of discovery, poc, technical-win, handoff, summary-sent, closed-won "
                "or closed-lost; found text 'tech-win'"
            ],
        ),
        (
            ("subscription: 1000", "subscription: 1,000"),
            [
                "deals/acme.yaml:9:3: costs.subscription: expected a number at least 0, found text '1,000' "
                "(write it without separators: 1000)"
            ],
        ),
        (
            ("subscription: 1000", "subscription: 1_000"),
            [
                "deals/acme.yaml:9:3: costs.subscription: expected a number at least 0, found text '1_000' "
                "(write it without separators: 1000)"
            ],
        ),
        (
            ("subscription: 1000", 'subscription: "1000"'),
            ["deals/acme.yaml:9:3: costs.subscription: expected a number at least 0, found text '1000'"],
        ),
        (
            ("subscription: 1000", "subscription: -5"),
            ["deals/acme.yaml:9:3: costs.subscription: expected a number at least 0, found the number -5"],
        ),
        (
            ("subscription: 1000", "subscription: 1e20"),
            ["deals/acme.yaml:9:3: costs.subscription: expected a number below 10^15, found the number 1E+20"],
        ),
        (
            ("subscription: 1000", "subscription: -1e1000000"),  # too big for abs() in Decimal's default context
            ["deals/acme.yaml:9:3: costs.subscription: expected a number below 10^15, found the number -1E+1000000"],
        ),
        (
            ("subscription: 1000", "subscription: [1000, x, 3]"),
            ["deals/acme.yaml:9:3: costs.subscription: year 2: expected a number at least 0, found text 'x'"],
        ),
        (("customer: Acme", "customer: [Acme]"), ["deals/acme.yaml:2:1: customer: expected text, found a list"]),
        (("customer: Acme", "customer: ''"), ["deals/acme.yaml:2:1: customer: expected text (it is empty), found text ''"]),
        (("dealbrief: 1", "dealbrief: 2"), ["deals/acme.yaml:1:1: dealbrief: expected one of 1; found the number 2"]),
        (("team: {se: Dana, ae: Sam}", "team: Dana"), ["deals/acme.yaml:5:1: team: expected a mapping of keys, found text 'Dana'"]),
        (
            ("stage: discovery", "stage: discovery\ncurrency: usd"),
            [
                "deals/acme.yaml:5:1: currency: expected a three-letter ISO 4217 code such as USD or EUR, found text 'usd'; "
                "did you mean USD?"
            ],
        ),
        (
            ("stage: discovery", "stage: discovery\ncurrency: XYZ"),
            ["deals/acme.yaml:5:1: currency: expected a three-letter ISO 4217 code such as USD or EUR, found text 'XYZ'"],
        ),
        (
            ("stage: discovery", "stage: discovery\nlocale: xx_YY"),
            ["deals/acme.yaml:5:1: locale: expected a locale such as en_US or de_DE, found 'xx_YY'"],
        ),
        (
            ("team: {se: Dana, ae: Sam}", "team: {se: Dana, ae: Sam}\nstakeholders: {economic_buyer: {name: M, engaged: NO}}"),
            [
                "deals/acme.yaml:6:42: stakeholders.economic_buyer.engaged: expected true or false, found text 'NO' "
                "(yes/no/on/off are read as text)"
            ],
        ),
        (
            ("stage: discovery", "stage: discovery\nfinance: {horizon_years: 11}"),
            ["deals/acme.yaml:5:11: finance.horizon_years: expected a number ≤ 10, found the number 11"],
        ),
        (
            ("stage: discovery", "stage: discovery\nfinance: {discount_rate: 1.5}"),
            [
                "deals/acme.yaml:5:11: finance.discount_rate: expected a number at least 0 at most 1, found the number 1.5 "
                "(a share is written as a fraction: 0.015 for 1.5%)"
            ],
        ),
    ],
    ids=[
        "typo",
        "stage",
        "comma-number",
        "underscore-number",
        "quoted-number",
        "negative",
        "huge",
        "overflowing",
        "per-year-item",
        "number-as-text",
        "empty-text",
        "version",
        "not-a-mapping",
        "currency-case",
        "currency-unknown",
        "locale",
        "yaml11-bool",
        "horizon",
        "ratio",
    ],
)
def test_shape_errors(run, edit: tuple[str, str], expected: list[str]) -> None:
    assert messages(run(GOOD.replace(*edit))) == expected


def test_file_name_must_be_an_id(run) -> None:
    report = run(GOOD, deal_id="Acme Deal")
    assert messages(report) == [
        "deals/Acme Deal.yaml:1:1: the file name must be the deal id: lowercase letters, digits and hyphens "
        "(e.g. deals/northwind-2026.yaml), found 'Acme Deal'"
    ]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"value.0.volume": 10**14, "value.0.rate": 10**14},
            [
                "deals/acme.yaml:41:3: value[0]: gain × volume × rate is about 10^28 a year; dealbrief computes with amounts "
                "below 10^15: check the units of each"
            ],
        ),
        (
            {"finance": {"go_live": date(9999, 12, 31)}},
            ["deals/acme.yaml:55:3: finance.go_live: expected a date from 1900-01-01 to 2200-12-31, found the date 9999-12-31"],
        ),
        (  # its payback month printed as "July 1", which reads like a day
            {"finance": {"go_live": date(1, 1, 1)}},
            ["deals/acme.yaml:55:3: finance.go_live: expected a date from 1900-01-01 to 2200-12-31, found the date 0001-01-01"],
        ),
        (
            {"value.0.annual": 5},
            [
                "deals/acme.yaml:41:3: value[0]: a driver has one form — result × volume × rate, base × share, or annual — "
                "not result × volume × rate and annual (volume, rate, annual)"
            ],
        ),
        ({"value.0.rate": DELETE}, ["deals/acme.yaml:41:3: value[0]: expected `result` + `volume` + `rate`; missing rate"]),
        ({"value.0.result": "nope"}, ["deals/acme.yaml:43:3: value[0].result: expected the id of a POC result (rca-time), found 'nope'"]),
        ({"value.0.ramp": [0.5, 1]}, ["deals/acme.yaml:48:3: value[0].ramp: expected one number per horizon year (3), found 2"]),
        (
            {"costs.subscription": [1, 2, 3, 4]},
            ["deals/acme.yaml:49:3: costs.subscription: expected one number per horizon year (3), found 4"],
        ),
        (
            {"costs.subscription": [1, 2, 3], "costs.escalator": 0.03},
            [
                "deals/acme.yaml:56:3: costs.escalator: an escalator applies to a single yearly price; "
                "with a list per year, write each year's price"
            ],
        ),
        (
            {"poc.technical_win": DELETE},
            [
                "deals/acme.yaml:23:1: poc.technical_win: required from stage technical-win on (stage is technical-win); "
                "add `technical_win: {date: …, confirmed_by: …}` under poc"
            ],
        ),
        (
            {"poc.results": [], "value": []},
            ["deals/acme.yaml:33:3: poc.results: at least one POC result is required from stage technical-win on (stage is technical-win)"],
        ),
        (
            {"value": [{"id": "a", "name": "A", "annual": 1, "basis": "x"}, {"id": "a", "name": "B", "annual": 2, "basis": "x"}]},
            ["deals/acme.yaml:45:3: value[1].id: duplicate id 'a'; ids must be unique"],
        ),
        (
            {"handoff": {"answers": {"economic-buyr": "yes"}}},
            [
                "deals/acme.yaml:56:5: handoff.answers.economic-buyr: no question has this id; "
                "did you mean `economic-buyer`? expected one of: "
                "case-closes, competitor-displaced, economic-buyer, price-defense, scale-commitment, usage-plan, value-gap"
            ],
        ),
        (
            {"handoff": {"questions": [{"id": "price-defense", "ask": "Why?"}]}},
            [
                "deals/acme.yaml:56:5: handoff.questions[0].id: 'price-defense' is a generated question's id; "
                "answer it in handoff.answers instead"
            ],
        ),
        (
            {"poc.end": date(2026, 7, 1)},
            ["deals/acme.yaml:25:3: poc.end: the POC ends (2026-07-01) before it starts (2026-08-01); check both dates"],
        ),
        (
            {"poc.technical_win.date": date(2026, 8, 10)},
            [
                "deals/acme.yaml:31:5: poc.technical_win.date: the technical win (2026-08-10) is dated before the POC ended "
                "(2026-08-14); check both dates"
            ],
        ),
        (
            {"handoff": {"meeting": date(2026, 8, 1)}},
            [
                "deals/acme.yaml:55:3: handoff.meeting: the handoff meeting (2026-08-01) is dated before the technical win "
                "(2026-08-15); check both dates"
            ],
        ),
    ],
    ids=[
        "driver-beyond-limit",
        "go-live-beyond-2200",
        "go-live-in-year-1",
        "both-forms",
        "incomplete-form",
        "unknown-result",
        "ramp-length",
        "subscription-length",
        "escalator-with-list",
        "technical-win-gate",
        "results-gate",
        "duplicate-driver-id",
        "unknown-answer",
        "reserved-question-id",
        "poc-ends-before-it-starts",
        "technical-win-before-poc-end",
        "meeting-before-technical-win",
    ],
)
def test_rules_across_keys(run, changes: dict, expected: list[str]) -> None:
    assert messages(run(changes)) == expected


def test_closed_lost_needs_no_technical_win(run) -> None:
    assert run({"stage": "closed-lost", "poc.technical_win": DELETE}).valid


def test_schema_file_is_current() -> None:
    """schema/deal.schema.json is generated from the model: regenerate with `make schema`."""
    checked_in = json.loads((ROOT / "schema" / "deal.schema.json").read_text(encoding="utf-8"))
    assert checked_in == json_schema(), "schema/deal.schema.json is stale: run `make schema`"


def test_examples_point_editors_at_the_schema() -> None:
    for deal in sorted((ROOT / "deals").glob("*.yaml")):
        assert deal.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../schema/deal.schema.json\n"), deal


def test_schema_describes_the_format() -> None:
    schema = json_schema()
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"dealbrief", "customer", "title", "stage", "team", "baseline"}  # costs: from technical-win on
    assert schema["$defs"]["Costs"]["properties"]["subscription"]["anyOf"][0]["oneOf"][0]["type"] == "number"
    assert set(schema["$defs"]["Units"]["required"]) == {"unit", "price", "quantity"}


def test_unknown_keys_everywhere_are_errors(run, tmp_path: Path) -> None:
    report = run({"poc.results.0.befor": 3, "costs.one_time.0.amout": 1})
    assert [p.key for p in report.problems] == ["poc.results[0].befor", "costs.one_time[0].amout"]
    assert "did you mean `before`?" in report.problems[0].message


def test_per_year_fields_are_found_from_the_model(run) -> None:
    """A field added with a per-year type is checked for its length without being listed anywhere (none can be forgotten)."""
    wrong = {
        "costs.subscription": [1, 2],
        "costs.recurring": [{"name": "Run", "amount": [1, 2]}],
        "value.0.ramp": [1, 1],
        "value.1": {"id": "fixed", "name": "Fixed", "annual": [1, 2], "basis": "x"},
    }
    report = run(wrong)
    found = {p.key for p in report.problems if "one number per horizon year (3), found 2" in p.message}
    assert found == {"costs.subscription", "costs.recurring[0].amount", "value[0].ramp", "value[1].annual"}
    fields = {re.sub(r"\[\d+\]", "[*]", dotted(path)) for path, _ in per_year_fields(run({}).deal)}
    assert fields == {"costs.subscription", "value[*].annual", "value[*].ramp", "value[*].volume", "value[*].base"}  # no recurring cost


def test_plain_numbers_dates_and_booleans_in_text_fields_are_the_text_typed(run) -> None:
    """``period: 2026`` is the text "2026": nobody should have to quote a year, a version or a postcode."""
    text = GOOD.replace("  problem: Slow.", "  problem: Slow.\n  period: 2026\n  source: 2026-09-30")
    deal = run(text + "recommendation: true\ncommercial: {notes: [3.10, 007]}\n").deal
    assert (deal.baseline.period, deal.baseline.source, deal.recommendation) == ("2026", "2026-09-30", "true")
    assert deal.commercial.notes == ["3.10", "007"]  # as typed, not 3.1
    assert messages(run(GOOD.replace("customer: Acme", 'customer: "2026"'))) == []
    assert messages(run(GOOD.replace("subscription: 1000", "subscription: '1000'"))) == [
        "deals/acme.yaml:9:3: costs.subscription: expected a number at least 0, found text '1000'"
    ]  # the other way round stays strict: text is never a number


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("subscription: 1000", "subscription: 85.000.000"), "found text '85.000.000' (write it without separators: 85000000)"),
        (("subscription: 1000", "subscription: 85'000"), "found text '85'000' (write it without separators: 85000)"),
        (
            ("subscription: 1000", "subscription: [85,000, 90000, 90000]"),
            "costs.subscription: inside [ ] a comma separates the items, so 85,000 is read as the items 85 and 000: write 85000",
        ),
        (("subscription: 1000", "{subscription: 85,000}"), "so 85,000 is read as 85 and the key 000: write 85000"),
        (("subscription: 1000", "{subscription: 1000, escalator: 3%}"), "found text '3%' (write a share as a fraction: 0.03 for 3%)"),
        (
            ("subscription: 1000", "{subscription: 1000, escalator: 3}"),
            "found the number 3 (a share is written as a fraction: 0.03 for 3%)",
        ),
        (("subscription: 1000", "subscription: $85,000"), "found text '$85,000' (write it without the currency: 85000)"),
        (("subscription: 1000", "subscription: 1.200,50 €"), "found text '1.200,50 €' (write it without the currency: 1200.50)"),
        (("subscription: 1000", "subscription: 1200,50"), "found text '1200,50' (write a decimal point: 1200.50)"),
    ],
    ids=[
        "dots",
        "apostrophe",
        "comma-in-list",
        "comma-in-flow-mapping",
        "percent-sign",
        "percent-as-number",
        "currency-sign",
        "currency-sign-after-decimal-comma",
        "decimal-comma",
    ],
)
def test_numbers_typed_the_way_people_type_get_what_to_write(run, edit: tuple[str, str], expected: str) -> None:
    problems = messages(run(GOOD.replace(*edit)))
    assert len(problems) == 1 and expected in problems[0], problems


def test_a_value_the_loader_refuses_hides_no_other_problem(run) -> None:
    text = GOOD.replace("customer: Acme", "customer:").replace("stage: discovery", "stage: discovery\nfinance: {go_live: 2026-02-30}")
    text += "poc: {start: 2026-03-02, end: 2026-02-27}\n"
    assert messages(run(text.replace("subscription: 1000", "subscription: [1, 2]"))) == [
        "deals/acme.yaml:2:1: customer: expected text, found nothing (null)",
        "deals/acme.yaml:5:20: finance.go_live: expected a date (YYYY-MM-DD), found text '2026-02-30'",
        "deals/acme.yaml:10:3: costs.subscription: expected one number per horizon year (3), found 2",
        "deals/acme.yaml:11:26: poc.end: the POC ends (2026-02-27) before it starts (2026-03-02); check both dates",
    ]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"poc.results.0.before": "slow"}, ["poc.results[0].before"]),  # no "unknown result", no "results required"
        ({"finance.horizon_years": "five"}, ["finance.horizon_years"]),  # no per-year length against a guessed horizon
        (
            {"costs.units": {"unit": "agents", "price": "x", "quantity": 3}, "value.0.volume_per_unit": 1, "value.0.volume": DELETE},
            ["costs.units.price"],
        ),
        ({"poc.technical_win.date": "soon"}, ["poc.technical_win.date"]),  # no "technical win required"
        ({"stage": "won", "poc.technical_win": DELETE}, ["stage"]),  # the stage is unknown: no stage requirement
        ({"handoff": {"questions": [{"id": "x", "ask": [5]}], "answers": {"x": "yes"}}}, ["handoff.questions[0].ask"]),
    ],
    ids=["result", "horizon", "units", "technical-win", "stage", "question"],
)
def test_checks_across_keys_skip_what_could_not_be_read(run, changes: dict, expected: list[str]) -> None:
    """Checks still run beside a problem, but none reports a consequence of it (the key it read was not taken as written)."""
    assert [p.key for p in run(changes).problems] == expected


def test_a_problem_in_one_key_hides_no_problem_elsewhere(run) -> None:
    """A bad unit price keeps the units (a stand-in price), so the drivers and the per-year lists are still checked."""
    text = GOOD.replace(
        "costs:\n  subscription: 1000\n",
        "poc:\n  results: [{id: r1, metric: M, unit: h, before: 2, after: 1}]\n"
        "value:\n"
        "  - {id: v1, name: Saved, result: r1, volume_per_unit: 1, rate: 100}\n"
        "  - {id: v2, name: Overstock, base: 2100000}\n"
        "  - {id: v3, name: Other, result: nope, annual: 5}\n"
        "costs:\n"
        "  units: {unit: agents, price: 1125x, quantity: [180, 240, 240, 240]}\n"
        "  escalator: 3%\n",
    )
    assert [(p.key, p.message[:40]) for p in run(text).problems] == [
        ("value[1]", "expected `base` and `share` together; mi"),
        ("value[2].result", "expected the id of a POC result (r1), fo"),
        ("costs.units.price", "expected a number at least 0, found text"),
        ("costs.units.quantity", "expected one number per horizon year (3)"),
        ("costs.escalator", "expected a number at least 0 at most 1, "),
    ]


def test_a_misspelt_section_brings_no_consequences_of_its_own(run) -> None:
    text = GOOD.replace("stage: discovery", "stage: technical-win").replace("costs:", "cost:")
    text += "poc:\n  technical_win: {date: 2026-01-01, confirmed_by: X}\n  results: [{id: r1, metric: M, unit: h, before: 2, after: 1}]\n"
    text += "value: [{id: v1, name: Saved, result: r1, volume_per_unit: 1, rate: 100}]\n"
    assert [p.key for p in run(text).problems] == ["cost"]  # not "a price is required", not "volume_per_unit needs units"


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("YEN", "did you mean JPY?"),
        ("usd", "did you mean USD?"),
        ("EURO", "did you mean EUR?"),
        ("€", "did you mean EUR?"),
        ("UDS", "did you mean USD?"),  # letters swapped
        ("dollar", "did you mean USD or CAD or AUD?"),
        ("RMB", "did you mean CNY?"),
    ],
)
def test_a_currency_as_people_say_it_gets_the_iso_code_to_write(run, typed: str, hint: str) -> None:
    [problem] = run({"currency": typed}).problems
    assert problem.key == "currency" and problem.message.endswith(f"'{typed}'; {hint}"), problem.message


def test_an_unknown_code_with_no_likely_currency_gets_no_guess(run) -> None:
    [problem] = run({"currency": "XYZ"}).problems
    assert problem.message == "expected a three-letter ISO 4217 code such as USD or EUR, found text 'XYZ'"


@pytest.mark.parametrize(
    ("changes", "key", "message"),
    [
        ({"customer": DELETE, "custmer": "Acme"}, "custmer", "`custmer` is not a key; did you mean `customer`? (a required key)"),
        ({"team": {"s": "Dana", "ae": "Sam"}}, "team.s", "`s` is not a key; did you mean `se`? (a required key)"),
    ],
)
def test_a_misspelt_required_key_is_one_problem_at_the_key_as_typed(run, changes: dict, key: str, message: str) -> None:
    assert [(p.key, p.message) for p in run(changes).problems] == [(key, message)]
