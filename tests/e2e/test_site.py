"""The site, built by real MkDocs from fixture deals: pages, escaping, errors, overrides, the chart."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
from mkdocs.config import load_config
from pypdf import PdfReader

from ..conftest import DEALBRIEF, MKDOCS, ROOT, build_site, make_repo

HOSTILE_DEAL = ROOT / "tests" / "examples" / "hostile" / "deals" / "hostile-text.yaml"
BROKEN = ROOT / "tests" / "examples" / "invalid" / "deals" / "broken.yaml"
GOLDEN = ROOT / "tests" / "golden"
NORTHWIND = "northwind-incident-analytics"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    repo = make_repo(tmp_path_factory.mktemp("repo"), *sorted((ROOT / "deals").glob("*.yaml")), HOSTILE_DEAL)
    yield build_site(repo)


def html(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


def text_of(page_html: str) -> str:
    """The article's visible text, tags dropped and entities kept as written."""
    article = page_html.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", article))


def test_dashboard_lists_every_deal_with_its_figures(site: Path) -> None:
    text = text_of(html(site, ""))
    assert "5 deals, 1 technical win at commercial risk" in text
    assert "Northwind Logistics: Incident analytics platform" in text
    for figure in ("$450,000", "$1,080,480", "$884,815", "65%", "19.8 months", "⚠ 3"):
        assert figure in text
    assert "764.516 €" in text and "£614,513" in text  # each deal in its own currency
    risky = re.findall(r'<a href="deals/([a-z0-9-]+)/">', html(site, "").split('id="at-commercial-risk"')[1].split('id="pipeline"')[0])
    assert risky == [NORTHWIND]  # the technical win with blocking questions open, called out first
    rows = re.findall(r'<a href="deals/([a-z0-9-]+)/">', html(site, "").split('id="all-deals"')[1])
    # closest to signature first, then the biggest NPV; the won deal last
    won = "alder-health-claims-automation"
    assert rows == [NORTHWIND, "lumen-retail-data-platform", "hostile-text", "fjord-freight-route-planning", won]


def test_pipeline_totals_per_currency(site: Path) -> None:
    pipeline = text_of(html(site, "")).split("Pipeline", 1)[1].split("Won deals", 1)[0]
    # Northwind ($450,000 a year, NPV $884,815), Lumen ($300,000, $360,652) and the hostile fixture ($1,800, $5,761), added
    assert "USD 3 $751,800 $1,251,228" in pipeline
    assert "GBP 1 £168,000 £614,513" in pipeline  # Fjord: its annual contract value and NPV, never a total cost over 3 years
    assert "technical-win USD 3 $751,800 $1,251,228" in pipeline and "discovery GBP 1 £168,000 £614,513" in pipeline  # per stage
    assert "EUR" not in pipeline  # Alder Health is won: no longer pipeline
    won = text_of(html(site, "")).split("Won deals", 1)[1].split("All deals", 1)[0]
    alder = "Alder Krankenversicherung AG: Automatisierte Vorsortierung von Leistungsrechnungen"
    assert f"{alder} 1.039.150 € 147 % 2026-Q3, 30 October 2026 1 September 2030" in won  # the team's page: English dates


def test_each_deal_has_three_pages_and_a_chart(site: Path) -> None:
    for page in ("", "handoff/", "numbers/"):
        assert (site / "deals" / NORTHWIND / page / "index.html").is_file()
    summary = html(site, f"deals/{NORTHWIND}")
    assert '<img alt="Cumulative net cash flow over 3 years" src="cashflow.svg" />' in summary
    chart = ElementTree.fromstring((site / "deals" / NORTHWIND / "cashflow.svg").read_bytes())
    assert "Payback: 19.8 months" in [t.text for t in chart.iter("{http://www.w3.org/2000/svg}text")]
    sections = re.findall(r"<h2 id=[^>]*>(.*?)<a", summary)
    assert sections == ["The Baseline Problem", "The Proved Value", "The Financial Impact", "The Technical Recommendation"]


def test_charts_and_pdfs_made_in_the_background_replace_every_placeholder(site: Path) -> None:
    made = [*site.glob("deals/*/cashflow.svg"), *site.glob("deals/*/value.svg"), *site.glob("pdf/*.pdf")]
    assert len(made) == 3 * 5 + 2  # five valid deals: a chart and two PDFs each; the won one's value chart and Value Report
    assert all(path.read_bytes().startswith((b"<?xml", b"%PDF")) for path in made)
    assert not (site.parent / "site.building").exists()


