"""The PDFs, exported for real (pandoc → Typst) and read back with pypdf."""

from __future__ import annotations

import dataclasses
import io
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from dealbrief.content_cache import Cache
from dealbrief.engine.config import Config
from dealbrief.engine.history import file_hash
from dealbrief.engine.pipeline import analyse, analyse_all
from dealbrief.output.render import Renderer
from dealbrief.pdf.export import Outcome, export, export_reports, export_value_reports, jobs, paper

from ..conftest import CLEAN, DEALBRIEF, GIT_AUTHOR, ROOT, make_repo, mutate, write_deal

HOSTILE_DEAL = ROOT / "tests" / "examples" / "hostile" / "deals" / "hostile-text.yaml"
INTERNAL = [
    "SECRET-COMPETITOR",
    "SECRET-NOTE",
    "SECRET-COMMERCIAL-NOTE",
    "SECRET-QUESTION",
    "SECRET-ANSWER",
    "LogCo",
    "Dana Reyes",
    "Sam Patel",
    "Morgan Blake",
    "scale-commitment",
    "DB10",
    "discount floor",
    "usage-plan",  # the consumption deal's question, answer, scenarios and notes
    "Grace Okafor owns the usage plan",
    "At the POC's rate",
    "Unused commitment",
    "Procurement asked for rollover",
    "Ines Moreau",
    "SECRET-USAGE-ANSWER",
]


def export_all(reports: list, folder: Path) -> Outcome:
    """Every PDF into ``folder``/out, with the cache in ``folder``/cache."""
    cache = Cache(folder / "cache")
    return export_reports(reports, Renderer(), folder / "out", cache=cache)


def text(pdf: Path) -> str:
    """The PDF's text as read aloud: without the zero-width break opportunities set into long words."""
    return " ".join(" ".join(page.extract_text().replace("\u200b", "").split()) for page in PdfReader(pdf).pages)


def metadata(pdf: Path) -> str:
    reader = PdfReader(pdf)
    xmp = reader.trailer["/Root"].get("/Metadata")
    return repr(dict(reader.metadata or {})) + (xmp.get_object().get_data().decode() if xmp else "")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Outcome]:
    folder = tmp_path_factory.mktemp("pdf")
    (folder / "secret.txt").write_text("TOPSECRET-FILE-CONTENT")
    shutil.copy(HOSTILE_DEAL, folder / "hostile-text.yaml")
    reports = analyse_all([ROOT / "deals", folder / "hostile-text.yaml"], Config())
    yield export_all(reports, folder)


def test_every_valid_deal_gets_two_pdfs(exported: Outcome) -> None:
    assert exported.failed == {}
    assert sorted(exported.files) == sorted(
        [
            f"{d}{s}.pdf"
            for d in (
                "alder-health-claims-automation",
                "fjord-freight-route-planning",
                "lumen-retail-data-platform",
                "northwind-incident-analytics",
                "hostile-text",
            )
            for s in ("", "-handoff")
        ]
        + ["alder-health-claims-automation-value.pdf"]  # the won deal's Value Report
    )


def test_summary_is_one_page_with_the_three_answers(exported: Outcome) -> None:
    for name, path in exported.files.items():
        if not name.endswith("-handoff.pdf"):
            assert len(PdfReader(path).pages) == 1, name
    page = text(exported.files["northwind-incident-analytics.pdf"])
    for expected in (
        "Northwind Logistics",
        "Executive Summary: Incident analytics platform",
        "What it costs",
        "What it saves",
        "When it pays back",
        "$1,500,000 over 3 years",
        "$1,080,480 a year",
        "19.8 months (May 2028)",
        "Net present value $884,815",
        "Return on investment 65%",
        "The Baseline Problem",
        "The Proved Value",
        "The Financial Impact",
        "The Technical Recommendation",
        "northwind-incident-analytics",
        "Cumulative net cash flow",  # the chart's labels are the document's text: searchable, in its font
        "Payback: 19.8 months",
        "$1.5M",
        "Year 3",
    ):
        assert expected in page, expected


