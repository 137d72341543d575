"""The version sent is the customer's version: edits after sending make a revision, never a silent change of what the CFO
received. Run as a user runs it: git, `dealbrief sent`, the real site build, the PDFs read back."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from ..conftest import CLEAN, DEALBRIEF, GIT_AUTHOR, ExactDumper, build_site, make_repo, mutate

SENDABLE = {"handoff": {"meeting": date(2026, 8, 16)}}  # the clean deal with its handoff held: the gate passes


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True, env={**os.environ, **GIT_AUTHOR}).stdout


def dealbrief(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([DEALBRIEF, *args], cwd=repo, capture_output=True, text=True, timeout=300)


def write(repo: Path, changes: dict, message: str | None = None) -> None:
    path = repo / "deals" / "acme.yaml"
    path.write_text(yaml.dump(mutate(CLEAN, {**SENDABLE, **changes}), Dumper=ExactDumper, sort_keys=False), encoding="utf-8")
    if message:
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", message)


def summary_div(site: Path) -> str:
    html = (site / "deals" / "acme" / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<div class="db-summary".*?</div>\s*</article>', html, re.DOTALL)
    assert found, "no summary on the page"
    return found.group()


def text(pdf: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    repo = make_repo(tmp_path)
    git(repo, "init", "-q", "-b", "main")
    write(repo, {}, "the deal, ready to send")
    return repo


def test_edits_after_sending_make_a_revision_and_never_change_what_the_cfo_received(repo: Path) -> None:
    sent_pdf = build_site(repo) / "pdf" / "acme.pdf"
    received = sent_pdf.read_bytes()  # the PDF the CFO was sent
    page = summary_div(repo / "site")
    done = dealbrief(repo, "sent", "acme", "--date", "2026-08-20")
    assert done.returncode == 0, done.stderr
    git(repo, "commit", "-qam", "sent")

    assert build_site(repo) / "pdf" / "acme.pdf" == sent_pdf and sent_pdf.read_bytes() == received  # recording it changes nothing
    write(repo, {"sent": {"date": date(2026, 8, 20), "file_hash": _sent_hash(repo)}, "stage": "summary-sent", "costs.subscription": 150000})
    site = build_site(repo)
    assert sent_pdf.read_bytes() == received and summary_div(site) == page  # the customer's version, byte for byte
    revision = site / "pdf" / "acme-revision.pdf"
    said = text(revision)
    assert "DRAFT — revision, not sent" in said and "Revision of the version sent on August 20, 2026" in said
    assert "$150,000" in said and "$150,000" not in text(sent_pdf)
    numbers = (site / "deals" / "acme" / "numbers" / "index.html").read_text(encoding="utf-8")
    assert "Revision — not sent" in numbers and "acme-revision.pdf" in numbers and "$800,000" in numbers  # total cost before

    git(repo, "commit", "-qam", "a lower price, approved")
    done = dealbrief(repo, "sent", "acme", "--date", "2026-08-25", "--replace")
    assert done.returncode == 0, done.stderr
    git(repo, "commit", "-qam", "the revision sent")
    site = build_site(repo)
    assert "$150,000" in text(site / "pdf" / "acme.pdf") and not (site / "pdf" / "acme-revision.pdf").exists()
    assert "Revision — not sent" not in (site / "deals" / "acme" / "numbers" / "index.html").read_text(encoding="utf-8")


def test_measurements_after_the_signature_are_no_revision(repo: Path) -> None:
    assert dealbrief(repo, "sent", "acme", "--date", "2026-08-20").returncode == 0
    git(repo, "commit", "-qam", "sent")
    won = {
        "stage": "closed-won",
        "sent": {"date": date(2026, 8, 20), "file_hash": _sent_hash(repo)},
        "signed": date(2026, 8, 30),
        "commercial.notes": ["Renewal owner: Casey"],
        "realization": {"owner": "Casey Morgan", "measurements": [{"period": "2026-Q4", "driver": "outage-cost", "annual": 600000}]},
    }
    write(repo, won, "won and measured")
    done = dealbrief(repo, "pdf", "acme")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (repo / "pdfs").iterdir()) == ["acme-handoff.pdf", "acme-value.pdf", "acme.pdf"]


def _sent_hash(repo: Path) -> str:
    found = re.search(r"file_hash: ([0-9a-f]{64})", (repo / "deals" / "acme.yaml").read_text(encoding="utf-8"))
    assert found
    return found.group(1)


def test_every_output_gives_the_version_sents_figures_and_the_revisions_beside_them(repo: Path) -> None:
    """Sent at $200,000 a year (NPV $683,794 as sent), then cut to $150,000 (NPV $808,137): the deal's figures stay the
    ones the CFO received, the revision's are beside them, marked, in show, show --json, both exports and the dashboard."""
    assert dealbrief(repo, "sent", "acme", "--date", "2026-08-20").returncode == 0
    git(repo, "commit", "-qam", "sent")
    write(repo, {"sent": {"date": date(2026, 8, 20), "file_hash": _sent_hash(repo)}, "stage": "summary-sent", "costs.subscription": 150000})
    sent, revised = _npv(repo, {}), _npv(repo, {"costs.subscription": 150000})
    figures = json.loads(dealbrief(repo, "show", "acme", "--json").stdout, parse_float=Decimal)
    assert figures["npv"] == sent and figures["revision"]["figures"]["npv"] == revised and figures["revision"]["sent"] == "2026-08-20"
    shown = " ".join(dealbrief(repo, "show", "acme").stdout.split())
    assert "Revision, not sent: edited since the version sent August 20, 2026" in shown
    assert f"NPV ${sent:,.0f}" in shown and f"${revised:,.0f}" in shown
    (row,) = csv.DictReader(io.StringIO(dealbrief(repo, "export").stdout))
    assert Decimal(row["npv"]) == sent and Decimal(row["revision_npv"]) == revised and row["revision_sent"] == "2026-08-20"
    (record,) = json.loads(dealbrief(repo, "export", "--format", "json").stdout, parse_float=Decimal)
    assert record["npv"] == sent and record["revision_npv"] == revised
    dashboard = (build_site(repo) / "index.html").read_text(encoding="utf-8")
    assert f"${sent:,.0f}" in dashboard and f"revision, not sent: ${revised:,.0f}" in dashboard


