"""Deal text never becomes markup, code or terminal control — in any output, read the way its reader reads it.

- A differential DOM test: the same deals built twice, once with a hostile string in every text field and
  once with harmless text; every HTML page, parsed by a real HTML5 parser, must have the same elements and
  attributes in both (only text may differ); so must the search index's entries and the sitemap.
- A real browser opens every page of the hostile build and searches for every hostile string: no dialog,
  no console error (the Content-Security-Policy would report a blocked script there).
- The PDFs' text and metadata, ``check`` in each format, ``show``, ``diff`` as GitHub renders it.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import html5lib
import pytest
import yaml
from markdown_it import MarkdownIt
from playwright.sync_api import Page, sync_playwright
from pypdf import PdfReader

from dealbrief.artifacts import pdf_names
from dealbrief.engine.history import file_hash

from ..conftest import CHROMIUM, CLEAN, DEALBRIEF, FLAGS, GIT_AUTHOR, MKDOCS, ROOT, build_site, make_repo, mutate, write_deal
from ..hostile import CORPUS, ESCAPES, FORGED, HARMLESS_NAMES, HOSTILE_NAMES, escaped, with_text


def deal_repo(folder: Path, texts: list[str], names: list[str]) -> Path:
    """Hostile won deals whose sent versions are committed (so their Value realized pages and Value Reports exist too)."""
    repo = make_repo(folder)
    (repo / "secret.txt").write_text("TOPSECRET-CONTENT")
    won = {f"hostile-{index}": with_text(lambda path, i=index, t=text: f"H{i}: {t}") for index, text in enumerate(texts)}
    for deal_id, data in won.items():
        promised = {key: value for key, value in data.items() if key not in ("sent", "signed", "realization")}
        write_deal(repo / "deals", {**promised, "stage": "summary-sent"}, deal_id)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    subprocess.run(["git", "add", "deals"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-qm", "sent"], cwd=repo, check=True, env={**os.environ, **GIT_AUTHOR})
    for deal_id, data in won.items():
        sent_hash = file_hash((repo / "deals" / f"{deal_id}.yaml").read_bytes())
        write_deal(repo / "deals", mutate(data, {"sent.file_hash": sent_hash}), deal_id)
    for name in names:
        write_deal(repo / "deals", CLEAN, name)
    return repo


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(deal_repo(tmp_path_factory.mktemp("hostile"), CORPUS, HOSTILE_NAMES))


@pytest.fixture(scope="module")
def harmless(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(deal_repo(tmp_path_factory.mktemp("harmless"), ["placeholder"] * len(CORPUS), HARMLESS_NAMES))


# --- the differential DOM test --------------------------------------------------------------------------------------

# Attributes whose value is made from a heading's text (its anchor, and the links to it): the only values that may differ.
FROM_TEXT = {("h1", "id"), ("h2", "id"), ("h3", "id"), ("a", "href#"), ("a", "title")}


def shape(markup: str, fragment: bool = False) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """Each element in document order with its attributes; values made from heading text or a file's hash are left out."""
    tree = html5lib.parseFragment(markup, namespaceHTMLElements=False) if fragment else html5lib.parse(markup, namespaceHTMLElements=False)
    elements = []
    for element in tree.iter():
        if not isinstance(element.tag, str):  # comments
            continue
        attributes = []
        for name, value in sorted(element.attrib.items()):
            kind = name + "#" if name == "href" and value.startswith("#") else name
            attributes.append((name, "" if (element.tag, kind) in FROM_TEXT else re.sub(r"_invalid/\w{16}", "_invalid/*", value)))
        elements.append((element.tag, tuple(attributes)))
    return elements


def pages_of(site: Path) -> dict[str, Path]:
    """The site's HTML pages by path; problem pages of files with unusable names by their rank (their folder is a hash)."""
    pages = {str(p.relative_to(site)): p for p in site.rglob("*.html") if "_invalid" not in p.parts}
    for rank, page in enumerate(sorted(site.glob("deals/_invalid/*/index.html"))):
        pages[f"invalid {rank}"] = page
    return pages


def test_every_page_has_the_same_elements_whatever_the_deal_says(hostile: Path, harmless: Path) -> None:
    pages, twins = pages_of(hostile), pages_of(harmless)
    assert pages.keys() == twins.keys() and len(pages) > 3 * len(CORPUS)
    for name, page in pages.items():
        assert shape(page.read_text()) == shape(twins[name].read_text()), name