def test_a_consumption_summary_says_the_commitment_as_sold_and_the_ramp_plainly(exported: Outcome) -> None:
    page = text(exported.files["lumen-retail-data-platform.pdf"])
    for expected in (
        "$700,200 a year from year 3; $1,750,500 over 3 years",
        "a commitment of $300,000 a year, drawn down in credits at $0.80 each (list $1.00), credits beyond it at $1.00 each",
        "unused commitment lost at the end of each year",
        "expected usage: 300,000 credits in year 1, 450,000 in year 2, 500,000 from year 3",
        "Net present value $360,652",
    ):
        assert expected in page, expected
    assert "DRAFT" not in page  # the usage question is answered: the gate has passed


def test_paper_follows_the_locale(exported: Outcome) -> None:
    letter = PdfReader(exported.files["northwind-incident-analytics.pdf"]).pages[0].mediabox
    a4 = PdfReader(exported.files["alder-health-claims-automation.pdf"]).pages[0].mediabox
    assert (round(letter.width), round(letter.height)) == (612, 792)
    assert (round(a4.width), round(a4.height)) == (595, 842)
    assert (paper("en_US"), paper("en_GB"), paper("fr_CA"), paper("de_DE")) == ("us-letter", "a4", "us-letter", "a4")


def test_draft_mark_exactly_when_the_gate_is_open(exported: Outcome) -> None:
    assert "DRAFT — internal review pending" in text(exported.files["northwind-incident-analytics.pdf"])  # gate open
    assert "DRAFT" not in text(exported.files["alder-health-claims-automation.pdf"])  # gate passed


def test_footer_traces_back_to_the_deal_file(exported: Outcome) -> None:
    report = analyse(ROOT / "deals" / "northwind-incident-analytics.yaml", Config())
    assert f"deal file {report.digest[:12]}" in text(exported.files["northwind-incident-analytics.pdf"])


def test_nothing_internal_in_the_summary_body_or_metadata(exported: Outcome) -> None:
    for name in (
        "northwind-incident-analytics.pdf",
        "hostile-text.pdf",
        "alder-health-claims-automation.pdf",
        "lumen-retail-data-platform.pdf",
    ):
        body, meta = text(exported.files[name]), metadata(exported.files[name])
        for secret in INTERNAL:
            assert secret not in body and secret not in meta, (name, secret)
    handoff = text(exported.files["hostile-text-handoff.pdf"])
    assert "INTERNAL" in handoff and "SECRET-QUESTION" in handoff  # the AE's copy has them


ALDER = ROOT / "deals" / "alder-health-claims-automation.yaml"
ALDER_INTERNAL = ["Jonas Weber", "Clara Lindqvist", "Regelwerk", "Stefan Kühn", "works council", "Lena Hartmann", "SECRET"]


@pytest.fixture(scope="module")
def value_report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """The Alder Health Value Report as it is, and with a secret in every internal key and one measurement unconfirmed."""
    folder = make_repo(tmp_path_factory.mktemp("value"), ALDER)
    deal = folder / "deals" / ALDER.name
    confirmed = export_all([analyse(deal, Config())], folder / "confirmed")
    text_now = deal.read_text(encoding="utf-8")
    secret = text_now.replace("owner: Lena Hartmann (Customer Success)", "owner: SECRET-OWNER").replace(
        "  notes:\n", "  notes:\n    - SECRET-COMMERCIAL-NOTE\n"
    )
    secret = secret.replace(", confirmed_by: Miriam Hoffmann}\n", "}\n", 1)  # 2025-Q3's outsourcing figure: unconfirmed
    deal.write_text(secret, encoding="utf-8")
    draft = export_all([analyse(deal, Config())], folder / "draft")
    assert confirmed.failed == {} and draft.failed == {}
    name = "alder-health-claims-automation-value.pdf"
    yield confirmed.files[name], draft.files[name]


