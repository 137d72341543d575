"""The built site in a real browser: headless Chromium (Debian's) finds the deals and the CFO's answers."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Page, sync_playwright

from ..conftest import ARTIFACTS, CHROMIUM, FLAGS, ROOT, build_site, make_repo


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
    assert rows.count() == 3
    assert "Northwind Logistics: Incident analytics platform" in rows.nth(0).inner_text()  # closest to signature first
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    assert page.errors == []  # type: ignore[attr-defined]


def test_deal_pages_show_the_three_answers(page: Page, server: str) -> None:
    page.goto(server)
    page.get_by_role("link", name="Northwind Logistics: Incident analytics platform").click()
    page.wait_for_url("**/deals/northwind-incident-analytics/")
    box = page.locator(".db-summary table").first
    headers = box.locator("th").all_inner_texts()
    assert [h.lower() for h in headers] == ["what it costs", "what it saves", "when it pays back"]
    cells = box.locator("tbody tr").first.locator("td").all_inner_texts()
    assert cells == ["$1,500,000 over 3 years", "$1,080,480 a year", "19.8 months (May 2028)"]
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
    assert "1.039.150 €" in won.inner_text() and "147 %" in won.inner_text()
    won.get_by_role("link", name="Alder Krankenversicherung AG: Automatisierte Vorsortierung von Leistungsrechnungen").click()
    page.wait_for_url("**/deals/alder-health-claims-automation/value/")
    cells = page.locator(".db-summary table").first.locator("tbody tr").first.locator("td").all_inner_texts()
    assert cells == ["706.019 € bis 2027-Q2", "1.039.150 €, von Ihrem Team gemessen", "147 % der Zusage"]  # the customer's German
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
