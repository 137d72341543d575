"""A site's charts and PDFs, made in the background while the pages are built.

Drawing the charts and exporting the PDFs is most of a cold build, and converting the
pages is most of the rest; worker processes do the first while the main process does
the second, so the two overlap instead of adding up — and a rebuild after one edit
costs little more than the pages themselves.  The work is steered from a process of its
own (a thread would wait for the main process's interpreter lock, leaving the workers
idle).  Every file is planned up front (so the pages can link to it) and written
straight into the site; the caller collects the outcome when its pages are done.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from .artifacts import CHART, PDF_FOLDER, VALUE_CHART, deal_folder
from .content_cache import Cache, write_atomically
from .engine.pipeline import Analysed, Report
from .output.render import Renderer
from .pdf.export import Outcome, documents, export_reports


def planned(reports: list[Report], pdf: bool) -> list[str]:
    """Where, in the site, each valid deal's chart and (with ``pdf``) its two PDFs will be."""
    paths = []
    for report in reports:
        if isinstance(report, Analysed):
            paths.append(deal_folder(report.id) + CHART)
            paths += [deal_folder(report.id) + VALUE_CHART] if report.progress and report.progress.periods else []
            paths += [PDF_FOLDER + name for name in documents(report)] if pdf else []
    return paths


def new_process() -> ProcessPoolExecutor:
    """The process that makes the charts and PDFs; ``mkdocs serve`` keeps one for all its rebuilds (Typst stays loaded)."""
    return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=_watch, initargs=(os.getpid(),))


def start(
    reports: list[Report],
    templates: Path | None,
    site_dir: Path,
    pdf: bool,
    paper: str | None = None,
    cache: Cache | None = None,
    process: ProcessPoolExecutor | None = None,
) -> Future[Outcome]:
    """Make every planned chart and PDF into ``site_dir`` in the background; the PDFs' outcome comes back."""
    executor = process or new_process()
    future = executor.submit(_make, [r for r in reports if isinstance(r, Analysed)], templates, site_dir, pdf, paper, cache or Cache())
    if process is None:
        executor.shutdown(wait=False)  # it ends once this work is done
    return future


def _watch(parent: int) -> None:
    """End this process, and its PDF workers, soon after the build that started it is gone (killed): nobody would collect
    their work."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        for worker in multiprocessing.active_children():  # before they try to hand back a PDF nobody reads (a traceback)
            worker.kill()
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _make(valid: list[Analysed], templates: Path | None, site_dir: Path, pdf: bool, paper: str | None, cache: Cache) -> Outcome:
    renderer = Renderer(templates)
    charts = renderer.charts(valid)
    for report in valid:
        write_atomically(site_dir / deal_folder(report.id) / CHART, charts[report.id])
        if report.progress and report.progress.periods:
            write_atomically(site_dir / deal_folder(report.id) / VALUE_CHART, renderer.value_chart(report).encode())
    if not pdf:
        return Outcome(damaged=list(cache.damaged))
    return export_reports(valid, renderer, site_dir / PDF_FOLDER, paper, cache)
