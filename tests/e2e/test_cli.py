"""The command line, run as a user runs it: the installed console script, in a subprocess."""

from __future__ import annotations

import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from ..conftest import CLEAN, DEALBRIEF, ROOT, mutate, write_deal

SHOW_JSON_KEYS = [
    "id",
    "currency",
    "stage",
    "pv_costs",
    "pv_benefits",
    "npv",
    "roi",
    "payback_months",
    "total_costs",
    "total_benefits",
    "annual_benefit",
    "break_even_realization",
    "cost_of_delay",
    "value_to_price",
    "discount",
    "cashflow",
    "results",
    "questions",
    "findings",
    "handoff_gate",
    "open_blocking_questions",
    "annual_price",
    "contract_value",
    "annual_contract_value",
    "commitment",
    "realization",
    "revision",
    "scale_scenarios",
    "usage_scenarios",
]


def dealbrief(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {"PATH": "/usr/bin:/bin", "COLUMNS": "100", **env}
    done = subprocess.run([DEALBRIEF, *args], cwd=cwd, capture_output=True, text=True, timeout=60, env=environment)
    assert "Traceback" not in done.stderr + done.stdout
    return done


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A deal repository holding one clean deal."""
    (tmp_path / "deals").mkdir()
    write_deal(tmp_path / "deals", CLEAN, "acme")
    return tmp_path


def test_help_for_every_command(tmp_path: Path) -> None:
    top = dealbrief("--help", cwd=tmp_path)
    assert top.returncode == 0 and all(c in top.stdout for c in ("new", "check", "show", "schema", "Exit codes"))
    for command, words in {"new": "skeleton", "check": "--strict", "show": "--json", "schema": "JSON Schema"}.items():
        done = dealbrief(command, "--help", cwd=tmp_path)
        assert done.returncode == 0 and words in done.stdout


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert dealbrief("frobnicate", cwd=tmp_path).returncode == 2
    missing = dealbrief("check", "nowhere/", cwd=tmp_path)
    assert (missing.returncode, missing.stderr) == (2, "dealbrief: nowhere: no such file or folder\n")


def test_check_clean_repository(repo: Path) -> None:
    done = dealbrief("check", cwd=repo)
    assert (done.returncode, done.stdout) == (0, "1 deal checked: clean\n")


def test_check_reports_every_deal_and_exits_by_severity(repo: Path) -> None:
    write_deal(repo / "deals", mutate(CLEAN, {"recommendation": "Lower API latency."}), "jargon")
    write_deal(repo / "deals", mutate(CLEAN, {"poc.end": "2026-07-01"}), "broken")
    write_deal(repo / "deals", mutate(CLEAN, {"baseline.source": None}), "unsourced")
    done = dealbrief("check", cwd=repo)
    assert done.returncode == 2  # one deal is unusable
    assert done.stdout.splitlines() == [
        "deals/broken.yaml:25:3: poc.end: expected a date (YYYY-MM-DD), found text '2026-07-01'",
        "deals/jargon.yaml:53:1: recommendation: engineering jargon in customer-facing text: API, latency; say what it means "
        "for the business [warning DB111 cfo-jargon]",
        "deals/unsourced.yaml:21:3: baseline.source: the baseline has no source; say whose data it is (e.g. the customer's "
        "ticket export) [warning DB108 unsourced-number]",
        "4 deals checked: 1 invalid, 2 warnings",
    ]
    (repo / "deals" / "broken.yaml").unlink()
    assert dealbrief("check", cwd=repo).returncode == 0
    assert dealbrief("check", "--strict", cwd=repo).returncode == 1
    write_deal(repo / "deals", mutate(CLEAN, {"poc.results.0.after": 12}), "regressed")
    assert dealbrief("check", cwd=repo).returncode == 1  # an error finding (DB109), the deal itself valid
    write_deal(repo / "deals", mutate(CLEAN, {"poc.end": __import__("datetime").date(2026, 7, 1)}), "dates")
    assert dealbrief("check", cwd=repo).returncode == 2  # dates out of order: the deal is invalid


def test_check_json_and_github_formats(repo: Path) -> None:
    write_deal(repo / "deals", mutate(CLEAN, {"recommendation": "Lower API latency, 100%: fast."}), "jargon")
    entries = json.loads(dealbrief("check", "--format", "json", cwd=repo).stdout)
    assert entries == [
        {
            "file": "deals/jargon.yaml",
            "line": 53,
            "column": 1,
            "key": "recommendation",
            "severity": "warning",
            "code": "DB111",
            "slug": "cfo-jargon",
            "message": "engineering jargon in customer-facing text: API, latency; say what it means for the business",
        }
    ]
    github = dealbrief("check", "--format", "github", cwd=repo).stdout
    assert github == (
        "::warning file=deals/jargon.yaml,line=53,col=1,title=DB111 cfo-jargon::recommendation: engineering jargon "
        "in customer-facing text: API, latency; say what it means for the business\n"
    )
    write_deal(repo / "deals", mutate(CLEAN, {"stage": "50%, won:\nyes"}), "odd")
    github = dealbrief("check", "--format", "github", "deals/odd.yaml", cwd=repo).stdout
    assert github == (
        "::error file=deals/odd.yaml,line=4,col=1,title=invalid deal::stage: expected one of discovery, poc, "
        "technical-win, handoff, summary-sent, closed-won or closed-lost; found text '50%25, won:%0Ayes'\n"
    )


def test_check_names_files_and_folders(repo: Path) -> None:
    done = dealbrief("check", "deals/acme.yaml", "deals", cwd=repo)
    assert done.stdout == "1 deal checked: clean\n"


def test_show_json_has_exactly_the_spec_keys(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "deals", tmp_path / "deals")
    figures = json.loads(dealbrief("show", "northwind-incident-analytics", "--json", cwd=tmp_path).stdout, parse_float=Decimal)
    assert list(figures) == SHOW_JSON_KEYS
    assert figures["npv"] == Decimal("884814.73") and figures["roi"] == Decimal("0.6479") and figures["payback_months"] == Decimal("19.79")
    assert figures["cashflow"]["initial"] == {"costs": Decimal("510000.00"), "benefits": Decimal("0.00")}
    assert len(figures["cashflow"]["years"]) == 3 and list(figures["cashflow"]["years"][0]) == ["costs", "benefits"]
    assert figures["results"] == [{"id": "rca-time", "improvement": Decimal("0.9857")}]
    assert [list(q) for q in figures["questions"]] == [["id", "text", "blocking", "answered"]] * len(figures["questions"])
    assert [list(f) for f in figures["findings"]] == [["code", "slug", "severity", "line", "message"]] * len(figures["findings"])
    assert figures["handoff_gate"] == "open" and figures["realization"] is None  # not won
    assert figures["contract_value"] == Decimal("1350000.00") and figures["annual_price"] == Decimal("450000.00")
    assert [(s["label"], s["units"], s["contract_value"]) for s in figures["scale_scenarios"]] == [
        ("Tested in the POC", [10, 10, 10], Decimal("33750.00")),
        ("Committed", [300, 300, 300], Decimal("1012500.00")),
        ("Half of the plan", [200, 200, 200], Decimal("675000.00")),
        ("The plan", [400, 400, 400], Decimal("1350000.00")),
    ]
    assert list(figures["scale_scenarios"][0]) == [
        "label",
        "units",
        "annual_price",
        "annual_benefit",
        "npv",
        "roi",
        "payback_months",
        "contract_value",
    ]
    words = ("id", "currency", "stage", "cashflow", "results", "questions", "findings", "handoff_gate", "realization", "revision")
    nested = ("scale_scenarios", "usage_scenarios", "open_blocking_questions", "commitment")
    numbers = [v for k, v in figures.items() if k not in (*words, *nested)]
    assert numbers and all(isinstance(v, Decimal) for v in numbers)  # exact JSON numbers, never floats or strings


def test_show_puts_the_three_answers_first(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "deals", tmp_path / "deals")
    lines = dealbrief("show", "northwind-incident-analytics", cwd=tmp_path).stdout.splitlines()
    assert "Northwind Logistics — Incident analytics platform" in lines[0]
    assert "What does it cost?" in lines[1] and "$1,500,000 over 3 years" in lines[1]
    assert any("What does it save?" in line and "$1,080,480 a year" in line for line in lines[2:4])
    assert any("When is the return?" in line and "19.8 months (May 2028)" in line for line in lines[3:6])


def test_show_errors(repo: Path) -> None:
    unknown = dealbrief("show", "nope", cwd=repo)
    assert (unknown.returncode, unknown.stderr) == (2, "dealbrief: no deal 'nope' in deals/ (deals: acme)\n")
    assert dealbrief("show", "deals/acme.yaml", cwd=repo).returncode == 0  # the path, as a shell completes it
    typo = dealbrief("show", "acm", cwd=repo)
    assert (typo.returncode, typo.stderr) == (2, "dealbrief: no deal 'acm' in deals/ (did you mean acme?)\n")
    write_deal(repo / "deals", mutate(CLEAN, {"stage": "won"}), "bad")
    invalid = dealbrief("show", "bad", "--json", cwd=repo)
    assert invalid.returncode == 2 and invalid.stdout == "" and invalid.stderr.startswith("deals/bad.yaml:4:1: stage: expected one of")


def test_new_never_writes_through_a_link_and_a_blocked_folder_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "deals").mkdir()
    (tmp_path / "deals" / "acme.yaml").symlink_to(tmp_path / "outside.yaml")  # a link to nowhere, yet
    done = dealbrief("new", "acme", cwd=tmp_path)
    assert done.returncode == 2 and "already exists" in done.stderr and not (tmp_path / "outside.yaml").exists()
    blocked = tmp_path / "blocked"
    blocked.mkdir()
    (blocked / "deals").write_text("a file where the deals folder should be")
    done = dealbrief("new", "acme", cwd=blocked)
    assert done.returncode == 2 and done.stderr.startswith("dealbrief: deals: File exists; move it away"), done.stderr


def test_new_writes_a_skeleton_that_passes_check(tmp_path: Path) -> None:
    done = dealbrief("new", "globex-observability", cwd=tmp_path)
    assert done.returncode == 0 and (tmp_path / "deals" / "globex-observability.yaml").is_file()
    checked = dealbrief("check", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout
    assert yaml.safe_load((tmp_path / "deals" / "globex-observability.yaml").read_text())["stage"] == "discovery"
    again = dealbrief("new", "globex-observability", cwd=tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr
    bad = dealbrief("new", "../escape", cwd=tmp_path)
    assert bad.returncode == 2 and "is not a deal id" in bad.stderr and not (tmp_path.parent / "escape.yaml").exists()
    inside = dealbrief("new", "other", cwd=tmp_path / "deals")  # a hurried user in the wrong folder
    assert inside.returncode == 2 and "run dealbrief from the repository root" in inside.stderr
    assert not (tmp_path / "deals" / "deals").exists()
    reserved = dealbrief("new", "con", cwd=tmp_path)  # the same rule as the file-name check
    assert reserved.returncode == 2 and not (tmp_path / "deals" / "con.yaml").exists()


def test_schema_prints_the_checked_in_schema(tmp_path: Path) -> None:
    done = dealbrief("schema", cwd=tmp_path)
    assert json.loads(done.stdout) == json.loads((ROOT / "schema" / "deal.schema.json").read_text())


def test_examples_check_as_the_readme_says() -> None:
    """On the examples' day: later, DB114 rightly asks for the Alder example's figures of each review period since."""
    done = dealbrief("check", "--format", "json", cwd=ROOT, SOURCE_DATE_EPOCH="1790000000")
    assert done.returncode == 0
    found = sorted((Path(e["file"]).stem, e["code"]) for e in json.loads(done.stdout))
    assert found == [
        ("fjord-freight-route-planning", "DB104"),
        ("fjord-freight-route-planning", "DB108"),
        ("fjord-freight-route-planning", "DB111"),
        ("northwind-incident-analytics", "DB102"),
        ("northwind-incident-analytics", "DB104"),
    ]
