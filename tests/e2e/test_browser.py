"""The built site in a real browser: headless Chromium (Debian's) finds the deals and the CFO's answers."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Page, sync_playwright

from dealbrief.output.render import Renderer

from ..conftest import ARTIFACTS, CHROMIUM, CLEAN, FLAGS, ROOT, build_site, make_repo, mutate, write_deal


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    repo = make_repo(tmp_path_factory.mktemp("browser"), *sorted((ROOT / "deals").glob("*.yaml")))
    site = build_site(repo)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[Page]:
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: apt-get install chromium (.ci/run does it)"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.errors = []  # type: ignore[attr-defined]
        page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)  # type: ignore[attr-defined]
        page.on("pageerror", lambda e: page.errors.append(str(e)))  # type: ignore[attr-defined]
        yield page
        browser.close()


def test_dashboard_finds_every_deal(page: Page, server: str) -> None:
    page.goto(server)
    rows = page.locator("article table").last.locator("tbody tr")  # All deals
    assert rows.count() == len(list((ROOT / "deals").glob("*.yaml")))
    assert "Northwind Logistics: Incident analytics platform" in rows.nth(0).inner_text()  # closest to signature, biggest NPV
    assert "Lumen Retail Group" in rows.nth(1).inner_text()  # the other technical win, a smaller NPV
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    assert page.errors == []  # type: ignore[attr-defined]


def test_deal_pages_show_the_three_answers(page: Page, server: str) -> None:
    page.goto(server)
    page.locator(".db-deals").get_by_role("link", name="Northwind Logistics: Incident analytics platform").click()
    page.wait_for_url(re.compile(r".*/deals/northwind-incident-analytics/(#[\w-]*)?$"))  # a section the dashboard tracked
    box = page.locator(".db-summary table").first
    headers = box.locator("th").all_inner_texts()
    assert [h.lower() for h in headers] == ["what it costs", "what it saves", "when it pays back"]
    cells = box.locator("tbody tr").first.locator("td").all_inner_texts()
    assert cells == ["$1,500,000 over 3 years", "$1,080,480 a year from year 2; $2,761,200 over 3 years", "19.8 months (May 2028)"]
    chart = page.locator(".db-summary img")
    assert chart.evaluate("img => img.complete && img.naturalWidth") > 0 and chart.get_attribute("src").endswith(
        "/deals/northwind-incident-analytics/cashflow.svg"
    )
    page.screenshot(path=str(ARTIFACTS / "executive-summary.png"), full_page=True)
    for link, name in (("Handoff checklist", "handoff"), ("Numbers", "numbers")):
        page.get_by_role("link", name=link, exact=True).click()
        page.wait_for_url(f"**/{name}/")
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert "Total costs" in page.locator("article").inner_text()
    assert page.errors == []  # type: ignore[attr-defined]


def test_a_won_deal_shows_its_value_realized(page: Page, server: str) -> None:
    page.goto(server)
    won = page.locator("article h2", has_text="Won deals").locator("xpath=following-sibling::*[1]")
    assert "1.039.150\xa0€" in won.inner_text() and "147\xa0%" in won.inner_text()  # no-break spaces: a figure never breaks
    won.get_by_role("link", name="Alder Krankenversicherung AG: Automatisierte Vorsortierung von Leistungsrechnungen").click()
    page.wait_for_url(re.compile(r".*/deals/alder-health-claims-automation/value/(#[\w-]*)?$"))
    cells = page.locator(".db-summary table").first.locator("tbody tr").first.locator("td").all_inner_texts()
    german = ["706.019\xa0€ bis Q2\xa02026", "1.039.150\xa0€, von Ihrem Team gemessen", "147\xa0% der Zusage"]
    assert cells == german  # the customer's language, with figures and quarters that never break
    chart = page.locator(".db-summary img")
    assert chart.evaluate("img => img.complete && img.naturalWidth") > 0 and chart.get_attribute("src").endswith("/value.svg")
    pdf = page.get_by_role("link", name="Value Report PDF").get_attribute("href")
    assert pdf and page.request.get(urljoin(page.url, pdf)).body()[:5] == b"%PDF-"
    assert "Every measurement" in page.locator("article").inner_text()
    page.screenshot(path=str(ARTIFACTS / "value-realized.png"), full_page=True)
    assert page.errors == []  # type: ignore[attr-defined]


def test_search_finds_a_deal(page: Page, server: str) -> None:
    page.goto(server)
    page.keyboard.press("/")
    page.locator(".md-search__input").press_sequentially("Alder", delay=30)
    result = page.locator(".md-search-result__item").first
    result.wait_for(timeout=10_000)
    assert "Alder" in result.inner_text()
    assert page.errors == []  # type: ignore[attr-defined]


def test_the_deal_table_sorts_and_filters(page: Page, server: str) -> None:
    page.goto(server)
    rows = page.locator(".db-deals tbody tr")
    visible = page.locator(".db-deals tbody tr:not([hidden])")
    assert page.locator(".db-count").inner_text() == "4 of 4 deals"
    page.get_by_label("Filter by Stage").select_option("technical-win")
    assert visible.count() == 2 and "Northwind" in visible.first.inner_text() and "Lumen" in visible.last.inner_text()
    page.get_by_label("Filter by Stage").select_option("")
    page.get_by_label("Filter by AE").select_option("Clara Lindqvist")
    assert visible.count() == 1 and "Alder" in visible.first.inner_text()
    page.get_by_label("Filter by AE").select_option("")
    page.get_by_label("Filter deals by any text").fill("fjord")
    assert visible.count() == 1 and page.locator(".db-count").inner_text() == "1 of 4 deals"
    page.get_by_label("Filter deals by any text").fill("")
    npv = page.locator(".db-deals th", has_text="NPV")
    npv.click()  # ascending by the plain value, whatever the currency's format
    assert npv.get_attribute("aria-sort") == "ascending"
    assert [rows.nth(i).inner_text().split("\t")[0].split(":")[0] for i in range(4)] == [
        "Lumen Retail Group",  # $360,652
        "Fjord Freight Ltd",  # £614,513
        "Northwind Logistics",  # $884,815
        "Alder Krankenversicherung AG",  # 3.030.425 €
    ]
    npv.press("Enter")  # the keyboard sorts too: descending
    assert npv.get_attribute("aria-sort") == "descending" and rows.first.inner_text().startswith("Alder")
    page.screenshot(path=str(ARTIFACTS / "dashboard-sorted.png"), full_page=True)
    assert page.errors == []  # type: ignore[attr-defined]  (the script runs under the Content-Security-Policy)


def test_invalid_deals_sort_last_and_counts_sort_as_numbers(page: Page, tmp_path: Path) -> None:
    """Sorted by any column but the deal's name, either way, an invalid deal stays last; 10 open blocking questions follow 9."""
    import markdown

    from dealbrief.engine.config import Config
    from dealbrief.engine.pipeline import analyse_all

    question = {"ask": "Is procurement's approval path mapped?", "owner": "ae", "blocking": True, "answer": None}
    for n in (9, 10):
        write_deal(tmp_path, mutate(CLEAN, {"customer": f"Acme {n}", "handoff": {"questions": [question] * n}}), f"acme-{n}")
    (tmp_path / "broken.yaml").write_text("dealbrief: 1\n")
    renderer = Renderer()
    table = renderer.dashboard(analyse_all([tmp_path], Config()), lambda r: f"{r.id}/").split("## All deals", 1)[1]
    html = markdown.markdown(table, extensions=["tables", "md_in_html"])
    tab = page.context.browser.new_page()  # a page of its own: no Material left from the site
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.set_content(f"<article>{html}</article><script>{renderer.asset('dealbrief.js')}</script>")
    rows = tab.locator(".db-deals tbody tr")
    for heading in tab.locator(".db-deals th").all()[1:]:
        for direction in ("ascending", "descending"):
            heading.click()
            assert heading.get_attribute("aria-sort") == direction
            assert rows.last.inner_text().startswith("broken"), f"{heading.inner_text()} {direction}"
    tab.locator(".db-deals th", has_text="Open blocking").click()  # ascending
    assert [rows.nth(i).inner_text().split("\t")[0].split(":")[0] for i in range(3)] == ["Acme 9", "Acme 10", "broken"]
    tab.close()
    assert errors == []


