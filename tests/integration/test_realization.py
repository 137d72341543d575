"""After the signature: the promise read from git, periods of each cadence, measured money, the lint and the format.

The worked examples are computed by hand in the docstrings; the clean deal's one driver is worth
(10 − 2) hours × 20 incidents × 5,000 × realization 0.8 = 640,000 a year, 53,333.33 a month.
"""

from __future__ import annotations

import os
import re
import subprocess
from datetime import date
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import yaml

from dealbrief.cli import main
from dealbrief.engine.config import Config
from dealbrief.engine.history import file_hash
from dealbrief.engine.pipeline import Report, analyse
from dealbrief.engine.realization import Uncounted, period
from dealbrief.output.render import Renderer
from dealbrief.output.show_json import figures

from ..conftest import CLEAN, GIT_AUTHOR, ROOT, ExactDumper, mutate

MONTH = Decimal(640000) / 12
JANUARY_15_2027, JULY_1_2029 = 1799971200, 1877558400  # SOURCE_DATE_EPOCH: "today" for the checks


def git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True, text=True, env={**os.environ, **GIT_AUTHOR}).stdout


def dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=ExactDumper, sort_keys=False, allow_unicode=True)


@pytest.fixture
def won(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A repository whose history holds the clean deal as sent (or with ``promised`` changes); the deal then won, with
    ``changes`` applied."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(JANUARY_15_2027))  # the periods the tests measure are over, 2026-Q4 included
    (tmp_path / "deals").mkdir()
    path = tmp_path / "deals" / "acme.yaml"
    git(tmp_path, "init", "-q", "-b", "main")

    def send(data: dict[str, Any]) -> str:
        path.write_text(dump(data), encoding="utf-8")
        git(tmp_path, "add", "-A")
        git(tmp_path, "commit", "-qm", "sent")
        return file_hash(path.read_bytes())

    first = send(mutate(CLEAN, {"handoff": {"meeting": date(2026, 8, 16)}}))  # the gate passed: it may be sent

    def run(changes: dict[str, Any], config: Config | None = None, promised: dict[str, Any] | None = None) -> Report:
        sent_hash = send(mutate(CLEAN, promised)) if promised else first
        data = mutate(
            CLEAN,
            {
                "stage": "closed-won",
                "sent": {"date": date(2026, 8, 20), "file_hash": sent_hash},
                "signed": date(2026, 8, 30),
                "finance.go_live": date(2026, 9, 1),
                "handoff": {"meeting": date(2026, 8, 16)},
                "realization": {"owner": "Casey Morgan", "measurements": []},
                **(promised or {}),
                **changes,
            },
        )
        path.write_text(dump(data), encoding="utf-8")
        return analyse(path, config or Config())

    return run


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


def measured(*items: dict[str, Any]) -> dict[str, Any]:
    return {"realization.measurements": [{"evidence": "Ticket export", "confirmed_by": "Priya Nair", **item} for item in items]}


def test_periods_of_each_cadence() -> None:
    assert (period("2027-Q1").first, period("2027-Q1").last) == (date(2027, 1, 1), date(2027, 3, 31))
    assert (period("2028-02").first, period("2028-02").last) == (date(2028, 2, 1), date(2028, 2, 29))
    assert (period("2027").first, period("2027").last) == (date(2027, 1, 1), date(2027, 12, 31))
    assert period("2027-Q4").review_due == date(2028, 1, 30)  # 30 days to collect the figures


def test_promised_against_realized_worked_example(won) -> None:
    """Go-live 1 September 2026. 2026-Q3 is September alone: 53,333.33 promised, nothing measured. 2026-Q4: three
    months, 160,000 promised; measured (10 − 4) hours × 6 incidents × 5,000 = 180,000 (no realization factor).
    To date: 213,333.33 promised, 180,000 realized, 84.375 %."""
    report = won(measured({"period": "2026-Q4", "result": "rca-time", "value": 4, "volume": 6}))
    progress = report.progress
    assert report.promise_problem is None and progress is not None
    assert [(p.label, cents(p.promised), p.realized) for p in progress.periods] == [
        ("2026-Q3", cents(MONTH), 0),
        ("2026-Q4", cents(3 * MONTH), 180000),
    ]
    assert cents(progress.promised_to_date) == cents(4 * MONTH) and progress.realized_to_date == 180000
    assert round(progress.ratio, 20) == Decimal("0.84375")
    assert (progress.next_period, progress.next_review) == ("2027-Q1", date(2027, 4, 30))
    assert figures(report)["realization"] == {
        "promised_to_date": Decimal("213333.33"),
        "realized_to_date": Decimal("180000.00"),
        "ratio": Decimal("0.8438"),
        "promised_total": Decimal("1920000.00"),
        "drivers": [{"id": "outage-cost", "promised": Decimal("213333.33"), "realized": Decimal("180000.00"), "ratio": Decimal("0.8438")}],
        "unconfirmed": 0,
        "periods": [
            {
                "period": "2026-Q3",
                "promised": Decimal("53333.33"),
                "realized": Decimal("0.00"),
                "drivers": [{"id": "outage-cost", "promised": Decimal("53333.33"), "realized": Decimal("0.00")}],
            },
            {
                "period": "2026-Q4",
                "promised": Decimal("160000.00"),
                "realized": Decimal("180000.00"),
                "drivers": [{"id": "outage-cost", "promised": Decimal("160000.00"), "realized": Decimal("180000.00")}],
            },
        ],
        "next_period": "2027-Q1",
        "next_review": "2027-04-30",
    }


def test_later_edits_never_change_the_promise(won) -> None:
    """The current file halves the realization and the rate; the promise is still the sent version's 640,000 a year."""
    report = won({**measured({"period": "2026-Q4", "result": "rca-time", "value": 4, "volume": 6}), "value.0.realization": 0.4})
    assert report.progress and cents(report.progress.promised_to_date) == cents(4 * MONTH)
    assert report.case and report.case.annual_benefit == 320000  # the current case did change


@pytest.mark.parametrize(
    ("cadence", "label", "expected"),
    [
        # go-live 15 November 2026, ramp 0.5 then 1: year 1 (Nov 2026 – Oct 2027) 320,000, year 2 640,000
        ("monthly", "2026-11", Decimal(320000) / 12),
        ("quarterly", "2026-Q4", 2 * Decimal(320000) / 12),  # November and December: the first two months
        ("quarterly", "2027-Q4", Decimal(320000) / 12 + 2 * Decimal(640000) / 12),  # October in year 1, then year 2
        ("yearly", "2026", 2 * Decimal(320000) / 12),
        ("yearly", "2027", 10 * Decimal(320000) / 12 + 2 * Decimal(640000) / 12),
    ],
)
def test_a_period_takes_each_month_from_its_contract_year(
    won, monkeypatch: pytest.MonkeyPatch, cadence: str, label: str, expected: Decimal
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(JULY_1_2029))
    report = won(
        {
            "finance.go_live": date(2026, 11, 15),
            "realization.cadence": cadence,
            **measured({"period": label, "driver": "outage-cost", "annual": 0}),
        },
        promised={"value.0.ramp": [0.5, 1, 1]},
    )
    assert report.progress and report.progress.periods[-1].label == label
    assert cents(report.progress.periods[-1].promised) == cents(expected)


def test_a_measured_driver_counts_its_share_of_a_year_inside_the_contract(won) -> None:
    """120,000 a year: a quarter counts 30,000; 2026-Q3 holds one contract month (September): 10,000."""
    report = won(
        measured(
            {"period": "2026-Q3", "driver": "outage-cost", "annual": 120000},
            {"period": "2026-Q4", "driver": "outage-cost", "annual": 120000},
        )
    )
    assert report.progress and [p.realized for p in report.progress.periods] == [10000, 30000]


def test_the_sent_version_must_be_in_the_history(won) -> None:
    report = won({"sent": {"date": date(2026, 8, 20), "file_hash": "0123456789ab"}})
    assert report.progress is None and "no committed version of acme.yaml has hash 0123456789ab" in str(report.promise_problem)
    assert [(f.code, f.severity, f.key) for f in report.review.findings if f.code == "DB118"] == [("DB118", "error", "sent.file_hash")]


def test_a_shallow_clone_is_told_to_fetch_the_history(won, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    won(measured())
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "won")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{tmp_path}", str(clone))
    monkeypatch.chdir(clone)
    report = analyse(Path("deals/acme.yaml"), Config())
    assert report.progress is None and "the clone is shallow: fetch the whole history (git fetch --unshallow" in str(report.promise_problem)


def test_outside_git_the_promise_cannot_be_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    (tmp_path / "deals").mkdir()
    text = (ROOT / "deals" / "alder-health-claims-automation.yaml").read_text(encoding="utf-8")
    (tmp_path / "deals" / "alder.yaml").write_text(text, encoding="utf-8")
    report = analyse(Path("deals/alder.yaml"), Config())
    assert report.valid and report.progress is None and "not in a git repository" in str(report.promise_problem)


def test_the_example_deal_is_the_readme_worked_example() -> None:
    """The README's numbers: 847,223 promised in year 1, ten months of it to date; 1,039,150 measured."""
    report = analyse(ROOT / "deals" / "alder-health-claims-automation.yaml", Config())
    progress = report.progress
    assert progress is not None, report.promise_problem
    assert progress.promised_to_date == Decimal(847223) * 10 / 12 and progress.realized_to_date == 1039150
    assert {d.id: (d.realized, round(d.ratio, 4)) for d in progress.drivers} == {
        "handling-time": (791040, Decimal("2.0652")),
        "overpayments": (128110, Decimal("0.7406")),
        "overflow-service": (120000, Decimal("0.8")),
    }
    assert [p.realized for p in progress.periods] == [49290, 225120, 330700, 434040]


# --- the lint ------------------------------------------------------------------------------------------------------------


def codes(report: Report, *wanted: str) -> list[tuple[str, str, str]]:
    return [(f.code, f.severity, f.key) for f in report.review.findings if f.code in wanted]


def test_an_ended_period_without_figures_is_overdue(won, monkeypatch: pytest.MonkeyPatch) -> None:
    """On 1 February 2027: 2026-Q3 was due on 30 October and 2026-Q4 on 30 January; 2026-Q4 was measured."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1801440000")  # 2027-02-01
    report = won(measured({"period": "2026-Q4", "driver": "outage-cost", "annual": 640000}))
    overdue = [f.message for f in report.review.findings if f.code == "DB114"]
    assert overdue == [
        "the figures for 2026-Q3 were due on October 30, 2026 and are not recorded; Casey Morgan: measure them with the "
        "customer and add them under realization.measurements"
    ]


def test_value_behind_the_promise_asks_the_owner_without_holding_the_gate(won) -> None:
    """2026-Q3 and Q4: 213,333.33 promised, 120,000 realized (56 %): below 70 %."""
    report = won(measured({"period": "2026-Q4", "result": "rca-time", "value": 6, "volume": 6}))
    [question] = [q for q in report.review.questions if q.id == "value-gap"]
    assert (question.owner, question.blocking, report.review.gate) == ("Casey Morgan", False, "passed")
    assert "realized $120,000 of the $213,333 promised through 2026-Q4 (56%, below the 70% the team expects)" in question.text
    assert not won(
        measured({"period": "2026-Q4", "result": "rca-time", "value": 6, "volume": 6}), Config(realization_floor=Decimal("0.5"))
    ).review.questions


def test_an_unconfirmed_measurement_is_a_warning_and_keeps_the_report_a_draft(won) -> None:
    report = won({"realization.measurements": [{"period": "2026-Q4", "driver": "outage-cost", "annual": 1000}]})
    assert codes(report, "DB116") == [("DB116", "warning", "realization.measurements[0]")]
    assert report.progress and len(report.progress.unconfirmed) == 1


def test_a_measurement_outside_the_contract_is_an_error_and_counts_for_nothing(won) -> None:
    report = won(
        measured(
            {"period": "2026-Q2", "driver": "outage-cost", "annual": 1000}, {"period": "2030-Q1", "driver": "outage-cost", "annual": 1000}
        )
    )
    assert codes(report, "DB117") == [
        ("DB117", "error", "realization.measurements[0].period"),
        ("DB117", "error", "realization.measurements[1].period"),
    ]
    assert report.progress and report.progress.realized_to_date == 0 and report.progress.periods == ()


# --- the format ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"stage": "summary-sent"}, "realization: realization tracks a won deal's value: set stage: closed-won (stage is summary-sent)"),
        ({"sent": None}, "realization: the promise is the version the CFO received: record it first with `dealbrief sent ID`"),
        (
            measured({"period": "2027-03", "driver": "outage-cost", "annual": 1}),
            "period: the cadence is quarterly: write the period like 2027-Q1, found '2027-03'",
        ),
        (
            measured({"period": "2027-Q1", "result": "rca-time", "value": 1}),
            "a measured result needs value (as measured) and volume (how often, in the period); missing volume",
        ),
        (
            measured({"period": "2027-Q1", "driver": "nope", "annual": 1}),
            "driver: expected the id of a value driver (outage-cost), found 'nope'",
        ),
        (measured({"period": "2027-Q1", "annual": 1}), "expected a form: `result` + `value` + `volume`, or `driver` + `annual`"),
        (
            measured(
                {"period": "2027-Q1", "driver": "outage-cost", "annual": 1}, {"period": "2027-Q1", "driver": "outage-cost", "annual": 2}
            ),
            "'outage-cost' is measured twice for 2027-Q1; combine the two, or correct the period",
        ),
        ({"signed": date(2026, 8, 1)}, "signed: the contract is signed (2026-08-01) before the summary was sent (2026-08-20)"),
    ],
)
def test_the_format_after_the_signature(won, changes: dict[str, Any], message: str) -> None:
    report = won(changes)
    assert not report.valid and any(message in str(p) for p in report.problems), report.problems


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_value_charts_period_labels_never_overlap(won, monkeypatch: pytest.MonkeyPatch, language: str) -> None:
    """Months said in words are long ("septiembre de 2028"): the axis labels every n-th period, with room for the widest."""
    from dealbrief.output.chart import CHARACTER, FONT_SIZE

    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(JULY_1_2029))
    report = won(
        {"realization.cadence": "monthly", **measured({"period": "2029-06", "driver": "outage-cost", "annual": 600000})},
        promised={"language": language, "locale": "es_ES" if language == "es" else "en_US"},
    )
    svg = Renderer().value_chart(report)
    axis = [(Decimal(x), label) for x, label in re.findall(r'<text x="([\d.]+)" y="[\d.]+" text-anchor="middle"[^>]*>([^<]+)</text>', svg)]
    assert len(axis) >= 3 and ("septiembre de 2026" if language == "es" else "September 2026") in [label for _, label in axis]
    for (left, first), (right, second) in pairwise(axis):
        assert right - left >= Decimal(len(first) + len(second)) / 2 * FONT_SIZE * CHARACTER, (first, second)


# --- dealbrief sent --------------------------------------------------------------------------------------------------------


def test_sent_records_the_committed_version_and_refuses_uncommitted_changes(
    won, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "deals" / "acme.yaml"
    committed = path.read_bytes()
    assert main(["sent", "acme", "--date", "2026-08-20"]) == 0
    text = path.read_text(encoding="utf-8")
    assert f"stage: summary-sent\nsent: {{date: 2026-08-20, file_hash: {file_hash(committed)}}}" in text
    assert (
        text.replace(text.splitlines()[text.splitlines().index("stage: summary-sent") + 1] + "\n", "").replace(
            "stage: summary-sent", "stage: technical-win"
        )
        == committed.decode()
    )  # nothing else changed
    assert main(["sent", "acme"]) == 2
    assert "has uncommitted changes: commit them first" in capsys.readouterr().err


# --- found by an outside attack -------------------------------------------------------------------------------------------


def test_realized_value_uses_the_rate_and_baseline_that_were_sent(won) -> None:
    """Raising the rate or the baseline after sending would inflate every measured result: the sent formula is kept."""
    measurement = measured({"period": "2026-Q4", "result": "rca-time", "value": 4, "volume": 6})
    edited = won({**measurement, "value.0.rate": 20000, "poc.results.0.before": 40})
    assert edited.progress and edited.progress.realized_to_date == 180000  # (10 − 4) × 6 × 5,000, as sent


def test_a_driver_the_promise_did_not_have_counts_for_nothing_and_is_an_error(won) -> None:
    extra = {"id": "upsell", "name": "Upsell", "annual": 5000000, "basis": "x"}
    report = won({"value.1": extra, **measured({"period": "2026-Q4", "driver": "upsell", "annual": 5000000})})
    assert report.progress and report.progress.realized_to_date == 0 and report.progress.uncounted == (Uncounted(0, "driver"),)
    assert codes(report, "DB117") == [("DB117", "error", "realization.measurements[0].driver")]


def test_a_currency_changed_after_sending_is_not_converted(won) -> None:
    report = won({"currency": "EUR"})
    assert report.progress is None and "the version sent is in USD and the deal is now in EUR" in str(report.promise_problem)


def test_a_measured_result_beyond_what_dealbrief_computes_is_refused(won) -> None:
    report = won(measured({"period": "2026-Q4", "result": "rca-time", "value": -999999999, "volume": 999999999}))
    assert not report.valid and "gain × volume × rate is 10^15 or more" in str(report.problems[0])


def test_a_measured_result_beyond_what_dealbrief_computes_with_the_sent_rate_is_a_problem(won) -> None:
    """The current rate of 0 lets the measurement pass validation; the version sent values each hour at 5,000."""
    huge = measured({"period": "2026-Q4", "result": "rca-time", "value": -999999999, "volume": 999999999})
    report = won({**huge, "value.0.rate": 0})
    assert report.valid and report.progress is None
    assert "a measurement is worth 10^15 or more with the rate and baseline of the version sent" in str(report.promise_problem)


def test_a_blob_git_cannot_read_is_a_clear_problem(won, tmp_path: Path) -> None:
    from dealbrief.engine.history import History, NotInHistory

    won(measured())
    history = History(tmp_path / "deals")
    with pytest.raises(NotInHistory, match="the history is incomplete"):
        history.contents(["1" * 40])
    history.close()


def test_the_footer_hash_names_the_version_in_the_history_with_crlf_checkouts(won, tmp_path: Path) -> None:
    path = tmp_path / "deals" / "acme.yaml"
    committed = path.read_bytes()
    git(tmp_path, "config", "core.autocrlf", "true")
    path.unlink()
    git(tmp_path, "checkout", "--", "deals/acme.yaml")  # checked out with CRLF
    assert b"\r\n" in path.read_bytes()
    crlf = analyse(path, Config())
    assert crlf.digest and crlf.digest == file_hash(committed)  # the footer prints the start of the hash of the version in git
    assert main(["sent", "acme", "--date", "2026-08-20"]) == 0
    written = path.read_bytes()
    assert b"\r\n" in written and b"\n" not in written.replace(b"\r\n", b"")  # line endings kept as checked out


def test_sent_will_not_silently_replace_a_promise(won, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sent", "acme", "--date", "2026-08-20"]) == 0
    git(tmp_path, "commit", "-qam", "sent")
    assert main(["sent", "acme", "--date", "2026-08-21"]) == 2
    assert "already records the version sent (sent:)" in capsys.readouterr().err
    assert main(["sent", "acme", "--date", "2026-08-21", "--replace"]) == 0
    assert main(["sent", "acme", "--date", "2999-01-01", "--replace"]) == 2
    assert "is in the future" in capsys.readouterr().err


def test_sent_finds_a_quoted_stage(won, tmp_path: Path) -> None:
    path = tmp_path / "deals" / "acme.yaml"
    path.write_text(path.read_text().replace("stage: technical-win", 'stage: "technical-win"'))
    git(tmp_path, "commit", "-qam", "quoted")
    assert main(["sent", "acme", "--date", "2026-08-20"]) == 0
    assert "stage: summary-sent\nsent: {date: 2026-08-20" in path.read_text()


def test_sent_writes_the_keys_the_parser_reads_not_lines_inside_a_text(won, tmp_path: Path) -> None:
    """A quoted text may hold a line reading `stage:` or `sent:` at its start: that is text, not the key to write."""
    path = tmp_path / "deals" / "acme.yaml"
    decoy = 'title: "Incident analytics\nsent: see below\nstage: technical-win\n"\n'
    path.write_text(path.read_text().replace("title: Incident analytics platform\n", decoy))
    git(tmp_path, "commit", "-qam", "a text with key-like lines")
    assert main(["sent", "acme", "--date", "2026-08-20"]) == 0
    report = analyse(path, Config())
    assert report.deal and report.deal.stage == "summary-sent" and decoy in path.read_text()
    assert report.deal.sent and report.deal.sent.date == date(2026, 8, 20)
    git(tmp_path, "commit", "-qam", "sent")
    assert main(["sent", "acme", "--date", "2026-08-21", "--replace"]) == 0
    report = analyse(path, Config())
    assert report.deal and report.deal.sent and report.deal.sent.date == date(2026, 8, 21) and decoy in path.read_text()


def test_sent_fills_an_empty_sent_key_and_keeps_the_lines_around_a_block(won, tmp_path: Path) -> None:
    path = tmp_path / "deals" / "acme.yaml"
    path.write_text(path.read_text().replace("stage: technical-win\n", "stage: technical-win\nsent:    # filled in by dealbrief sent\n"))
    git(tmp_path, "commit", "-qam", "an empty sent: waiting")
    assert main(["sent", "acme", "--date", "2026-08-20"]) == 0  # nothing recorded yet: not a promise to replace
    text = path.read_text()
    assert text.count("sent:") == 1 and "sent: {date: 2026-08-20" in text
    block = "sent:\n  date: 2026-08-20\n  file_hash: {}\n\n# the money\n"
    path.write_text(re.sub(r"sent: \{date: 2026-08-20, file_hash: (\w+)\}.*\n", lambda m: block.format(m.group(1)), text))
    git(tmp_path, "commit", "-qam", "sent, written as a block")
    assert main(["sent", "acme", "--date", "2026-08-21", "--replace"]) == 0
    assert "received\n\n# the money\n" in path.read_text()  # the blank line after the block stays


def test_sent_writes_a_hash_of_digits_only(won, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One hash in 280 is twelve decimal digits: YAML reads it as a number, and it is still the hash written."""
    monkeypatch.setattr("dealbrief.sent.file_hash", lambda raw: "123456789012")
    assert main(["sent", "acme", "--date", "2026-08-20"]) == 0
    assert "sent: {date: 2026-08-20, file_hash: 123456789012}" in (tmp_path / "deals" / "acme.yaml").read_text()


def test_sent_writes_nothing_that_would_make_the_deal_invalid(won, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "deals" / "acme.yaml"
    won({})  # signed on 30 August 2026
    git(tmp_path, "commit", "-qam", "won")
    committed = path.read_text()
    assert main(["sent", "acme", "--date", "2026-09-05", "--replace"]) == 2  # sent after the signature
    error = capsys.readouterr().err
    assert "would not be valid with sent: {date: 2026-09-05" in error and "before the summary was sent" in error
    assert path.read_text() == committed


def test_sent_refuses_what_it_cannot_write_on_a_line_of_its_own(won, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "deals" / "acme.yaml"
    committed = path.read_text().replace("stage: technical-win", "stage:\n  technical-win")
    path.write_text(committed)
    git(tmp_path, "commit", "-qam", "the stage on a line below its key")
    assert main(["sent", "acme", "--date", "2026-08-20"]) == 2
    assert "has no `stage:` starting a line with its value on it" in capsys.readouterr().err
    assert path.read_text() == committed  # nothing written


def test_a_malformed_source_date_epoch_is_a_usage_error(run, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    run({})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "abc")
    assert main(["check"]) == 2
    assert "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970" in capsys.readouterr().err


def test_a_short_hash_that_names_two_versions_is_an_error_naming_both(won, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A birthday search finds two versions sharing 12 hex digits in seconds: a short hash must name exactly one version.
    Here every version's hash is made to start with twelve zeros, as two such versions would."""
    from dealbrief.engine import history

    real = history.file_digest
    monkeypatch.setattr(history, "file_digest", lambda raw: "0" * 12 + real(raw)[12:])
    report = won({"sent": {"date": date(2026, 8, 20), "file_hash": "000000000000"}}, promised={"costs.subscription": 190000})
    commits = git(tmp_path, "log", "--format=%H").split()
    assert report.progress is None and len(commits) == 2
    assert f"the hash 000000000000 names 2 versions of acme.yaml (commit {commits[1][:12]}" in str(report.promise_problem)
    assert f"commit {commits[0][:12]}" in str(report.promise_problem)
    assert [(f.code, f.severity, f.key) for f in report.review.findings if f.code == "DB118"] == [("DB118", "error", "sent.file_hash")]
    full = history.file_hash(git(tmp_path, "show", "HEAD:deals/acme.yaml").encode())
    found = won({"sent": {"date": date(2026, 8, 20), "file_hash": full}})
    assert found.progress and found.progress.promise.annual_price == 190000  # the full hash names exactly one version


def test_sent_records_the_full_hash(won, tmp_path: Path) -> None:
    assert main(["sent", "acme", "--date", "2026-08-20"]) == 0
    assert re.search(r"file_hash: [0-9a-f]{64}\}", (tmp_path / "deals" / "acme.yaml").read_text())


# --- one version of the truth: nothing can move the promise ------------------------------------------------------------


def findings(report: Report, code: str) -> list[tuple[str, str, str]]:
    return [(f.severity, f.key, f.message) for f in report.review.findings if f.code == code]


def test_a_result_renamed_after_sending_counts_toward_nothing(won) -> None:
    """The attack: rename the result, give the new id a baseline of 100 hours and measure it: (100 − 4) × 6 × 5,000 would
    be 2,880,000, 1,350 % of the promise. The version sent has no such result, so it counts nothing."""
    renamed = {"poc.results.0.id": "rca-time-2", "poc.results.0.before": 100, "value.0.result": "rca-time-2"}
    report = won({**renamed, **measured({"period": "2026-Q4", "result": "rca-time-2", "value": 4, "volume": 6})})
    assert report.progress and report.progress.realized_to_date == 0 and report.progress.periods == ()
    [(severity, key, message)] = findings(report, "DB117")
    assert (severity, key) == ("error", "realization.measurements[0].result")
    assert "'rca-time-2' was not a result in the version the CFO received" in message and "counts toward nothing" in message


def test_a_driver_rewritten_as_a_rate_after_sending_counts_toward_nothing(won) -> None:
    """The version sent counted 64,000 a year from ending an outage contract; the current file makes it volume × rate,
    so a measured result would become (10 − 4) × 6 × 5,000 = 180,000 a quarter. The driver sent has no rate: nothing."""
    fixed = {"id": "outage-cost", "name": "Shorter outages", "result": "rca-time", "annual": 64000, "basis": "Finance estimate"}
    report = won(
        {"value.0": CLEAN["value"][0], **measured({"period": "2026-Q4", "result": "rca-time", "value": 4, "volume": 6})},
        promised={"value.0": fixed},
    )
    assert report.progress and report.progress.realized_to_date == 0
    [(severity, key, message)] = findings(report, "DB117")
    assert (severity, key) == ("error", "realization.measurements[0].result")
    assert "'outage-cost' does not turn 'rca-time' into money with a rate" in message
    assert "(`driver: outage-cost, annual: …`)" in message


def test_the_value_report_prints_the_baseline_that_was_sent(won) -> None:
    """The current file says the result was 40 hours before; the version sent said 10, and the money counts from 10."""
    report = won({**measured({"period": "2026-Q4", "result": "rca-time", "value": 4, "volume": 6}), "poc.results.0.before": 40})
    value = Renderer().value(report, None)
    assert "4 hours (before: 10), 6 times" in value and "before: 40" not in value
    assert report.progress and report.progress.realized_to_date == 180000


def test_a_go_live_moved_after_sending_is_a_warning_saying_what_it_does_to_the_periods(won) -> None:
    report = won({"finance.go_live": date(2027, 1, 1)}, promised={"finance.go_live": date(2026, 9, 1)})
    assert findings(report, "DB120") == [
        (
            "warning",
            "finance.go_live",
            "finance.go_live moved from September 1, 2026 (the version sent) to January 1, 2027: contract year 1 now runs "
            "January 2027 to December 2027, and measurements before it count toward nothing; the promise's periods moved with it",
        )
    ]
    assert findings(won({"finance.go_live": date(2026, 9, 1)}), "DB120") == []  # the version sent had no start to move from


def test_a_driver_not_measured_in_a_measured_period_is_not_measured_not_zero(won) -> None:
    """Two drivers; 2026-Q4 measures only the outages: ending the overflow contract (120,000 a year) is not measured there,
    so its 30,000 for the quarter is left out of its promise and the total's, not counted as 0 % realized. 2026-Q3, which
    nobody measured, still counts for both (10,000 promised for the overflow)."""
    overflow = {"id": "overflow", "name": "Overflow contract ended", "annual": 120000, "basis": "Procurement"}
    report = won(measured({"period": "2026-Q4", "result": "rca-time", "value": 4, "volume": 6}), promised={"value.1": overflow})
    progress = report.progress
    assert progress is not None
    assert progress.periods[-1].drivers["overflow"] == (Decimal(30000), None) and progress.periods[-1].not_measured == ("overflow",)
    assert cents(progress.periods[-1].promised) == cents(3 * MONTH)  # the outages' promise alone
    ended = progress.drivers[1]
    assert (cents(ended.promised), ended.realized, ended.not_measured) == (Decimal(10000), 0, ("2026-Q4",))
    assert cents(progress.promised_to_date) == cents(4 * MONTH + 10000)
    assert findings(report, "DB121") == [
        (
            "warning",
            "realization.measurements",
            "'Overflow contract ended' (overflow) is not measured for 2026-Q4, though other drivers are: its promise for 2026-Q4 "
            "is left out of the promise to date; Casey Morgan: measure it with the customer (`driver: overflow, annual: 0` if "
            "it brought nothing)",
        )
    ]
    assert "| Overflow contract ended | not measured | — | |" in Renderer().value(report, None)
    assert figures(report)["realization"]["periods"][-1]["drivers"][1] == {
        "id": "overflow",
        "promised": Decimal("30000.00"),
        "realized": None,
    }


def test_a_period_not_over_yet_is_refused_and_counts_toward_nothing(won) -> None:
    """On 15 January 2027 (the fixture's day) 2027-Q1 runs to 31 March."""
    report = won(
        measured(
            {"period": "2026-Q4", "driver": "outage-cost", "annual": 640000},
            {"period": "2027-Q1", "driver": "outage-cost", "annual": 9000000},
        )
    )
    assert report.progress and report.progress.realized_to_date == 160000 and report.progress.periods[-1].label == "2026-Q4"
    assert findings(report, "DB117") == [
        (
            "error",
            "realization.measurements[1].period",
            "2027-Q1 is not over (it ends on March 31, 2027): it counts toward nothing; measure a period once it has ended",
        )
    ]


def test_a_deal_file_renamed_after_sending_still_finds_its_promise(won, tmp_path: Path) -> None:
    """Its versions under the old name are its own (git's rename detection), without a `git log --follow` of its own."""
    won(measured({"period": "2026-Q4", "driver": "outage-cost", "annual": 640000}))
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "won")
    git(tmp_path, "mv", "deals/acme.yaml", "deals/acme-freight.yaml")
    git(tmp_path, "commit", "-qm", "renamed")
    report = analyse(tmp_path / "deals" / "acme-freight.yaml", Config())
    assert report.progress and report.progress.realized_to_date == 160000