def test_summary_answers_the_three_questions_first(site: Path) -> None:
    text = text_of(html(site, f"deals/{NORTHWIND}"))
    box = text.split("The Baseline Problem")[0]
    saves = "$1,080,480 a year from year 2; $2,761,200 over 3 years"  # a ramp: when it is reached, and the total
    assert f"What it costs What it saves When it pays back $1,500,000 over 3 years {saves} 19.8 months (May 2028)" in box
    assert "Net present value $884,815" in box and "Return on investment 65%" in box


HOSTILE = [
    ("AT&T <Labs> #1 *not bold*", "AT&amp;T &lt;Labs&gt; #1 *not bold*"),
    ('<script>alert("title")</script>', '&lt;script&gt;alert("title")&lt;/script&gt;'),
    ("[click](javascript:alert(1))", "[click](javascript:alert(1))"),
    ('{: onclick="x"}', '{: onclick="x"}'),
    ("{{ 7 * 7 }} _Val_", "{{ 7 * 7 }} _Val_"),
    ("# Not a heading 1. not a list | not | a table |", "# Not a heading 1. not a list | not | a table |"),
    (
        "<!-- not a comment --> $\\LaTeX$ \\textbf{no} @cite [^1] ==mark== :smile: https://evil.example",
        "&lt;!-- not a comment --&gt; $\\LaTeX$ \\textbf{no} @cite [^1] ==mark== :smile: https://evil.example",
    ),
    ('#read("secret.txt") `raw` <iframe', '#read("secret.txt") `raw` &lt;iframe'),
]


@pytest.mark.parametrize(("typed", "rendered"), HOSTILE, ids=[t[:20] for t, _ in HOSTILE])
def test_hostile_text_renders_exactly_as_typed(site: Path, typed: str, rendered: str) -> None:
    pages = "".join(html(site, f"deals/hostile-text/{p}") for p in ("", "handoff/", "numbers/"))
    assert rendered in pages.replace("&#39;", "'")


def test_no_markup_from_a_deal_reaches_the_page(site: Path) -> None:
    for page in ("", "deals/hostile-text/", "deals/hostile-text/handoff/", "deals/hostile-text/numbers/"):
        article = html(site, page).split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
        assert not re.search(r"<(script|iframe|img src=x|u>|b>SE|em>root|strong>Time|a href=\"(javascript|http://evil))", article)
        assert not re.search(r'<a [^>]*href="[a-zA-Z][a-zA-Z0-9+.-]*:', article)  # no link leaves the site
        assert "<h1" not in article.split("</h1>", 1)[1]  # only our own title is a heading


def test_summary_holds_nothing_internal(site: Path) -> None:
    summary = html(site, "deals/hostile-text")
    for secret in ("SECRET-COMPETITOR", "SECRET-NOTE", "SECRET-COMMERCIAL-NOTE", "SECRET-QUESTION", "SECRET-ANSWER", "SE&lt;"):
        assert secret not in summary
    northwind = text_of(html(site, f"deals/{NORTHWIND}"))
    for internal in ("LogCo", "Dana Reyes", "Sam Patel", "Morgan Blake", "procurement", "off list", "tested 10", "DB10"):
        assert internal not in northwind
    for scenario in ("Committed", "Half of the plan", "300 agents", "$1,012,500", "$704,565", "Contract value"):
        assert scenario not in northwind  # the scale scenarios are the AE's, the summary is about the plan
    assert "The price: $1,125 a year for each of 400 agents" in northwind
    handoff = text_of(html(site, "deals/hostile-text/handoff"))
    assert "SECRET-QUESTION" in handoff and "SECRET-ANSWER" in handoff  # the AE does see them


def test_handoff_page_shows_questions_findings_gate_and_price_defense(site: Path) -> None:
    text = text_of(html(site, f"deals/{NORTHWIND}/handoff"))
    assert "Handoff gate open" in text and "3 blocking questions must be answered" in text
    assert "Our business case assumes 400 agents but the POC tested 10." in text
    assert "Owner: ae · blocking · id scale-commitment Open" in text
    assert "Answer: LogCo contract ends 2026-12-31" in text
    assert "DB102 scale-gap (question) line 28, poc.scale.planned" in text
    assert "Cost of delay $50,040 per month" in text and "Value to price 2.4×" in text and "Break-even realization 50%" in text
    assert 'type="checkbox"' in html(site, f"deals/{NORTHWIND}/handoff")
    assert "Handoff gate passed" in text_of(html(site, "deals/alder-health-claims-automation/handoff"))