def test_the_dashboard_of_a_thousand_deals_is_one_page_that_loads_fast(page: Page, tmp_path: Path) -> None:
    """1,000 generated deals: the dashboard's size and load time (printed with -s), and a filter over every row."""
    import sys
    import time

    sys.path.insert(0, str(ROOT / "scripts"))
    from synth import generate

    from dealbrief.engine.config import Config
    from dealbrief.engine.pipeline import analyse_all
    from dealbrief.output.pages import site_files

    generate(tmp_path / "deals", 1000)
    (tmp_path / "repo").mkdir()
    repo = make_repo(tmp_path / "repo")
    for deal in (tmp_path / "deals").glob("*.yaml"):
        deal.rename(repo / "deals" / deal.name)
    files = site_files(analyse_all([repo / "deals"], Config()), Renderer(), only="none")  # the dashboard alone
    web = repo / "web"
    for name in ("index.md", "assets/dealbrief.css", "assets/dealbrief.js"):
        (web / name).parent.mkdir(parents=True, exist_ok=True)
        (web / name).write_text(files[name])
    config = (repo / "mkdocs.yml").read_text().replace("  - dealbrief\n", "")
    (repo / "mkdocs.yml").write_text(config + "extra_css: [assets/dealbrief.css]\nextra_javascript: [assets/dealbrief.js]\n")
    site = build_site(repo)
    size = (site / "index.html").stat().st_size
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    tab = page.context.browser.new_page(viewport={"width": 1280, "height": 900})  # the module's browser: one Playwright a process
    tab.goto(f"http://127.0.0.1:{httpd.server_address[1]}/")
    tab.locator(".db-count").wait_for()
    load = tab.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
    assert tab.locator(".db-count").inner_text() == "1000 of 1000 deals"
    started = time.perf_counter()
    tab.get_by_label("Filter by Stage").select_option("closed-won")
    shown = tab.locator(".db-deals tbody tr:not([hidden])").count()
    filtered = time.perf_counter() - started
    tab.locator(".db-deals th", has_text="NPV").click()
    tab.close()
    httpd.shutdown()
    print(
        f"\ndashboard at 1,000 deals: {size / 1024:.0f} KiB, loaded in {load:.0f} ms, one filter over every row in {filtered * 1000:.0f} ms"
    )
    assert 0 < shown < 1000
    assert size < 2 * 1024 * 1024 and load < 5000 and filtered < 2