def _npv(repo: Path, changes: dict) -> Decimal:
    """The NPV of the deal with ``changes``, to the cent, computed from a copy outside the repository (no history)."""
    from dealbrief.engine.config import Config
    from dealbrief.engine.pipeline import analyse_bytes

    text = yaml.dump(mutate(CLEAN, {**SENDABLE, **changes}), Dumper=ExactDumper, sort_keys=False).encode()
    report = analyse_bytes(text, "acme.yaml", Config())
    assert report.case
    return report.case.npv.quantize(Decimal("0.01"))


def test_the_pdf_sent_stays_the_same_when_the_teams_settings_change(repo: Path) -> None:
    """A lower scale_gap_ratio makes the version sent ask a scale question it did not ask when it was sent: its PDF stays
    what the CFO received, unmarked."""
    received = (build_site(repo) / "pdf" / "acme.pdf").read_bytes()
    assert dealbrief(repo, "sent", "acme", "--date", "2026-08-20").returncode == 0
    git(repo, "commit", "-qam", "sent")
    (repo / "dealbrief.toml").write_text("[lint]\nscale_gap_ratio = 3\n", encoding="utf-8")
    assert (build_site(repo) / "pdf" / "acme.pdf").read_bytes() == received


def test_a_version_sent_that_cannot_be_read_is_never_passed_off_as_the_customers(repo: Path) -> None:
    write(repo, {"stage": "summary-sent", "sent": {"date": date(2026, 8, 20), "file_hash": "0" * 12}}, "a hash in no history")
    done = dealbrief(repo, "pdf", "acme")
    assert done.returncode == 0, done.stderr
    assert "DRAFT — version sent not found" in text(repo / "pdfs" / "acme.pdf")
    page = (build_site(repo) / "deals" / "acme" / "index.html").read_text(encoding="utf-8")
    assert "The version sent cannot be read" in page


def test_a_move_of_cents_is_shown_in_cents_never_as_minus_zero(repo: Path) -> None:
    assert dealbrief(repo, "sent", "acme", "--date", "2026-08-20").returncode == 0
    git(repo, "commit", "-qam", "sent")
    write(
        repo,
        {
            "sent": {"date": date(2026, 8, 20), "file_hash": _sent_hash(repo)},
            "stage": "summary-sent",
            "costs.one_time.0.amount": Decimal("50000.1"),
        },
    )
    shown = dealbrief(repo, "show", "acme").stdout
    assert "−$0.10" in shown and "−$0 " not in shown and "+$0 " not in shown