def test_the_value_report_is_one_customer_facing_page(value_report: tuple[Path, Path]) -> None:
    for pdf in value_report:
        assert len(PdfReader(pdf).pages) == 1
        body, meta = text(pdf), metadata(pdf)
        for secret in ALDER_INTERNAL:
            assert secret not in body and secret not in meta, secret
    page = text(value_report[0])
    for expected in (
        "Nutzenbericht: Automatisierte Vorsortierung von Leistungsrechnungen",  # German, as the deal's locale
        "706.019 € bis Q2 2026",
        "1.039.150 €, von Ihrem Team gemessen",
        "147 % der Zusage",
        "172.979 € 128.110 € 74 %",  # fewer overpayments: behind the promise
        "Gemessen in Q2 2026",
        "Zeiterfassung Leistungssystem, Q2 2026 (bestätigt von Tobias Brandt)",
        "Realisiert, wie gemessen",  # the chart's labels are the document's text
        "Vor Q2 2026: 9 Messungen ab Q3 2025",
        "Die nächste Überprüfung umfasst Q3 2026",
        "Nutzenbericht · Seite 1",
    ):
        assert expected in page, expected
    assert "ENTWURF" not in page and not re.search(r"\d{4}-Q\d", page)  # every period as the reader says it


def many_drivers(folder: Path, drivers: int) -> Path:
    """A won deal with ``drivers`` value drivers, each measured in each of three quarters, its sent version committed."""
    folder.mkdir()
    (folder / "deals").mkdir()
    value = [
        {"id": f"value-{i}", "name": f"Lower cost of process step {i}", "annual": 100000 + 1000 * i, "basis": "Finance"}
        for i in range(drivers)
    ]
    sent = write_deal(folder / "deals", mutate(CLEAN, {"value": value}))
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=folder, check=True)
    subprocess.run(["git", "add", "-A"], cwd=folder, check=True)
    subprocess.run(["git", "commit", "-qm", "sent"], cwd=folder, check=True, env={**os.environ, **GIT_AUTHOR})
    measurements = [
        {"period": period, "driver": d["id"], "annual": 90000 + 2000 * i, "evidence": f"Cost centre report {period}, line {i + 1}",
         "confirmed_by": "Priya Nair (Finance)"}
        for period in ("2026-Q4", "2027-Q1", "2027-Q2") for i, d in enumerate(value)
    ]  # fmt: skip
    won = {
        "value": value,
        "stage": "closed-won",
        "sent": {"date": date(2026, 8, 20), "file_hash": file_hash(sent.read_bytes())},
        "signed": date(2026, 8, 30),
        "finance.go_live": date(2026, 9, 1),
        "handoff": {"meeting": date(2026, 8, 16)},
        "realization": {"owner": "Casey Morgan", "measurements": measurements},
    }
    return write_deal(folder / "deals", mutate(CLEAN, won))


