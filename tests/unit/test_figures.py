"""One set of figures: every output reads the key figures (``engine/figures.py``), rounded in one place (``fmt.plain``),
half-up and never to a negative zero; JSON carries them as exact numbers; every count of open questions agrees."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from dealbrief import fmt
from dealbrief.cli import main
from dealbrief.engine.pipeline import Report
from dealbrief.output import check_report, crm, diff
from dealbrief.output.pages import deal_pages
from dealbrief.output.render import Renderer
from dealbrief.output.show_json import figures
from dealbrief.output.terminal import render
from dealbrief.text import printable_json

from ..conftest import CLEAN, DELETE, mutate, write_deal

NEGATIVE_ZERO = re.compile(r"(?<![\d.,])[-−]\s?\D{0,2}0(?:[.,]0+)?(?![\d.,])")  # -0, −0 %, -$0, -0.0000, -0,00 €


def one_year(one_time: str, benefit: str) -> dict[str, Any]:
    """A deal of one undiscounted year: a one-time cost at time 0 and a benefit a year, so NPV and ROI are exact by hand."""
    return mutate(
        CLEAN,
        {
            "value": [{"id": "outage-cost", "name": "Shorter outages", "result": "rca-time", "annual": D(benefit), "basis": "Finance"}],
            "costs": {"one_time": [{"name": "Services", "amount": D(one_time)}]},
            "finance": {"horizon_years": 1, "discount_rate": 0},
            "stakeholders.economic_buyer": DELETE,  # a question: the counts below are not all zero
        },
    )


def outputs(report: Report, raw: bytes) -> dict[str, str]:
    """What every output prints for one deal: show, show --json, the CRM export (CSV, JSON), diff (added: JSON and
    Markdown), and the deal's pages."""
    shown = io.StringIO()
    render(report, Console(file=shown, width=200))
    added = [diff.Change("added", None, report, None, raw)]
    rows = crm.rows([report], None, {})
    return {
        "show": shown.getvalue(),
        "show --json": printable_json(figures(report)),
        "export csv": crm.as_csv(rows),
        "export json": crm.as_json(rows),
        "diff json": printable_json(diff.as_json("main", "0" * 40, added)),
        "diff markdown": diff.markdown("main", added),
        **deal_pages(report, Renderer()),
    }


def key_values(report: Report, raw: bytes) -> dict[str, dict[str, Any]]:
    """The key figures as each machine-readable output has them, read back exactly."""
    said = outputs(report, raw)
    [row] = csv.DictReader(io.StringIO(said["export csv"]))
    [exported] = json.loads(said["export json"], parse_float=D)
    [deal] = json.loads(said["diff json"], parse_float=D)["deals"]
    return {
        "show --json": json.loads(said["show --json"], parse_float=D),
        "export csv": {key: D(value) if value else None for key, value in row.items() if key in ("npv", "roi", "payback_months")},
        "export json": exported,
        "diff json": {figure["label"]: figure["after"] for figure in deal["figures"]},
    }


@pytest.fixture
def deal(tmp_path: Path, run: Any) -> Any:
    def deal(data: dict[str, Any]) -> tuple[Report, bytes]:
        report = run(data)
        return report, (tmp_path / "deals" / "acme.yaml").read_bytes()

    return deal


def test_plain_figures_round_half_up_by_kind_and_never_to_a_negative_zero() -> None:
    assert fmt.plain(D("0.64825"), "percent") == D("0.6483")  # half-even would say 0.6482
    assert fmt.plain(D("0.005"), "money") == D("0.01") and fmt.plain(D("19.785"), "months") == D("19.79")
    assert fmt.plain(D("2.40105"), "times") == D("2.4011") and fmt.plain(None, "money") is None
    for value, kind in ((D("-0.004"), "money"), (D("-0.00004"), "percent"), (D("-0.0000001"), "times")):
        assert not fmt.plain(value, kind).is_signed()  # type: ignore[union-attr]
    assert str(fmt.plain(D("-0.004"), "money")) == "0.00"


def test_display_figures_never_show_a_negative_zero() -> None:
    assert fmt.money(D("-0.4"), "USD", "en_US") == "$0" and fmt.money(D("-0.4"), "EUR", "de_DE") == "0\xa0€"
    assert fmt.percent(D("-0.00004"), "en_US") == "0%" and fmt.percent(D("-0.00004"), "de_DE", 1) == "0,0\xa0%"
    assert fmt.number(D("-0.04"), "en_US") == "0" and fmt.ratio(D("-0.01"), "en_US") == "0×"
    assert fmt.money(D("-0.5"), "USD", "en_US") == "-$1"  # half-up, away from zero: a loss stays a loss