def test_numbers_page_shows_table_formulas_and_sensitivity(site: Path) -> None:
    text = text_of(html(site, f"deals/{NORTHWIND}/numbers"))
    assert "Total costs $510,000 $480,000 $480,000 $30,000 $1,500,000 $1,365,597" in text
    assert "Total benefits $0 $600,240 $1,080,480 $1,080,480 $2,761,200 $2,250,412" in text
    assert "Net -$510,000 $120,240 $600,480 $1,050,480 $1,261,200 $884,815" in text
    assert (
        "Formula: Time to root cause per severity-1 incident improved by 13.8 hours (14 → 0.2) × 29 incidents "
        "(0.0725 for each of 400 agents) × $3,000 for each of those hours = $1,200,600 a year"
    ) in text
    assert "Basis: $42,000 per severity-1 outage over 14 hours (Q3 finance estimate)" in text
    assert "Half of the stated realization" in text and "Break-even realization: 50%" in text
    assert "Per unit: $1,125 a year for each of 400 agents (list $1,250 per unit)" in text
    assert "the contract over 3 years: $1,350,000" in text and "discount off list 10.0%" in text


def test_invalid_deal_fails_strict_build_with_located_messages(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, ROOT / "deals" / f"{NORTHWIND}.yaml", BROKEN)
    done = subprocess.run([MKDOCS, "build", "--strict"], cwd=repo, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "deals/broken.yaml:4:1: stage: expected one of discovery, poc" in done.stderr
    assert "deals/broken.yaml:7:9: costs.subscription: expected a number at least 0, found text '1,000'" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_error_finding_fails_the_strict_build_as_it_fails_check(tmp_path: Path) -> None:
    """Money typed with a thousands dot (DB113) is an error: check exits 1, and the build logs check's line as a warning."""
    repo = make_repo(tmp_path, ROOT / "deals" / f"{NORTHWIND}.yaml")
    deal = repo / "deals" / f"{NORTHWIND}.yaml"
    deal.write_text(deal.read_text(encoding="utf-8").replace("amount: 60000}", "amount: 60.000}"), encoding="utf-8")
    done = subprocess.run([MKDOCS, "build", "--strict"], cwd=repo, capture_output=True, text=True, timeout=300)
    checked = subprocess.run([DEALBRIEF, "check"], cwd=repo, capture_output=True, text=True, timeout=60)
    [line] = [said for said in checked.stdout.splitlines() if "DB113" in said]
    assert (checked.returncode, done.returncode) == (1, 1) and line.endswith("[error DB113 thousands-dot]")
    assert line in done.stderr and "Traceback" not in done.stderr  # the same words as check


def test_invalid_deal_gets_an_error_page_without_strict(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, ROOT / "deals" / f"{NORTHWIND}.yaml", BROKEN)
    done = subprocess.run([MKDOCS, "build"], cwd=repo, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0
    text = text_of(html(repo / "site", "deals/broken"))
    assert "2 problems in deals/broken.yaml" in text
    assert "deals/broken.yaml:7:9: costs.subscription: expected a number at least 0, found text '1,000'" in text.replace("&#x27;", "'")
    assert (repo / "site" / "deals" / NORTHWIND / "index.html").is_file()  # the others still build
    assert "✖ 2 problems" in text_of(html(repo / "site", ""))


def test_a_team_can_override_any_template(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, ROOT / "deals" / f"{NORTHWIND}.yaml")
    (repo / "our-templates").mkdir()
    (repo / "our-templates" / "summary.md.j2").write_text("Our own words: NPV {{ f.money(case.npv) }} for {{ deal.customer }}.\n")
    config = (repo / "mkdocs.yml").read_text().replace("  - dealbrief\n", "  - dealbrief:\n      templates_dir: our-templates\n")
    (repo / "mkdocs.yml").write_text(config)
    site = build_site(repo)
    text = text_of(html(site, f"deals/{NORTHWIND}"))
    assert "Our own words: NPV $884,815 for Northwind Logistics." in text
    assert "Handoff gate open" in text_of(html(site, f"deals/{NORTHWIND}/handoff"))  # the rest still packaged
    strict = subprocess.run([MKDOCS, "build", "--strict"], cwd=repo, capture_output=True, text=True, timeout=300)
    assert strict.returncode == 1  # the site alone would say what dealbrief pdf does not: dealbrief.toml is the one place
    assert "templates_dir: our-templates is used by the site only; name it in dealbrief.toml instead" in strict.stderr


def test_one_template_folder_set_in_dealbrief_toml_serves_the_site_and_every_command(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, ROOT / "deals" / f"{NORTHWIND}.yaml")
    (repo / "ours").mkdir()
    (repo / "ours" / "summary.md.j2").write_text("Our own words: NPV {{ f.money(case.npv) }} for {{ deal.customer }}.\n")
    (repo / "dealbrief.toml").write_text('[templates]\ndir = "ours"\n')
    site = build_site(repo)
    assert "Our own words: NPV $884,815 for Northwind Logistics." in text_of(html(site, f"deals/{NORTHWIND}"))
    done = subprocess.run([DEALBRIEF, "pdf", NORTHWIND, "--out", "pdfs"], cwd=repo, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Our own words: NPV $884,815" in PdfReader(repo / "pdfs" / f"{NORTHWIND}.pdf").pages[0].extract_text()


def test_a_site_without_pdfs_still_has_its_charts(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, ROOT / "deals" / f"{NORTHWIND}.yaml")
    (repo / "mkdocs.yml").write_text((repo / "mkdocs.yml").read_text().replace("  - dealbrief\n", "  - dealbrief:\n      pdf: false\n"))
    done = subprocess.run([MKDOCS, "build", "--strict"], cwd=repo, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "PDFs:" not in done.stderr and not (repo / "site" / "pdf").exists()
    assert (repo / "site" / "deals" / NORTHWIND / "cashflow.svg").read_bytes().startswith(b"<?xml")
    assert ".pdf" not in html(repo / "site", f"deals/{NORTHWIND}")


def test_serve_watches_deals_and_templates(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, ROOT / "deals" / f"{NORTHWIND}.yaml")
    config = load_config(str(repo / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    watched = [Path(p) for p in config.watch]
    assert repo / "deals" in watched
    assert any((p / "summary.md.j2").is_file() for p in watched)
    assert config.mdx_configs["pymdownx.escapeall"] == {"hardbreak": False, "nbsp": False}


def fetch(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read()
    except OSError:
        return None


def test_serve_shows_an_edit_with_its_new_pdf_at_once(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, ROOT / "deals" / f"{NORTHWIND}.yaml")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    serve = subprocess.Popen([MKDOCS, "serve", "-a", f"127.0.0.1:{port}"], cwd=repo, env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while (before := fetch(f"{base}/pdf/{NORTHWIND}.pdf")) is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert before and before.startswith(b"%PDF")
        deal = repo / "deals" / f"{NORTHWIND}.yaml"
        deal.write_text(deal.read_text().replace("price: 1125", "price: 1150"))
        while time.monotonic() < deadline:
            page, after = fetch(f"{base}/deals/{NORTHWIND}/numbers/") or b"", fetch(f"{base}/pdf/{NORTHWIND}.pdf") or b""
            if b"$460,000" in page and after.startswith(b"%PDF") and after != before:
                break
            time.sleep(0.1)
        assert b"$460,000" in page and after.startswith(b"%PDF") and after != before
    finally:
        serve.terminate()
        log = serve.communicate(timeout=30)[1]
    assert "Traceback" not in log and "ERROR" not in log, log


def test_deals_stay_out_of_the_sidebar(site: Path) -> None:
    sidebar = html(site, "").split('<nav class="md-nav md-nav--primary"', 1)[1].split("</nav>", 1)[0]
    assert "deals/" not in sidebar


def test_deals_by_stage(site: Path) -> None:
    text = text_of(html(site, "tags")).replace("&para;", "¶")
    assert re.search(r"technical-win ¶ .*Northwind Logistics: Incident analytics platform", text)
    assert "closed-won ¶ Alder Krankenversicherung AG: Automatisierte Vorsortierung von Leistungsrechnungen" in text


def test_pdfs_are_in_the_site_and_linked(site: Path) -> None:
    assert (site / "pdf" / f"{NORTHWIND}.pdf").read_bytes().startswith(b"%PDF")
    assert (site / "pdf" / f"{NORTHWIND}-handoff.pdf").is_file()
    assert f'href="../../pdf/{NORTHWIND}.pdf"' in html(site, f"deals/{NORTHWIND}")
    assert f'href="../../../pdf/{NORTHWIND}-handoff.pdf"' in html(site, f"deals/{NORTHWIND}/handoff")


def test_a_pdf_that_cannot_be_made_fails_the_strict_build(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, ROOT / "deals" / f"{NORTHWIND}.yaml")
    text = (repo / "deals" / f"{NORTHWIND}.yaml").read_text()
    (repo / "deals" / "too-long.yaml").write_text(text.replace("of severity-1 outages.", "of severity-1 outages. " * 120))
    done = subprocess.run([MKDOCS, "build", "--strict"], cwd=repo, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert "deals/too-long.yaml: too-long.pdf: the Executive Summary runs to 2 pages" in done.stderr
    lenient = subprocess.run([MKDOCS, "build"], cwd=repo, capture_output=True, text=True, timeout=300)
    assert lenient.returncode == 0
    assert "too-long.pdf: the Executive Summary runs to 2 pages" in lenient.stderr
    assert not (repo / "site" / "pdf" / "too-long.pdf").exists() and (repo / "site" / "pdf" / f"{NORTHWIND}.pdf").is_file()
    assert (repo / "site" / "pdf" / "too-long-handoff.pdf").read_bytes().startswith(b"%PDF")