@pytest.mark.parametrize("drivers", [8, 20])
def test_the_value_report_always_fits_its_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, drivers: int) -> None:
    """Eight drivers measured every quarter make one page with every driver's figures; their eight rows of evidence do not
    fit beside them, so the page says where the evidence is. Twenty drivers leave their figures to the site's page too:
    never a failed build for length."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1817164800")  # 2027-08-01: the three quarters are over
    deal = many_drivers(tmp_path / "repo", drivers)
    monkeypatch.chdir(tmp_path / "repo")
    report = analyse(deal, Config())
    assert report.progress and len(report.progress.measured) == 3 * drivers
    outcome = export_value_reports([report], Renderer(), tmp_path / "out", cache=Cache(tmp_path / "cache"))
    assert outcome.failed == {}
    pdf = outcome.files["acme-value.pdf"]
    assert len(PdfReader(pdf).pages) == 1
    page = text(pdf)
    if drivers == 8:
        assert "Lower cost of process step 7 $89,167 $78,000 87%" in page and "Cost centre report" not in page
        assert "The evidence for each measurement is on the Value realized page." in page
    else:
        assert "Lower cost of process step" not in page
        assert "The figures for each value and the evidence for each measurement are on the Value realized page." in page


def test_the_value_report_is_a_draft_while_a_measurement_is_unconfirmed(value_report: tuple[Path, Path]) -> None:
    assert "ENTWURF — Zahlen noch nicht bestätigt" in text(value_report[1])  # DRAFT, in the customer's language


def test_cli_pdf_value(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, ALDER, ROOT / "deals" / "northwind-incident-analytics.yaml")
    done = subprocess.run([DEALBRIEF, "pdf", "--value", "--out", "pdfs"], cwd=repo, capture_output=True, text=True, timeout=300)
    assert (done.returncode, done.stdout, done.stderr) == (0, "pdfs/alder-health-claims-automation-value.pdf\n", "")
    only = subprocess.run(
        [DEALBRIEF, "pdf", "--value", "northwind-incident-analytics"], cwd=repo, capture_output=True, text=True, timeout=300
    )
    assert only.returncode == 2 and "no Value Report: it has no realization: section" in only.stderr


def test_metadata_is_clean(exported: Outcome) -> None:
    info = PdfReader(exported.files["northwind-incident-analytics.pdf"]).metadata
    assert info.title == "Northwind Logistics"
    assert info.author is None and "/Keywords" not in info and "/Subject" not in info


def test_hostile_text_is_literal_and_reads_no_file(exported: Outcome) -> None:
    page = text(exported.files["hostile-text.pdf"])
    assert "AT&T <Labs> #1 *not bold*" in page
    assert '#read("secret.txt") `raw` <iframe src="x"></iframe> {{ config }}' in page
    assert '{{ 7 * 7 }} _Val_, #read("/etc/passwd")' in page
    assert "$\\LaTeX$ \\textbf{no} @cite [^1]" in page
    for pdf in exported.files.values():
        assert "TOPSECRET" not in text(pdf) and "root:x:0" not in text(pdf)


def test_same_inputs_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    report = analyse(ROOT / "deals" / "northwind-incident-analytics.yaml", Config())
    first = export_all([report], tmp_path / "a")
    second = export_all([report], tmp_path / "b")
    assert first.exported and second.exported  # both really exported, no cache shared
    for name in first.files:
        assert first.files[name].read_bytes() == second.files[name].read_bytes()
    assert "built 2026-09-21" in text(first.files["northwind-incident-analytics.pdf"])


def test_unchanged_deal_is_not_exported_again(tmp_path: Path) -> None:
    reports = analyse_all([ROOT / "deals"], Config())
    cold = export_all(reports, tmp_path)
    warm = export_all(reports, tmp_path)
    assert len(cold.exported) == 9 and warm.exported == [] and len(warm.reused) == 9
    (tmp_path / "deals").mkdir()
    changed = (ROOT / "deals" / "fjord-freight-route-planning.yaml").read_text().replace("subscription: 168000", "subscription: 150000")
    (tmp_path / "deals" / "fjord-freight-route-planning.yaml").write_text(changed)
    edited = analyse_all([ROOT / "deals" / "northwind-incident-analytics.yaml", tmp_path / "deals"], Config())
    again = export_all(edited, tmp_path)
    assert sorted(again.exported) == ["fjord-freight-route-planning-handoff.pdf", "fjord-freight-route-planning.pdf"]


def test_too_long_fails_naming_the_section_and_leaves_no_pdf(tmp_path: Path) -> None:
    (tmp_path / "deals").mkdir()
    long_problem = "Our claims team reads every invoice by hand before anyone can decide on it. " * 45
    write_deal(tmp_path / "deals", mutate(CLEAN, {"baseline.problem": long_problem}), "too-long")
    write_deal(tmp_path / "deals", CLEAN, "fine")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "too-long.pdf").write_text("stale")
    done = subprocess.run([DEALBRIEF, "pdf", "--out", "out"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert (
        "dealbrief: too-long.pdf: the Executive Summary runs to 2 pages; it must fit on one. "
        f"Shorten baseline.problem ({len(long_problem):,} characters), the longest text on it" in done.stderr
    )
    assert not (tmp_path / "out" / "too-long.pdf").exists()  # no stale PDF
    assert (tmp_path / "out" / "fine.pdf").is_file() and (tmp_path / "out" / "too-long-handoff.pdf").is_file()


def test_a_long_customer_name_is_named_when_the_summary_does_not_fit(tmp_path: Path) -> None:
    (tmp_path / "deals").mkdir()
    write_deal(tmp_path / "deals", mutate(CLEAN, {"customer": "Acme " * 800}), "long-name")
    outcome = export_all(analyse_all([tmp_path / "deals"], Config()), tmp_path)
    assert outcome.failed["long-name.pdf"].endswith("Shorten customer (4,000 characters), the longest text on it")


def test_a_summary_that_lists_too_many_drivers_says_so(tmp_path: Path) -> None:
    drivers = [{"id": f"d{i}", "name": f"Driver {i}", "annual": 1000, "basis": "x"} for i in range(40)]
    (tmp_path / "deals").mkdir()
    write_deal(tmp_path / "deals", mutate(CLEAN, {"value": drivers, "poc.results": [], "stage": "discovery"}), "crowded")
    outcome = export_all(analyse_all([tmp_path / "deals"], Config()), tmp_path)
    assert outcome.failed["crowded.pdf"].endswith("It lists 40 value drivers: keep the few that matter")


def test_a_long_unbroken_word_wraps_instead_of_running_off_the_page(tmp_path: Path) -> None:
    link = "https://wiki.example.com/" + "x" * 260
    (tmp_path / "deals").mkdir()
    write_deal(tmp_path / "deals", mutate(CLEAN, {"baseline.problem": f"Outages take long to fix; see {link} for the export."}), "link")
    outcome = export_all(analyse_all([tmp_path / "deals"], Config()), tmp_path)
    page = PdfReader(outcome.files["link.pdf"]).pages[0]
    lines: list[tuple[float, float]] = []  # where each piece of the link starts, on the page

    def where(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if "xxxx" in text:
            lines.append((tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

    page.extract_text(visitor_text=where)
    assert len({round(y) for _, y in lines}) >= 3  # the link takes several lines
    assert all(x < float(page.mediabox.width) - 40 for x, _ in lines)
    assert link in text(outcome.files["link.pdf"]).replace(" ", "")  # every character of it is there


def test_the_key_figures_share_the_page_width_equally(exported: Outcome) -> None:
    """The template's separator line (|:--|:--|:--|) gives the three answers equal columns, whatever their text says."""
    labels, starts = ("What it costs", "What it saves", "When it pays back"), {}

    def where(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        for label in labels:
            if text.strip().startswith(label):
                starts[label] = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]

    for deal in ("fjord-freight-route-planning", "northwind-incident-analytics"):
        starts.clear()
        page = PdfReader(exported.files[f"{deal}.pdf"]).pages[0]
        page.extract_text(visitor_text=where)
        first, second, third = (starts[label] for label in labels)
        assert abs((second - first) - (third - second)) < 1
        assert third - first > float(page.mediabox.width) * 0.5  # the table spans the page, not its text's width