CONTRAST = """() => [...document.querySelectorAll('.md-typeset .md-button')].map(button => {
  const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = c => rgb(c).map(v => v / 255).map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  let el = button, bg = 'rgba(0, 0, 0, 0)';
  while (el && (bg === 'rgba(0, 0, 0, 0)' || bg === 'transparent')) { bg = getComputedStyle(el).backgroundColor; el = el.parentElement; }
  const [a, b] = [lum(getComputedStyle(button).color), lum(bg)].sort((x, y) => y - x);
  return [button.textContent.trim(), (a + 0.05) / (b + 0.05)];
})"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_deals_buttons_are_readable_in_either_theme(page: Page, server: str, scheme: str) -> None:
    """WCAG AA (4.5:1) for the deal's page links: Material's outlined buttons were indigo on near-black (2.4:1)."""
    assert page.context.browser
    fresh = page.context.browser.new_context(color_scheme=scheme)  # Material keeps the first scheme it chose per browser
    try:
        themed = fresh.new_page()
        themed.goto(server + "deals/northwind-incident-analytics/")
        assert themed.evaluate("document.body.dataset.mdColorScheme") == ("slate" if scheme == "dark" else "default")
        buttons = themed.evaluate(CONTRAST)
        outlined = themed.locator(".md-typeset .md-button:not(.md-button--primary)").first
        outlined.hover()  # Material fills a hovered or focused button: its text must change with it
        themed.wait_for_timeout(400)  # past the theme's colour transition
        hovered = themed.evaluate(CONTRAST)
        themed.mouse.move(0, 0)
        outlined.focus()
        themed.wait_for_timeout(400)
        focused = themed.evaluate(CONTRAST)
    finally:
        fresh.close()
    assert len(buttons) >= 4 and all(ratio >= 4.5 for _, ratio in buttons), buttons
    assert all(ratio >= 3 for _, ratio in hovered + focused), (hovered, focused)  # Material's own: white on indigo
