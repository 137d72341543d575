"""The site's generated files, as a mapping of path → content; no MkDocs here (the plugin adapts it).

Per valid deal: ``deals/<id>/index.md`` (Executive Summary), ``handoff.md`` and
``numbers.md``; per invalid deal a page listing its problems; ``index.md`` is the
dashboard.  Charts and PDFs are made apart (:mod:`dealbrief.background`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection

from ..artifacts import CHART, CSS, DOCUMENT_SUFFIXES, PDF_FOLDER, SCRIPT, VALUE_CHART, deal_folder, pdf_name
from ..content_cache import Cache, key
from ..deal.validate import bad_deal_id
from ..engine.pipeline import Analysed, Report
from ..engine.reporting import Reporting
from .diff import revision
from .render import Renderer


def folders(reports: list[Report]) -> dict[str, str]:
    """Each report's page folder, by file: ``deals/<id>/``, unless the id is not a usable id or another file has it.

    Such a file's problems page goes to ``deals/_invalid/<hash of its path>/`` (``_`` is in no id), so a file name
    can neither become a path that means something else nor take the place of another deal's pages.
    """
    taken = {r.id for r in reports if r.valid}
    found = {}
    for report in reports:
        if report.valid or (bad_deal_id(report.id) is None and report.id not in taken):
            found[report.file] = deal_folder(report.id)
            taken.add(report.id)
        else:
            found[report.file] = f"deals/_invalid/{hashlib.sha256(report.file.encode()).hexdigest()[:16]}/"
    return found


class PageCache:
    """Rendered pages by their inputs (deal content, findings, links, templates, versions), in the cache.

    New entries are held until :meth:`save`, so writing them never delays the build's pages.
    """

    def __init__(self, cache: Cache) -> None:
        self.cache, self.new = cache, dict[str, dict[str, str]]()

    def get(self, entry: str) -> dict[str, str] | None:
        pages = self.cache.get_json("page", entry)
        return pages if isinstance(pages, dict) else None

    def put(self, entry: str, pages: dict[str, str]) -> None:
        self.new[entry] = pages

    def save(self) -> None:
        for entry, pages in self.new.items():
            self.cache.put_json("page", entry, pages)
        self.new.clear()


def deal_pages(
    report: Report, renderer: Renderer, pdfs: Collection[str] = (), cache: PageCache | None = None, folder: str | None = None
) -> dict[str, str]:
    """A deal's pages, showing its chart and linking to its PDFs among ``pdfs`` (file names in the site's ``pdf/`` folder)."""
    folder = folder or deal_folder(report.id)
    if not isinstance(report, Analysed):
        return {folder + "index.md": renderer.invalid_page(report)}
    pdf = {kind: f"../../{PDF_FOLDER}{name}" if (name := pdf_name(report.id, kind)) in pdfs else None for kind in DOCUMENT_SUFFIXES}
    links: dict[str, str | None] = {
        "summary": "index.md",
        "handoff": "handoff.md",
        "numbers": "numbers.md",
        "value": "value.md" if report.deal.realization else None,
        "pdf": pdf["summary"],
        "handoff_pdf": pdf["handoff"],
        "value_pdf": pdf["value"],
        "revision_pdf": pdf["revision"],
    }
    edited = revision(report)
    sent = (report.sent.report.digest, report.sent.report.review) if report.sent else None
    inputs = (report.file, report.digest, links, report.review, report.progress, report.promise_problem, sent, edited)
    entry = key(renderer.fingerprint, *inputs)
    if cache and (known := cache.get(entry)):
        return known
    pages = {
        folder + "index.md": renderer.summary_page(report, links, CHART, edited),
        folder + "handoff.md": renderer.handoff_page(report, links, edited),
        folder + "numbers.md": renderer.numbers_page(report, links, edited),
    }
    if report.deal.realization:
        pages[folder + "value.md"] = renderer.value_page(report, links, VALUE_CHART, edited)
    if cache:
        cache.put(entry, pages)
    return pages


def site_files(
    reports: list[Report],
    renderer: Renderer,
    pdfs: Collection[str] = (),
    cache: PageCache | None = None,
    only: str | None = None,
    reporting: Reporting | None = None,
) -> dict[str, str]:
    """Every generated page of the site, and its style sheet; with ``only``, that deal's pages (the dashboard lists every
    deal, its totals in the team's ``reporting`` currency too)."""
    placed = folders(reports)
    files = {
        "index.md": renderer.dashboard(reports, lambda r: placed[r.file] + "index.md", reporting),
        CSS: renderer.asset("dealbrief.css"),
        SCRIPT: renderer.asset("dealbrief.js"),
    }
    for report in reports:
        if only is None or report.id == only:
            files.update(deal_pages(report, renderer, pdfs, cache, placed[report.file]))
    return files