def test_text_that_typst_would_read_as_markup_prints_as_written(tmp_path: Path) -> None:
    """At the start of a list item, a table cell or bold text, Typst reads `=`, `-`, `+`, `/` and `1.` as a heading, a
    list or a term, and `-?` anywhere as a soft hyphen; none may come from deal text, nor may spaces around it unbold it."""
    odd = {
        "customer": "= Acme Freight",
        "value.0.name": "== Special terms: 40% discount approved",
        "team.se": "/ Dana: Reyes",
        "recommendation": "+ renewal at risk. 2024. Roadmap -? TBD, a-?b.",
        "poc.results.0.metric": " Time to root cause ",
    }
    (tmp_path / "deals").mkdir()
    write_deal(tmp_path / "deals", mutate(CLEAN, odd), "odd")
    outcome = export_all(analyse_all([tmp_path / "deals"], Config()), tmp_path)
    summary, handoff = text(outcome.files["odd.pdf"]), text(outcome.files["odd-handoff.pdf"])
    for shown in ("= Acme Freight", "== Special terms: 40% discount approved", "+ renewal at risk. 2024. Roadmap -? TBD, a-?b."):
        assert shown in summary
    assert "/ Dana: Reyes" in handoff
    assert "Time to root cause" in summary and "**" not in summary
    headings = [item.title for item in PdfReader(outcome.files["odd.pdf"]).outline]
    assert not any("Special terms" in title or "Acme" in title for title in headings)  # no section of the deal's making


