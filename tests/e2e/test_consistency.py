"""One version of the truth: each key figure is the same number in ``show --json``, the CRM export (CSV and JSON) and
``diff --format json`` (the deal added, against an empty base), and the same string in ``show`` and on the pages.

The example deals go through the real command line; a few hundred generated deals (per-year prices and quantities,
licences, escalators, prices per unit, ramps, every driver form) through the same functions in-process, to stay fast.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import subprocess
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
import yaml
from pypdf import PdfReader
from rich.console import Console

from dealbrief.engine.config import Config
from dealbrief.engine.figures import plain_figures
from dealbrief.engine.pipeline import Report, analyse, analyse_bytes
from dealbrief.fmt import Formatter
from dealbrief.i18n import language_of
from dealbrief.output import crm, diff
from dealbrief.output.pages import deal_pages
from dealbrief.output.render import Renderer, escape
from dealbrief.output.show_json import figures
from dealbrief.output.terminal import render
from dealbrief.text import printable_json

from ..conftest import CLEAN, DEALBRIEF, GIT_AUTHOR, ROOT, ExactDumper, make_repo, mutate

# key figure: (where show --json has it, the CRM export's column, diff's label)
FIGURES: dict[str, tuple[tuple[str, ...], str | None, str]] = {
    "npv": (("npv",), "npv", "NPV"),
    "roi": (("roi",), "roi", "ROI"),
    "payback_months": (("payback_months",), "payback_months", "Payback"),
    "total_costs": (("total_costs",), "total_cost", "Total cost"),
    "annual_benefit": (("annual_benefit",), "annual_benefit", "Annual savings"),
    "contract_value": (("contract_value",), "total_contract_value", "Contract value"),
    "annual_contract_value": (("annual_contract_value",), "annual_contract_value", "Annual contract value"),
    "annual_price": (("annual_price",), None, "Annual price"),
    "discount": (("discount",), None, "Discount off list"),
    "value_to_price": (("value_to_price",), None, "Value to price"),
    "open_blocking_questions": (("open_blocking_questions",), "open_blocking_questions", "Open blocking questions"),
    "promised_to_date": (("realization", "promised_to_date"), None, "Value promised to date"),
    "realized_to_date": (("realization", "realized_to_date"), None, "Value realized to date"),
}


def _exact(text: str) -> Any:
    return json.loads(text, parse_float=D)


def _cell(value: str) -> D | None:
    return D(value) if value else None


def _at(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    for key in path:
        data = data.get(key) if data else None  # type: ignore[assignment]
    return data


def assert_same_numbers(deal_id: str, shown_json: str, rows_csv: str, rows_json: str, diff_json: str, expected: dict[str, Any]) -> None:
    """Each key figure of ``deal_id`` is one number in every machine-readable output, and the one the model has."""
    shown = _exact(shown_json)
    row = next(r for r in csv.DictReader(io.StringIO(rows_csv)) if r["deal_id"] == deal_id)
    exported = next(r for r in _exact(rows_json) if r["deal_id"] == deal_id)
    [added] = [d for d in _exact(diff_json)["deals"] if d["deal"] == deal_id]
    assert added["change"] == "added"
    after = {f["label"]: f["after"] for f in added["figures"]}
    for key, (path, column, label) in FIGURES.items():
        said = {"show --json": _at(shown, path)}
        if column:
            said |= {"export csv": _cell(row[column]), "export json": exported[column]}
        if label in after or expected[key] is not None:
            said["diff json"] = after[label]
        assert all(value == expected[key] for value in said.values()), (deal_id, key, expected[key], said)
        assert all(str(value) == str(expected[key]) for value in said.values() if not isinstance(value, int)), (deal_id, key, said)


def display(report: Report) -> tuple[dict[str, str], dict[str, str]]:
    """The figures as ``show`` and the summary page both show them, and as ``show`` and the handoff page both show them."""
    assert report.deal and report.case
    f, case = Formatter(report.deal.currency, report.deal.locale), report.case
    summary = {"total cost": f.money(case.total_costs), "savings": f.money(case.annual_benefit), "NPV": f.money(case.npv)}
    summary["ROI"] = f.pct(case.roi)
    if language_of(report.deal) == "en" and case.payback_months:  # the summary says "Immediately" and "Beyond" in words
        summary["payback"] = f.months(case.payback_months)
    handoff = {"contract value": f.money(case.contract_value), "discount": f.pct(case.discount, 1)}
    handoff["value to price"] = f.times(case.value_to_price)
    return summary, handoff


def assert_same_strings(report: Report, shown: str, pages: dict[str, str]) -> None:
    summary, handoff = display(report)
    folder = f"deals/{report.id}/"
    for page, strings in ((pages[folder + "index.md"], summary), (pages[folder + "handoff.md"], handoff)):
        for name, text in strings.items():
            assert text in shown and escape(text) in page, (report.id, name, text)


# --- the example deals, through the command line ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = make_repo(tmp_path_factory.mktemp("examples"), *sorted((ROOT / "deals").glob("*.yaml")))
    if not (repo / ".git").exists():
        subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    return repo


def cli(repo: Path, *args: str) -> str:
    done = subprocess.run([DEALBRIEF, *args], cwd=repo, capture_output=True, text=True, timeout=120, env={**os.environ, "COLUMNS": "200"})
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_every_output_of_the_example_deals_has_the_same_figures(examples: Path) -> None:
    git = {"cwd": examples, "capture_output": True, "text": True, "check": True}
    empty_tree = subprocess.run(["git", "hash-object", "-t", "tree", "/dev/null"], **git).stdout.strip()  # type: ignore[call-overload]
    empty = subprocess.run(  # a commit with no deals: every deal is added
        ["git", "commit-tree", empty_tree, "-m", "no deals yet"], **git, env={**os.environ, **GIT_AUTHOR}
    ).stdout.strip()
    rows_csv, rows_json = cli(examples, "export"), cli(examples, "export", "--format", "json")
    diff_json = cli(examples, "diff", "--base", empty, "--format", "json")
    renderer = Renderer()
    ids = sorted(p.stem for p in (examples / "deals").glob("*.yaml"))
    assert len(ids) == 4
    for deal_id in ids:
        report = analyse(examples / "deals" / f"{deal_id}.yaml", Config())
        expected = plain_figures(report)
        if report.id == "alder-health-claims-automation":
            assert expected["realized_to_date"] is not None  # a won deal's figures are compared too
        assert_same_numbers(deal_id, cli(examples, "show", deal_id, "--json"), rows_csv, rows_json, diff_json, expected)
        assert_same_strings(report, cli(examples, "show", deal_id), deal_pages(report, renderer))
        if report.progress:  # the Value realized page and show say the same to date
            assert report.deal
            f = Formatter(report.deal.currency, report.deal.locale)
            page = deal_pages(report, renderer)[f"deals/{deal_id}/value.md"]
            for amount in (report.progress.promised_to_date, report.progress.realized_to_date):
                assert escape(f.money(amount)) in page and f.money(amount) in cli(examples, "show", deal_id)


def test_the_summary_pdfs_of_the_example_deals_show_the_figures_show_does(examples: Path) -> None:
    cli(examples, "pdf", "--out", "pdfs")
    for path in sorted((examples / "deals").glob("*.yaml")):
        report = analyse(path, Config())
        words = " ".join(page.extract_text() for page in PdfReader(examples / "pdfs" / f"{report.id}.pdf").pages)
        text = " ".join(words.replace("\u200b", "").split())  # spaces as one: no-break and thin spaces are spaces in a PDF's text
        shown = " ".join(cli(examples, "show", report.id).split())
        for name, figure in display(report)[0].items():
            assert " ".join(figure.split()) in text and " ".join(figure.split()) in shown, (report.id, name, figure)


# --- generated deals, in-process -------------------------------------------------------------------------------------

GENERATED = int(os.environ.get("DEALBRIEF_CONSISTENCY_DEALS", "300"))
LOCALES = [("USD", "en_US"), ("EUR", "de_DE"), ("GBP", "en_GB"), ("EUR", "fr_FR"), ("CHF", "de_CH"), ("JPY", "ja_JP")]


def generated_deal(rng: random.Random) -> dict[str, Any]:
    """A random deal: every price element and driver form, per-year lists, and amounts that often end in a half cent."""
    years = rng.randint(1, 6)

    def amount(low: int = 0, high: int = 2_000_000, places: int = 3) -> D:
        return D(rng.randint(low * 10**places, high * 10**places)).scaleb(-places)

    def ratio(places: int = 4) -> D:
        return D(rng.randint(0, 10**places)).scaleb(-places)

    def per_year(value: Any) -> Any:
        return [value() for _ in range(years)] if rng.random() < 0.4 else value()

    costs: dict[str, Any] = {"billing": rng.choice(["in-advance", "in-arrears"])}
    if rng.random() < 0.6:
        costs["subscription"] = per_year(lambda: amount(1000, 900_000))
        if rng.random() < 0.5:
            costs["list_price"] = amount(900_000, 1_200_000)
    if rng.random() < 0.5:
        price = amount(1, 3000, 2)
        costs["units"] = {"unit": "agents", "price": price, "quantity": per_year(lambda: D(rng.randint(1, 900)))}
        if rng.random() < 0.6:
            costs["units"]["list_price"] = price + amount(0, 500, 2)
    if rng.random() < 0.3:
        licence = amount(10_000, 900_000)
        costs["license"] = {"amount": licence, "list_price": licence + amount(0, 100_000), "maintenance": ratio(2) / 4}
    if rng.random() < 0.4 and not isinstance(costs.get("subscription"), list):
        costs["escalator"] = ratio(3) / 10
    costs["one_time"] = [{"name": "Services", "amount": amount(0, 200_000)}]
    if rng.random() < 0.3:
        costs["recurring"] = [{"name": "Hosting", "amount": per_year(lambda: amount(0, 50_000))}]
    drivers = [
        {"id": "outage-cost", "name": "Shorter outages", "result": "rca-time", "volume": per_year(lambda: amount(1, 400, 1))},
        {"id": "fixed", "name": "Fewer licences elsewhere", "annual": per_year(lambda: amount(0, 600_000))},
        {"id": "share", "name": "Less overstock", "base": amount(0, 3_000_000), "share": ratio(3) / 5},
    ]
    drivers[0]["rate"] = amount(1, 9000, 2)
    for driver in drivers:
        driver["basis"] = "Finance estimate"
        driver["realization"] = ratio(2)
        if rng.random() < 0.4:
            driver["ramp"] = [ratio(2) for _ in range(years)]
    if "units" in costs and rng.random() < 0.5:
        drivers.append(
            {"id": "per-unit", "name": "Per agent", "result": "rca-time", "volume_per_unit": amount(0, 5, 4), "rate": amount(1, 900)}
        )
    currency, locale = rng.choice(LOCALES)
    return mutate(
        CLEAN,
        {
            "currency": currency,
            "locale": locale,
            "value": rng.sample(drivers, rng.randint(1, len(drivers))),
            "costs": costs,
            "finance": {"horizon_years": years, "discount_rate": ratio(3) / 4},
            "commercial": {"discount_floor": ratio(2)},
        },
    )


def test_every_output_of_generated_deals_has_the_same_figures() -> None:
    rng, renderer, checked = random.Random(20260921), Renderer(), 0
    for index in range(GENERATED):
        raw = yaml.dump(generated_deal(rng), Dumper=ExactDumper, sort_keys=False).encode()
        deal_id = f"generated-{index}"
        report = analyse_bytes(raw, f"deals/{deal_id}.yaml", Config())
        if not report.valid:
            continue
        rows = crm.rows([report], None, {})
        added = [diff.Change("added", None, report, None, raw)]
        assert_same_numbers(
            deal_id,
            printable_json(figures(report)),
            crm.as_csv(rows),
            crm.as_json(rows),
            printable_json(diff.as_json("main", "0" * 40, added)),
            plain_figures(report),
        )
        shown = io.StringIO()
        render(report, Console(file=shown, width=400, highlight=False))
        assert_same_strings(report, shown.getvalue(), deal_pages(report, renderer))
        checked += 1
    assert checked >= GENERATED * 0.9  # the generator makes valid deals: the test checks what it says
