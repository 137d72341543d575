"""The site the way the README tells a newcomer to open it: `make serve`, then http://127.0.0.1:8000/ in a browser."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from ..conftest import ARTIFACTS, CHROMIUM, FLAGS, MKDOCS, ROOT, make_repo

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_sends_people_to_a_web_server_not_to_the_file_system() -> None:
    quickstart = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    assert "`make serve`" in quickstart and "http://127.0.0.1:8000/" in quickstart
    assert not re.search(r"\bOpen\s+`site/index\.html`", quickstart)  # from file://, links list folders and no script runs
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"\nserve: \$\(STAMP\)\n\tNO_MKDOCS_2_WARNING=1 \$\(BIN\)/mkdocs serve\n", makefile)  # its default: 127.0.0.1:8000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """What `make serve` runs (`mkdocs serve`), on a free port instead of 8000, in a copy of this repository's deals."""
    repo = make_repo(tmp_path_factory.mktemp("serve"), *sorted((ROOT / "deals").glob("*.yaml")))
    port = _free_port()
    log = (repo / "serve.log").open("w")
    server = subprocess.Popen(
        [MKDOCS, "serve", "--dev-addr", f"127.0.0.1:{port}", "--no-livereload"],
        cwd=repo,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1790000000"},
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            assert server.poll() is None, (repo / "serve.log").read_text()
            assert time.monotonic() < deadline, "mkdocs serve did not answer in 4 minutes:\n" + (repo / "serve.log").read_text()
            time.sleep(0.5)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def test_from_the_dashboard_to_a_deal_as_the_readme_says(served: str) -> None:
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: apt-get install chromium (make test does it)"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(served)
            expect(page.locator(".db-count")).to_have_text("4 of 4 deals", timeout=30_000)  # the dashboard's script ran
            page.get_by_label("Filter deals by any text").fill("northwind")
            expect(page.locator(".db-count")).to_have_text("1 of 4 deals")
            page.locator(".db-deals").get_by_role("link", name="Northwind Logistics: Incident analytics platform").click()
            # Material's navigation.tracking may have put the dashboard's section ("#all-deals") on the URL the link keeps
            page.wait_for_url(re.compile(r".*/deals/northwind-incident-analytics/(#[\w-]*)?$"), timeout=60_000)
            headers = page.locator(".db-summary table").first.locator("th").all_inner_texts()
            assert [h.lower() for h in headers] == ["what it costs", "what it saves", "when it pays back"]
            page.get_by_role("link", name="Handoff checklist", exact=True).click()
            page.wait_for_url(re.compile(r".*/deals/northwind-incident-analytics/handoff/(#[\w-]*)?$"))
            page.screenshot(path=str(ARTIFACTS / "readme-serve-handoff.png"))
            assert errors == []
        finally:
            browser.close()
