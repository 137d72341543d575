"""The site's generated files, as a mapping of path → content; no MkDocs here (the plugin adapts it).

Per valid deal: ``deals/<id>/index.md`` (Executive Summary), ``handoff.md``,
``numbers.md`` and ``cashflow.svg``; per invalid deal a page listing its
problems; ``index.md`` is the dashboard.
"""

from __future__ import annotations

from collections.abc import Callable

from .chart import cashflow_svg
from .pipeline import Report
from .render import Renderer

CSS = "assets/dealbrief.css"
CHART = "cashflow.svg"


def deal_folder(report: Report) -> str:
    return f"deals/{report.id}/"


def deal_pages(report: Report, renderer: Renderer, pdf: str | None = None) -> dict[str, str | bytes]:
    """A deal's pages; ``pdf`` is the PDF's path relative to the deal's folder, when there is one."""
    folder = deal_folder(report)
    if not (report.deal and report.case):
        return {folder + "index.md": renderer.invalid_page(report)}
    links: dict[str, str | None] = {"summary": "index.md", "handoff": "handoff.md", "numbers": "numbers.md", "pdf": pdf}
    return {
        folder + "index.md": renderer.summary_page(report, links, CHART),
        folder + "handoff.md": renderer.handoff_page(report, links),
        folder + "numbers.md": renderer.numbers_page(report, links),
        folder + CHART: cashflow_svg(report.case.net, report.case.payback_months, report.deal.currency, report.deal.locale),
    }


def site_files(reports: list[Report], renderer: Renderer,
               pdf_for: Callable[[Report], str | None] = lambda r: None) -> dict[str, str | bytes]:
    """Every generated file of the site."""
    files: dict[str, str | bytes] = {
        "index.md": renderer.dashboard(reports, lambda r: deal_folder(r) + "index.md"),
        CSS: renderer.asset("dealbrief.css"),
    }
    for report in reports:
        files.update(deal_pages(report, renderer, pdf_for(report)))
    return files
