"""The site's pages as Markdown, before MkDocs sees them: golden files, the one escape, what a summary says."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from dealbrief.engine.config import Config
from dealbrief.engine.pipeline import analyse_all
from dealbrief.output.pages import site_files
from dealbrief.output.render import Renderer, escape

from ..conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"
NORTHWIND = "northwind-incident-analytics"


def test_generated_pages_match_golden_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, update_goldens: bool) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")  # 2026-09-21, the examples' day: the pages do not change with the clock
    reports = analyse_all([ROOT / "deals"], Config())
    files = site_files(reports, Renderer())
    for name in (
        "index.md",
        f"deals/{NORTHWIND}/index.md",
        f"deals/{NORTHWIND}/handoff.md",
        f"deals/{NORTHWIND}/numbers.md",
        "deals/alder-health-claims-automation/index.md",  # the German Executive Summary
        "deals/alder-health-claims-automation/numbers.md",
        "deals/alder-health-claims-automation/value.md",
        "deals/lumen-retail-data-platform/index.md",  # priced by consumption: the commitment as sold, the ramp
        "deals/lumen-retail-data-platform/handoff.md",  # the usage question and scenarios
        "deals/lumen-retail-data-platform/numbers.md",  # the drawdown year by year
    ):
        golden = GOLDEN / name.replace("/", "__")
        if update_goldens:
            golden.parent.mkdir(exist_ok=True)
            golden.write_text(files[name], encoding="utf-8")
        assert files[name] == golden.read_text(encoding="utf-8"), f"{name} changed: review, then pytest --update-goldens"


def test_a_deal_with_no_cash_flow_does_not_pay_for_itself(run) -> None:
    report = run({"costs": {"subscription": 0}, "value": [], "poc.results": [], "stage": "discovery"})
    summary = Renderer().summary(report, None)
    assert "pays for itself" not in summary and "does not pay back within 3 years" in summary
    assert "## The Expected Value" in summary and "Proved" not in summary  # nothing proved yet: the value is estimated


def test_escape_is_the_one_place() -> None:
    assert escape("AT&T <Labs> #1 *not bold*") == r"AT\&T \<Labs\> \#1 \*not bold\*"
    assert escape("a\n\n  b") == "a b"
    assert escape(None) == ""
    assert escape(" 3\u202f030\u202f425\xa0€ ") == "3\u202f030\u202f425\xa0€"  # no-break spaces kept: a figure never breaks


def test_the_dashboard_without_deals_has_no_empty_table() -> None:
    page = site_files([], Renderer())["index.md"]
    assert "| Deal | Stage |" not in page and 'class="db-deals"' not in page  # an empty table would show one blank row
    assert "No deals yet: `dealbrief new ID` starts one in `deals/`." in page
    assert "0 deals" not in page and "deals.csv" not in page  # no count of nothing, no download of an empty file


def test_every_figure_of_the_deal_table_sorts_by_a_number(monkeypatch: pytest.MonkeyPatch) -> None:
    """Open blocking questions and findings too: as text, 10 would sort before 9."""
    monkeypatch.chdir(ROOT)
    lines = site_files(analyse_all([ROOT / "deals"], Config()), Renderer())["index.md"].splitlines()
    cells = {deal: next(line for line in reversed(lines) if deal in line).split(" | ")[-2:] for deal in (NORTHWIND, "fjord-freight")}
    assert cells[NORTHWIND][0] == '<span data-sort="3"></span>⚠ 3'  # open blocking questions
    assert cells["fjord-freight"][1] == '<span data-sort="2"></span>0 errors, 2 warnings |'  # errors first, then warnings


@pytest.mark.parametrize(
    ("costs", "terms"),
    [
        ({"subscription": 120000, "escalator": 0.03}, ["a subscription of $120,000 a year, rising 3% each year"]),
        (
            {"subscription": 120000, "units": {"unit": "seats", "price": 100, "quantity": 50}, "escalator": 0.025},
            ["a subscription of $120,000 a year", "$100 a year for each of 50 seats", "rising 2.5% a year"],
        ),
        # a licence alone is paid once: the escalator raises nothing, and nothing says it does
        ({"subscription": None, "license": {"amount": 600000}, "escalator": 0.03}, ["a perpetual license of $600,000"]),
    ],
)
def test_the_escalator_is_said_of_what_it_raises(run, costs: dict, terms: list[str]) -> None:
    from dealbrief.output.render import price_terms

    report = run({f"costs.{key}": value for key, value in costs.items()})
    assert report.deal, report.problems
    assert price_terms(report.deal, Renderer().formatter(report.deal, customer=True))[: len(terms)] == terms


def test_the_financial_impact_never_puts_a_before_a_rate_that_needs_an(run) -> None:
    """ "at a 8% discount rate" read wrong; the sentence names the rate after its noun, in every rate."""
    for rate, said in (("0.08", "8%"), ("0.11", "11%"), ("0.1", "10%")):
        summary = Renderer().summary(run({"finance": {"horizon_years": 3, "discount_rate": Decimal(rate)}}), None)
        assert f"at a discount rate of {said}, and a return on investment" in summary.replace("\\", ""), rate