def test_a_table_spreads_over_the_page_only_when_a_line_is_wider_than_80_columns(tmp_path: Path) -> None:
    """As pandoc's own Markdown reader decided: a table whose source lines fit 80 columns keeps its natural widths (a CJK
    character counts two); a wider one shares the page as its separator line's cells are long."""
    from datetime import date

    from dealbrief.pdf import worker

    (tmp_path / "deals").mkdir()
    names = {
        "narrow": "Dana Reyes, Solutions Engineering, EMEA North Central",  # a 76-character line
        "wide": "山田太郎（ソリューションエンジニアリング部・東日本第二営業本部）",  # fewer characters, wider
    }
    for deal, se in names.items():
        write_deal(tmp_path / "deals", mutate(CLEAN, {"team.se": se}), deal)
    renderer = Renderer()
    worker.start_worker({name: renderer.asset(name) for name in ("document.typ", "export.lua")}, str(tmp_path))
    try:
        for report in analyse_all([tmp_path / "deals"], Config()):
            handoff = next(j for j in jobs(report, renderer, date(2026, 11, 27)) if j.name.endswith("-handoff.pdf"))
            source, error = worker.convert(handoff)
            assert error is None
            deal_table = source.read_text().split("table.header([Deal]")[0].rsplit("columns:", 1)[1].split("\n")[0]
            assert deal_table.strip() == {"narrow": "2,", "wide": "(50%, 50%),"}[report.id]
    finally:
        worker._worker["pandoc"].kill()
        worker._worker.clear()


def test_a_template_whose_tables_cannot_be_matched_gets_natural_widths(tmp_path: Path) -> None:
    """A team's template with a table pandoc reads but the width scan does not (no leading pipes) must not hand the next
    table's widths to it: every table keeps its natural widths instead."""
    from datetime import date

    from dealbrief.pdf import worker

    wide = "| " + "a long heading for the first column " * 3 + "| b |"
    markdown = f"Name | Note\n:--|:--\nx | y\n\n{wide}\n|:----------------------|--:|\n| x | y |\n"
    report = analyse(write_deal(tmp_path, CLEAN, "acme"), Config())
    renderer = Renderer()
    summary = next(j for j in jobs(report, renderer, date(2026, 11, 27)) if j.name == "acme.pdf")
    worker.start_worker({name: renderer.asset(name) for name in ("document.typ", "export.lua")}, str(tmp_path))
    try:
        source, error = worker.convert(dataclasses.replace(summary, markdown=markdown, chart=None))
        assert error is None
        assert re.findall(r"columns: (.*),\n", source.read_text()) == ["2", "2"]
    finally:
        worker._worker["pandoc"].kill()
        worker._worker.clear()