def test_the_search_index_holds_no_markup_from_a_deal(hostile: Path, harmless: Path) -> None:
    """Material shows the index's titles and texts as HTML in its search results."""

    def entries(site: Path) -> list[dict[str, str]]:
        docs = json.loads((site / "search" / "search_index.json").read_text())["docs"]
        return sorted(docs, key=lambda doc: re.sub(r"_invalid/\w{16}", "_invalid/*", doc["location"].split("#")[0]))

    docs, twins = entries(hostile), entries(harmless)
    assert len(docs) == len(twins)
    for doc, twin in zip(docs, twins, strict=True):
        for field in ("title", "text"):
            assert shape(doc[field], fragment=True) == shape(twin[field], fragment=True), (doc["location"], field)


def test_the_sitemap_holds_no_deal_text(hostile: Path, harmless: Path) -> None:
    assert (hostile / "sitemap.xml").read_text() == (harmless / "sitemap.xml").read_text()


def test_titles_are_text(hostile: Path) -> None:
    page = (hostile / "deals" / "hostile-18" / "index.html").read_text()
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title == "H18: Acme &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;title&gt;: H18: Acme &lt;/title&gt;" + (
        "&lt;script&gt;alert(1)&lt;/script&gt;&lt;title&gt; - Deals"
    )


def visible_text(page: str) -> str:
    article = page.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
    import html as entities

    return re.sub(r"\s+", " ", entities.unescape(re.sub(r"<[^>]+>", " ", article)))


@pytest.mark.parametrize("index", range(len(CORPUS)))
def test_hostile_strings_read_as_typed_in_the_site(hostile: Path, index: int) -> None:
    expected = " ".join(f"H{index}: {CORPUS[index]}".split())
    for page in ("", "handoff/", "numbers/", "value/"):
        assert expected in visible_text((hostile / "deals" / f"hostile-{index}" / page / "index.html").read_text()), page
    chart = (hostile / "deals" / f"hostile-{index}" / "value.svg").read_text()
    assert "Value realized against value promised" in chart and "<script" not in chart


# --- the PDFs -------------------------------------------------------------------------------------------------------

XMP_NAMESPACES = ("adobe:ns:meta/", "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://purl.org/dc/", "http://ns.adobe.com/")


@pytest.mark.parametrize("index", range(len(CORPUS)))
def test_hostile_strings_read_as_typed_in_every_pdf(hostile: Path, index: int) -> None:
    assert (hostile / "pdf" / f"hostile-{index}-value.pdf").is_file()  # the Value Report, with the hostile evidence
    for name in pdf_names(f"hostile-{index}", value=True):
        if not (hostile / "pdf" / name).exists():  # a summary this long may not fit one page: its failure is tested elsewhere
            continue
        reader = PdfReader(hostile / "pdf" / name)
        text = " ".join(" ".join(page.extract_text().replace("\u200b", "").split()) for page in reader.pages)
        assert f"H{index}:" in text and "TOPSECRET" not in text and "root:x:0" not in text
        distinctive = re.sub(r"\s+", " ", CORPUS[index]).strip()
        assert distinctive[:12] in text.replace("\u00ad", ""), (name, distinctive[:12])
        assert reader.metadata.title == " ".join(f"H{index}: {CORPUS[index]}".split())  # the customer, as typed
        assert set(reader.metadata) <= {"/Title", "/Creator", "/Producer", "/CreationDate", "/ModDate"}
        xmp = reader.xmp_metadata
        assert xmp is not None
        assert all(
            node.namespaceURI is None or node.namespaceURI.startswith(XMP_NAMESPACES) for node in xmp.rdf_root.getElementsByTagName("*")
        )