def test_a_deal_whose_npv_rounds_to_zero_shows_no_negative_zero_anywhere(deal: Any) -> None:
    report, raw = deal(one_year("100000.004", "100000"))  # NPV -0.004: $0 shown, 0.00 to the cent; ROI -0.00000004
    assert report.case and report.case.npv == D("-0.004") and report.case.roi is not None and report.case.roi < 0
    for name, text in outputs(report, raw).items():
        assert not NEGATIVE_ZERO.search(text), (name, NEGATIVE_ZERO.search(text))
    values = key_values(report, raw)
    for name in ("show --json", "export json"):
        assert str(values[name]["npv"]) == "0.00" and str(values[name]["roi"]) == "0.0000", name
    assert (str(values["diff json"]["NPV"]), str(values["diff json"]["ROI"])) == ("0.00", "0.0000")
    assert values["export csv"]["npv"] == 0 and str(values["export csv"]["roi"]) == "0.0000"


def test_a_tie_rounds_half_up_in_every_output(deal: Any) -> None:
    report, raw = deal(one_year("100000", "164825"))  # ROI exactly 0.64825
    assert report.case and report.case.roi == D("0.64825")
    values = key_values(report, raw)
    assert {name: str(values[name]["roi"] if name != "diff json" else values[name]["ROI"]) for name in values} == {
        "show --json": "0.6483",
        "export csv": "0.6483",
        "export json": "0.6483",
        "diff json": "0.6483",
    }


def test_json_outputs_carry_figures_as_exact_numbers(deal: Any) -> None:
    report, raw = deal(one_year("0.01", "999999999999999.99"))  # above 2^53: a float would lose the cents
    values = key_values(report, raw)
    assert values["show --json"]["npv"] == values["export json"]["npv"] == values["diff json"]["NPV"] == D("999999999999999.98")
    said = outputs(report, raw)
    assert '"npv": 999999999999999.98,' in said["show --json"]
    for name in ("show --json", "export json"):
        data = json.loads(said[name])  # what a plain JSON reader gets: numbers, not strings
        figures_of = data if name == "show --json" else data[0]
        assert isinstance(figures_of["roi"], float) and isinstance(figures_of["open_blocking_questions"], int), name
        assert figures_of["payback_months"] is not None
    [added] = json.loads(said["diff json"])["deals"]
    assert all(f["after"] is None or isinstance(f["after"], int | float | list) for f in added["figures"])
    assert {f["label"]: type(f["after"]) for f in added["figures"]}["NPV"] is float


def test_a_placeholder_cannot_be_forged_by_deal_text() -> None:
    """Decimals are written through a placeholder holding a nonce of each call: text shaped like one stays text."""
    forged = '"deadbeef" 1 "deadbeef"'
    assert json.loads(printable_json({"x": forged, "n": D("1.50"), "z": None})) == {"x": forged, "n": 1.5, "z": None}
    assert printable_json([D("0.6483"), "\x7f"]) == '[\n  0.6483,\n  "\\u007f"\n]'  # control characters still escaped


def test_check_counts_open_blocking_questions_as_every_output_does(run: Any) -> None:
    report = run(
        {
            "stakeholders.economic_buyer": DELETE,  # a rule's question
            "handoff": {"questions": [{"ask": "Who signs the data processing agreement?", "owner": "AE"}]},  # the SE's own
        }
    )
    assert report.review and len(report.review.open_blocking) == 2
    assert check_report.text([report]).endswith("1 deal checked: 2 open blocking questions")
    [row] = crm.rows([report], None, {})
    assert row["open_blocking_questions"] == figures(report)["open_blocking_questions"] == 2


@pytest.mark.parametrize(("settings", "code"), [("", 1), ('[lint]\nseverity = {DB113 = "warning"}\n', 0)])
def test_a_thousands_dot_is_an_error_a_team_may_lower_to_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], settings: str, code: int
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "deals").mkdir()
    (tmp_path / "dealbrief.toml").write_text(settings, encoding="utf-8")
    write_deal(tmp_path / "deals", mutate(CLEAN, {"costs.one_time.0.amount": D("85.000")}))
    assert main(["check"]) == code
    said = capsys.readouterr().out
    assert "costs.one_time[0].amount: 85.000 is read as 85: in a deal file a dot is the decimal point; did you mean 85000?" in said
    assert f"[{'error' if code else 'warning'} DB113 thousands-dot]" in said