def test_a_hanging_export_is_stopped_and_the_others_finish(tmp_path: Path) -> None:
    override = tmp_path / "templates"
    override.mkdir()
    slow = '#if "$deal-id$" == "slow" { let n = 0; for i in range(20000) { for j in range(20000) { n += 1 } } }\n'
    (override / "document.typ").write_text(slow + (ROOT / "src" / "dealbrief" / "templates" / "document.typ").read_text())
    (tmp_path / "deals").mkdir()
    reports = [analyse(write_deal(tmp_path / "deals", CLEAN, name), Config()) for name in ("before", "slow", "after")]
    renderer = Renderer(override)
    from datetime import date

    cache = Cache(tmp_path / "cache")
    todo = [j for r in reports for j in jobs(r, renderer, date(2026, 11, 27)) if not j.name.endswith("-handoff.pdf")]
    outcome = export(todo, renderer, tmp_path / "out", cache, workers=1, timeout=2)
    assert outcome.failed == {"slow.pdf": "stopped after 2 s"}
    assert sorted(outcome.files) == ["after.pdf", "before.pdf"]  # the one after it ran in a fresh pool


def test_cli_pdf(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "deals", tmp_path / "deals")
    command = [DEALBRIEF, "pdf", "northwind-incident-analytics", "--out", "pdfs", "--paper", "a4"]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["pdfs/northwind-incident-analytics-handoff.pdf", "pdfs/northwind-incident-analytics.pdf"]
    box = PdfReader(tmp_path / "pdfs" / "northwind-incident-analytics.pdf").pages[0].mediabox
    assert (round(box.width), round(box.height)) == (595, 842)
    again = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert again.stdout.splitlines()[1] == "pdfs/northwind-incident-analytics.pdf (unchanged: from the cache)"
    deal = tmp_path / "deals" / "northwind-incident-analytics.yaml"
    deal.write_text(deal.read_text().replace("stage: technical-win", "stage: won"))  # invalid now
    broken = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert broken.returncode == 2 and "stage: expected one of" in broken.stderr
    assert not list((tmp_path / "pdfs").iterdir())  # no PDF from before passes for the deal as it is now
    for name in ("northwind-incident-analytics.pdf", "northwind-incident-analytics-value.pdf"):
        (tmp_path / "pdfs" / name).write_bytes(b"%PDF- from before")
    value = subprocess.run([*command, "--value"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert value.returncode == 2 and not list((tmp_path / "pdfs").iterdir())  # with --value too


def test_pdf_bytes_readable(exported: Outcome) -> None:
    for path in exported.files.values():
        assert PdfReader(io.BytesIO(path.read_bytes())).pages


def test_a_worker_that_cannot_start_fails_fast_and_leaves_no_scratch(tmp_path: Path) -> None:
    import multiprocessing
    import tempfile

    from dealbrief.pdf.export import _in_pools

    before = set(Path(tempfile.gettempdir()).iterdir())
    report = analyse(ROOT / "deals" / "northwind-incident-analytics.yaml", Config())
    cache = Cache(tmp_path / "cache")
    from datetime import date

    todo = jobs(report, Renderer(), date(2026, 11, 27))
    outcome = Outcome()
    _in_pools(multiprocessing.get_context("spawn"), todo, {}, str(tmp_path / "missing"), "", cache, tmp_path / "out", outcome, 1, 5)
    assert set(outcome.failed) == {"northwind-incident-analytics.pdf", "northwind-incident-analytics-handoff.pdf"}
    assert all(m.startswith("the PDF worker could not start: FileNotFoundError") for m in outcome.failed.values())
    export_all([report], tmp_path)
    assert not any((tmp_path / "cache" / "scratch").iterdir())  # the workers' documents are removed after the export
    assert set(Path(tempfile.gettempdir()).iterdir()) <= before  # and never were in the system's temp folder


# --- the customer's language ----------------------------------------------------------------------------------------------

LANGUAGE_DEALS = ROOT / "tests" / "examples" / "languages" / "deals"


def english_phrases() -> set[str]:
    """Every run of three or more words in the English messages, between their placeholders and Markdown marks."""
    from babel.messages.pofile import read_po

    with (ROOT / "src" / "dealbrief" / "locale" / "dealbrief.pot").open("rb") as source:
        ids = [i for message in read_po(source) if message.id for i in (message.id if isinstance(message.id, tuple) else (message.id,))]
    fragments = (part.strip() for i in ids for part in re.split(r"%\(\w+\)s|\*\*|[():;,.]", i))
    return {fragment for fragment in fragments if len(fragment.split()) >= 3}


def test_the_german_pdfs_have_no_english_sentence_of_ours(exported: Outcome) -> None:
    phrases = english_phrases()
    assert {"Net present value", "The investment does not pay back within"} <= phrases  # the list is real
    for name in ("alder-health-claims-automation.pdf", "alder-health-claims-automation-value.pdf"):
        page = text(exported.files[name])
        assert "Management-Zusammenfassung" in page or "Nutzenbericht" in page
        assert [phrase for phrase in phrases if phrase in page] == [], name


def test_the_french_and_spanish_summaries_are_one_page_in_their_language(tmp_path: Path) -> None:
    outcome = export_all(analyse_all([LANGUAGE_DEALS], Config()), tmp_path)
    assert outcome.failed == {}
    words = {
        "rhone-logistique-incidents.pdf": "Synthèse pour la direction",
        "transportes-ebro-incidencias.pdf": "Resumen ejecutivo",
        "lumiere-distribution-donnees.pdf": "Synthèse pour la direction",
        "adriatica-trasporti-incidenti.pdf": "Sintesi per la direzione",
        "maas-logistiek-incidenten.pdf": "Managementsamenvatting",
        "tejo-logistica-incidentes.pdf": "Resumo executivo",
    }
    for name, title in words.items():
        assert len(PdfReader(outcome.files[name]).pages) == 1
        page = text(outcome.files[name])
        assert title in page and [phrase for phrase in english_phrases() if phrase in page] == [], name
    assert "Valeur actuelle nette 884 815 €" in text(outcome.files["rhone-logistique-incidents.pdf"])
    assert "19,8 meses (mayo de 2028)" in text(outcome.files["transportes-ebro-incidencias.pdf"])
    consumption = text(outcome.files["lumiere-distribution-donnees.pdf"])
    assert "642 600 € par an à partir de l’année 3 ; 1 606 500 € sur 3 ans" in consumption
    assert "la part non consommée est reportée sur l’année suivante jusqu’au terme du contrat" in consumption


def test_japanese_and_chinese_text_gets_no_break_marks_of_its_own(tmp_path: Path) -> None:
    """Typst breaks CJK text between characters as its readers do; the long-word rule (a break mark every 20 characters
    of a 41-character "word") is for pasted links, and inside an unspaced Japanese sentence it broke copying and search."""
    japanese = "予測の更新に毎回丸一日かかるため、購買担当者は先週の数字に基づいて発注しており、倉庫の更新費用も高額です。" * 2
    chinese = "每周的需求预测需要一整天才能更新，采购人员只能根据上周的数据下单，而且本地仓库即将面临昂贵的续约费用。"
    (tmp_path / "deals").mkdir()
    write_deal(tmp_path / "deals", mutate(CLEAN, {"baseline.problem": japanese, "recommendation": chinese}), "cjk")
    outcome = export_all(analyse_all([tmp_path / "deals"], Config()), tmp_path)
    raw = " ".join(page.extract_text() for page in PdfReader(outcome.files["cjk.pdf"]).pages)
    assert "\u200b" not in raw
    flat = "".join(raw.split())
    assert "".join(japanese.split()) in flat and chinese in flat  # every character there, in order