# --- the browser ----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser_page(hostile: Path) -> Iterator[tuple[Page, str, list[str]]]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(hostile))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
        page.on("console", lambda message: problems.append(f"console: {message.text}") if message.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        yield page, f"http://127.0.0.1:{server.server_address[1]}/", problems
        browser.close()
    server.shutdown()


def test_no_page_runs_anything_from_a_deal(hostile: Path, browser_page: tuple[Page, str, list[str]]) -> None:
    page, base, problems = browser_page
    for path in sorted(hostile.rglob("*.html")):
        page.goto(base + str(path.relative_to(hostile)))
        page.wait_for_load_state("load")
        assert page.evaluate("window.__pwned") is None
        assert problems == [], (path, problems)


@pytest.mark.parametrize("index", range(len(CORPUS)))
def test_searching_for_a_hostile_string_runs_nothing(browser_page: tuple[Page, str, list[str]], index: int) -> None:
    page, base, problems = browser_page
    page.goto(base)
    page.locator(".md-search__input").fill(CORPUS[index])
    page.locator(".md-search-result__meta").wait_for()
    result = page.locator(".md-search-result__item a").first
    if result.count():
        result.click()
        page.wait_for_load_state("load")
    assert problems == [], problems


def test_the_policy_stops_a_script_that_got_into_a_page(tmp_path: Path, browser_page: tuple[Page, str, list[str]]) -> None:
    """A template that lets a script through (as an escaping bug would): the page keeps the script, the browser refuses it."""
    page, _, problems = browser_page
    repo = make_repo(tmp_path, ROOT / "deals" / "northwind-incident-analytics.yaml")
    (repo / "ours").mkdir()
    script, handler = '<script>window.__pwned = "inline"</script>', '<img src="x" onerror="window.__pwned = \'handler\'">'
    (repo / "ours" / "summary.md.j2").write_text(f"{script}\n{handler}\n\nNPV {{{{ f.money(case.npv) }}}}\n")
    config = (repo / "mkdocs.yml").read_text().replace("  - dealbrief\n", "  - dealbrief:\n      templates_dir: ours\n      pdf: false\n")
    (repo / "mkdocs.yml").write_text(config)
    summary = build_site(repo) / "deals" / "northwind-incident-analytics" / "index.html"
    assert script in summary.read_text() and handler in summary.read_text()
    page.goto(summary.as_uri())
    page.wait_for_load_state("load")
    assert page.evaluate("window.__pwned") is None
    assert any("Content Security Policy" in p for p in problems), problems
    problems.clear()
    unprotected = summary.with_name("unprotected.html")  # the same page without the policy: the script does run
    unprotected.write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", summary.read_text()))
    page.goto(unprotected.as_uri())
    page.wait_for_load_state("load")
    assert page.evaluate("window.__pwned") in ("inline", "handler")
    problems.clear()


def test_a_theme_that_unescapes_titles_fails_the_build(tmp_path: Path) -> None:
    """If a theme release printed titles the old way (``striptags`` unescapes), the build stops instead of publishing markup."""
    repo = make_repo(tmp_path)
    write_deal(repo / "deals", mutate(CLEAN, {"customer": CORPUS[18]}), "acme")
    (repo / "overrides").mkdir()
    (repo / "overrides" / "main.html").write_text(
        '{% extends "base.html" %}{% block htmltitle %}<title>{{ page.title | striptags }}</title>{% endblock %}'
    )
    config = (repo / "mkdocs.yml").read_text().replace("  name: material\n", "  name: material\n  custom_dir: overrides\n")
    (repo / "mkdocs.yml").write_text(config)
    done = subprocess.run([MKDOCS, "build"], cwd=repo, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert "deals/acme/index.md: the page's title is missing, or the theme printed it in a way dealbrief does not expect" in done.stderr
    assert not (repo / "site").exists()


def test_a_page_without_its_title_fails_the_build(tmp_path: Path) -> None:
    """MkDocs drops front matter it cannot parse and renders it as Markdown: a deal page with no title is never published."""
    repo = make_repo(tmp_path, ROOT / "deals" / "northwind-incident-analytics.yaml")
    (repo / "ours").mkdir()
    numbers = (ROOT / "src" / "dealbrief" / "templates" / "page-numbers.md.j2").read_text()
    (repo / "ours" / "page-numbers.md.j2").write_text(numbers.replace("title: {{ title | page_title }}\n", ""))
    (repo / "mkdocs.yml").write_text(
        (repo / "mkdocs.yml").read_text().replace("  - dealbrief\n", "  - dealbrief:\n      templates_dir: ours\n")
    )
    done = subprocess.run([MKDOCS, "build"], cwd=repo, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and "deals/northwind-incident-analytics/numbers.md: the page's title is missing" in done.stderr


# --- names that cannot collide --------------------------------------------------------------------------------------


def test_an_id_named_like_another_deals_handoff_is_refused(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    write_deal(repo / "deals", mutate(CLEAN, {"commercial": {"notes": ["INTERNAL-NOTE"]}}), "alpha")
    write_deal(repo / "deals", CLEAN, "alpha-handoff")
    check = subprocess.run([DEALBRIEF, "check"], cwd=repo, capture_output=True, text=True, timeout=60)
    assert check.returncode == 2
    assert (
        "deals/alpha-handoff.yaml:1:1: a deal id may not end in '-handoff': 'alpha-handoff.pdf' is the name of deal alpha's" in check.stdout
    )
    build = subprocess.run([MKDOCS, "build"], cwd=repo, capture_output=True, text=True, timeout=300)
    assert build.returncode == 0
    [problems] = (repo / "site" / "deals" / "_invalid").glob("*/index.html")
    assert "alpha-handoff.yaml" in problems.read_text() and not re.search(r'href="[^"]*\.pdf"', problems.read_text())  # no PDF linked
    assert "INTERNAL" in " ".join(p.extract_text() for p in PdfReader(repo / "site" / "pdf" / "alpha-handoff.pdf").pages)


# --- terminals and logs ---------------------------------------------------------------------------------------------


def run_everywhere(repo: Path, env: dict[str, str]) -> dict[str, str]:
    commands = [
        ["check"],
        ["check", "--format", "json"],
        ["check", "--format", "github"],
        ["show", "acme"],
        ["show", "acme", "--json"],
        ["show", "good"],
        ["show", "wraps"],
        ["pdf", "good", "--out", "out"],
        ["diff"],
    ]
    outputs = {}
    for command in commands:
        done = subprocess.run([DEALBRIEF, *command], cwd=repo, capture_output=True, env=env, timeout=120)
        outputs[" ".join(command)] = (done.stdout + done.stderr).decode()
        assert done.returncode in (0, 1, 2), (command, outputs[" ".join(command)])
    build = subprocess.run([MKDOCS, "build"], cwd=repo, capture_output=True, env=env, timeout=300)
    outputs["mkdocs build"] = (build.stdout + build.stderr).decode()
    return outputs


@pytest.mark.parametrize("ci", [False, True], ids=["terminal", "ci"])
def test_no_output_carries_a_control_character_or_a_forged_line(tmp_path: Path, ci: bool) -> None:
    repo = make_repo(tmp_path)
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    write_deal(repo / "deals", CLEAN, "good")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "-c", "user.email=a@b", "-c", "user.name=a", "commit", "-qm", "x"], cwd=repo, check=True)
    deal = yaml.safe_dump(mutate(CLEAN, {"commercial.competitor": {"name": "Rival" + FORGED, "status": "incumbent"}}), sort_keys=False)
    deal = deal.replace("customer: Acme Freight", f"customer: {escaped('Acme' + ESCAPES)}")
    deal = deal.replace("stage: technical-win", f"stage: {escaped('x' + chr(10) + FORGED)}")
    deal += f"{escaped('zz' + chr(10) + FORGED)}: 1\n"
    (repo / "deals" / "acme.yaml").write_text(deal)
    (repo / "deals" / "good.yaml").write_text(  # a valid deal whose competitor's name holds a line break
        yaml.safe_dump(mutate(CLEAN, {"commercial.competitor": {"name": "Rival\n" + FORGED, "status": "incumbent"}}), sort_keys=False)
    )
    rival = {"name": "LLLLLLLLLL ::error file=README.md,line=1,title=Forged::Deploy key leaked ##[warning]legacy", "status": "incumbent"}
    write_deal(repo / "deals", mutate(CLEAN, {"commercial.competitor": rival}), "wraps")  # rich wraps it onto a line of its own
    write_deal(repo / "deals", mutate(CLEAN, {f"see ##[error file=README.md;line=1]{FORGED}": 1}), "old-form")
    write_deal(repo / "deals", CLEAN, "name\x1b]0;PWNED\x07\n" + FORGED)
    write_deal(repo / "deals", CLEAN, "x ##[warning]forged by a file name")
    (repo / "deals" / "not-utf8-\udcff.yaml").write_text("dealbrief: 1\n")  # a file name that is not UTF-8 at all
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CI": "true" if ci else "false", "COLUMNS": "80"}
    for command, output in run_everywhere(repo, env).items():
        assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f]", output), (command, output)
        own = ("::error file=deals/", "::warning file=deals/", "::notice file=deals/")
        assert all(line.lstrip().startswith(own) for line in output.splitlines() if line.lstrip().startswith("::")), (command, output)
        assert "##[" not in output, (command, output)  # the runner's older command form, obeyed anywhere in a line


# --- the pull-request summary, as GitHub renders it -------------------------------------------------------------------


def rendered_diff(repo: Path, stages: list[str]) -> str:
    """``dealbrief diff`` after each deal's stage became one of ``stages``, rendered as GitHub renders Markdown."""
    (repo / "deals").mkdir(parents=True)
    for index in range(len(stages)):
        write_deal(repo / "deals", CLEAN, f"deal-{index}")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "-c", "user.email=a@b", "-c", "user.name=a", "commit", "-qm", "x"], cwd=repo, check=True)
    for index, stage in enumerate(stages):
        write_deal(repo / "deals", mutate(CLEAN, {"stage": stage}), f"deal-{index}")
    command = [DEALBRIEF, "diff", "--base", "HEAD", "--format", "markdown"]  # what CI posts to the pull request
    done = subprocess.run(command, cwd=repo, capture_output=True, text=True, check=True, timeout=120)
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(done.stdout)


def test_the_diff_renders_deal_text_as_text_on_github(tmp_path: Path) -> None:
    hostile = rendered_diff(tmp_path / "hostile", CORPUS)
    harmless = rendered_diff(tmp_path / "harmless", ["placeholder"] * len(CORPUS))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile
    assert shape(hostile, fragment=True) == shape(harmless, fragment=True)
