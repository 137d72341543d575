"""Export the PDFs: pandoc turns the rendered Markdown into Typst, Typst compiles it; no LaTeX, no system packages.

- The Executive Summary PDF says exactly what the site's summary page says (the same
  ``summary.md.j2`` output) and must fit on one page; the Handoff PDF is internal.
- The Value Report always fits its page: beyond ``VALUE_ROWS`` drivers, or when the
  evidence does not fit, the PDF leaves that detail to the site's page and says so.
- Deal text can never become code: it reaches pandoc as escaped Markdown, pandoc
  reads with raw HTML/TeX/attributes, citations and maths off, the template only
  interpolates our own values, and Typst compiles in a root holding only the
  document and its chart.
- Reproducible: the date comes from ``SOURCE_DATE_EPOCH`` or the deal file's last
  commit; the same inputs give the same bytes.
- Fast and incremental: spawned worker processes (one long-lived ``pandoc lua`` and
  one reused ``typst.Compiler`` each) share the work; a PDF whose inputs have not
  changed comes from a content-keyed cache; a document past its time limit is
  stopped, reported, and the others finish.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

from babel import Locale

from ..artifacts import CHART, pdf_name, pdf_names
from ..clock import source_date
from ..content_cache import Cache, code_version, key, write_atomically
from ..deal.model import Deal
from ..deal.validate import bad_deal_id
from ..engine.history import last_changes
from ..engine.pipeline import Analysed, Report
from ..errors import KeyPath, dotted
from ..i18n import N_, SOURCE, language_of
from ..output.render import Renderer, escape
from . import fonts
from .worker import Job, export_one, start_worker

CROWDED = 12  # more value drivers or POC results than fit one page, however short their words
VALUE_ROWS = 8  # the value drivers a Value Report page holds with its chart and the latest period's evidence
LETTER_TERRITORIES = {"US", "CA", "MX", "CL", "CO", "PH", "VE", "PR", "GT", "PA", "SV", "DO", "CR"}
STARTUP_GRACE = 30.0  # seconds a new pool may take to start its workers


@dataclass
class Outcome:
    """Where each PDF was written, which were reused from the cache, why the others failed, and what was damaged."""

    files: dict[str, Path] = field(default_factory=dict)
    exported: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    damaged: list[str] = field(default_factory=list)  # cache entries that did not check out, made again


def documents(report: Analysed) -> tuple[str, ...]:
    """The PDFs a valid deal has: its Value Report once value is measured against a promise, its revision's once edited
    since it was sent."""
    return pdf_names(report.id, report.value_report, report.revised)


def paper(locale: str) -> str:
    """US Letter where it is the custom, A4 elsewhere."""
    return "us-letter" if Locale.parse(locale).territory in LETTER_TERRITORIES else "a4"


def build_dates(files: Iterable[Path]) -> dict[Path, date]:
    """The date printed on each PDF: ``SOURCE_DATE_EPOCH``, else the file's last commit, else its modification time."""
    files = list(files)
    if day := source_date():
        return {f: day for f in files}
    dates: dict[Path, date] = {}
    for folder in {f.resolve().parent for f in files}:
        for name, stamp in last_changes(folder, "%ct").items():
            dates[folder / name] = datetime.fromtimestamp(int(stamp), UTC).date()
    return {f: dates.get(f.resolve(), datetime.fromtimestamp(f.stat().st_mtime, UTC).date()) for f in files}


def jobs(report: Analysed, renderer: Renderer, built: date, paper_size: str | None = None) -> list[Job]:
    """The Executive Summary (with its chart, set in the PDF's own font) and the Handoff checklist of a valid deal, the
    Value Report of a won deal whose promise could be read, and the summary of a revision (marked DRAFT, never sent).

    The Executive Summary is the customer's: once sent, the version sent, dated by the commit that made it — the PDF the
    CFO received, byte for byte, whatever is edited later."""
    deal, review = report.deal, report.review
    document = _Document(renderer, paper_size)
    words = renderer.formatter(deal, customer=True).t  # the customer's documents are in the customer's language
    if report.sent:  # what was sent, as it was sent: never marked, whatever today's gate or settings say of it
        made = [document.summary(report.sent.report, pdf_name(report.id, "summary"), report.sent.day)]
    elif deal.sent:  # the version sent cannot be read (DB118): this is not what the CFO received, and says so
        made = [document.summary(report, pdf_name(report.id, "summary"), built, words.gettext("DRAFT — version sent not found"))]
    else:
        gate = words.gettext("DRAFT — internal review pending") if review.gate == "open" else None
        made = [document.summary(report, pdf_name(report.id, "summary"), built, gate)]
    if report.revised and deal.sent:
        day = renderer.formatter(deal, customer=True).day(deal.sent.date)
        note = words.gettext("Revision of the version sent on %(date)s") % {"date": day}
        made.append(document.summary(report, pdf_name(report.id, "revision"), built, words.gettext("DRAFT — revision, not sent"), note))
    handoff = renderer.handoff(report)
    made.append(
        Job(
            pdf_name(report.id, "handoff"),
            handoff,
            escape(deal.customer),
            escape(f"Handoff checklist: {deal.title}"),
            document.variables(report, "Handoff checklist", False, built, internal="true"),
            None,
            False,
            _shown_texts(report, handoff + escape(deal.customer) + escape(deal.title)),
        )
    )
    if report.progress:
        crowded = len(report.progress.drivers) > VALUE_ROWS
        value = renderer.value(report, CHART, "totals" if crowded else "all")
        unconfirmed = {"draft": words.gettext("DRAFT — figures not yet confirmed")} if report.progress.unconfirmed else {}
        made.append(
            Job(
                pdf_name(report.id, "value"),
                value,
                escape(deal.customer),
                escape(words.gettext("Value Report: %(title)s") % {"title": deal.title}),
                document.variables(report, N_("Value Report"), True, built, **unconfirmed),
                renderer.value_chart(report, font=fonts.TEXT).encode() if report.progress.periods else None,
                True,
                _shown_texts(report, value + escape(deal.customer) + escape(deal.title)),
                fallback="" if crowded else renderer.value(report, CHART, "drivers"),
            )
        )
    return made


@dataclass(frozen=True)
class _Document:
    """What every PDF of a build shares: the renderer and the paper."""

    renderer: Renderer
    paper_size: str | None

    def variables(self, report: Analysed, kind: str, customer: bool, built: date, **extra: str) -> tuple[tuple[str, str], ...]:
        """The template's variables: the footer (the deal file's hash, the date), the paper, the fonts, the language."""
        deal = report.deal
        t = self.renderer.formatter(deal, customer=customer).t
        shared = {
            "deal-id": report.id,
            "built": built.isoformat(),
            "digest": report.digest[:12],
            "paper": self.paper_size or paper(deal.locale),
            "fonts": fonts.families(deal.locale),
            "year": str(built.year),
            "month": str(built.month),
            "day": str(built.day),
            "built-label": t.gettext("built"),
            "file-label": t.gettext("deal file"),
            "page-label": t.gettext("page"),
            "kind": t.gettext(kind),
            "lang": language_of(deal) if customer else SOURCE,
            "region": (Locale.parse(deal.locale).territory or "").lower() if customer else "",  # pt-BR, pt-PT: Typst's rules
        }
        return tuple(sorted({**shared, **extra}.items()))

    def summary(self, report: Analysed, name: str, built: date, draft: str | None = None, note: str | None = None) -> Job:
        """An Executive Summary, marked ``draft`` across the page if it is one (a revision: with its ``note``)."""
        deal = report.deal
        words = self.renderer.formatter(deal, customer=True).t
        marks = {"draft": draft} if draft else {}
        marks |= {"draft-note": note} if note else {}
        summary = self.renderer.summary(report, CHART)
        return Job(
            name,
            summary,
            escape(deal.customer),
            escape(words.gettext("Executive Summary: %(title)s") % {"title": deal.title}),
            self.variables(report, N_("Executive Summary"), True, built, **marks, **{"key-figures": "true"}),
            self.renderer.chart(report, font=fonts.TEXT).encode(),  # one font, the document's: Typst sets SVG text faster than a list
            True,
            _shown_texts(report, summary + escape(deal.customer) + escape(deal.title)),
            _crowded(deal),
        )


def _crowded(deal: Deal) -> str:
    """What a summary lists too many of to fit a page whatever their wording, if anything."""
    lists = [(len(deal.value), "value drivers"), (len(deal.poc.results), "POC results")]
    return " and ".join(f"{count:,} {name}" for count, name in lists if count > CROWDED)


def _shown_texts(report: Analysed, document: str) -> tuple[tuple[str, str], ...]:
    """The deal's texts a document shows, by key: to name the one to shorten, or the one holding an unprintable character."""
    texts = _texts(report.deal.model_dump(), ())
    return tuple((dotted(path), text) for path, text in texts if escape(text) in document)


def _texts(data: Any, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _texts(value, (*path, key))
    elif isinstance(data, list | tuple):
        for index, value in enumerate(data):
            yield from _texts(value, (*path, index))


def export_reports(
    reports: Iterable[Report],
    renderer: Renderer,
    out: Path,
    paper_size: str | None = None,
    cache: Cache | None = None,
    timeout: float = 60.0,
) -> Outcome:
    """Both PDFs of every valid deal into ``out``, dated reproducibly.

    A deal whose inputs (its file, findings, chart, date, paper, templates, tools) are unchanged is answered
    from the cache's index without rendering anything; the others are rendered and exported.
    """
    cache, reports = cache or Cache(), list(reports)
    valid = [r for r in reports if isinstance(r, Analysed)]
    dates = build_dates(Path(r.file) for r in valid)
    tools, outcome, pending = tools_version(renderer), Outcome(), []
    for r in valid:
        sent = (r.sent.report.digest, r.sent.day, r.revised) if r.sent else None  # the summary is the version sent
        inputs = (tools, renderer.fingerprint, r.file, r.digest, r.review, r.progress, sent, dates[Path(r.file)], paper_size)
        entry = key(*inputs)
        if not _deliver(cache.get_json("pdf-index", entry), documents(r), cache, out, outcome):
            pending.append((entry, jobs(r, renderer, dates[Path(r.file)], paper_size)))
    export([job for _, todo in pending for job in todo], renderer, out, cache, timeout=timeout, outcome=outcome)
    _remove_stale(reports, out)
    for entry, todo in pending:
        if all(job.name in outcome.files for job in todo):
            cache.put_json("pdf-index", entry, {job.name: job.key(tools) for job in todo})
    outcome.damaged = list(cache.damaged)
    return outcome


def export_value_reports(
    reports: Iterable[Report], renderer: Renderer, out: Path, paper_size: str | None = None, cache: Cache | None = None
) -> Outcome:
    """Only the Value Reports of ``reports`` (``dealbrief pdf --value``), dated and cached as every PDF."""
    reports = list(reports)
    won = [r for r in reports if isinstance(r, Analysed) and r.value_report]
    dates = build_dates(Path(r.file) for r in won)
    todo = [job for r in won for job in jobs(r, renderer, dates[Path(r.file)], paper_size) if job.name == pdf_name(r.id, "value")]
    _remove_stale(reports, out)
    return export(todo, renderer, out, cache)


def _remove_stale(reports: Iterable[Report], out: Path) -> None:
    """No PDF from before stays in ``out`` for a deal that is invalid now (it would pass for the current one), nor a Value
    Report for a deal that has none now (its promise cannot be read)."""
    for report in reports:
        if bad_deal_id(report.id):  # a file name that is no deal id names no PDF
            continue
        names = pdf_names(report.id, True, True)  # the summary, the handoff, the Value Report, the revision
        stale = set(names) - (set(documents(report)) if isinstance(report, Analysed) else set())
        for name in stale:
            (out / name).unlink(missing_ok=True)


def _deliver(index: Any, names: tuple[str, ...], cache: Cache, out: Path, outcome: Outcome) -> bool:
    """Write a deal's PDFs from the cache, if its index names exactly them and each entry checks out."""
    if not (isinstance(index, dict) and sorted(index) == sorted(names) and all(isinstance(k, str) for k in index.values())):
        return False
    found = {name: cache.get("pdf", entry) for name, entry in index.items()}
    pdfs = {name: pdf for name, pdf in found.items() if pdf is not None}
    if len(pdfs) < len(found):
        return False
    for name, pdf in pdfs.items():
        _write(out, name, pdf, outcome)
        outcome.reused.append(name)
    return True


def _write(out: Path, name: str, pdf: bytes, outcome: Outcome) -> None:
    write_atomically(out / name, pdf)
    outcome.files[name] = out / name


def tools_version(renderer: Renderer) -> str:
    """Everything besides the job that shapes a PDF: tool versions and our Typst template and converter."""
    return "|".join(
        [
            code_version(),
            version("typst"),
            version("pypandoc-binary"),
            fonts.versions(),
            renderer.asset("document.typ"),
            renderer.asset("export.lua"),
        ]
    )


def export(
    todo: list[Job],
    renderer: Renderer,
    out: Path,
    cache: Cache | None = None,
    workers: int | None = None,
    timeout: float = 60.0,
    outcome: Outcome | None = None,
) -> Outcome:
    """Make every PDF in ``todo`` into ``out`` (or take it from the cache); a failed one leaves no stale file there."""
    cache, outcome = cache or Cache(), outcome or Outcome()
    tools, pending = tools_version(renderer), []
    for job in todo:
        pdf = cache.get("pdf", job.key(tools))
        if pdf is None:
            pending.append(job)
        else:
            _write(out, job.name, pdf, outcome)
            outcome.reused.append(job.name)
    if pending:
        templates = {name: renderer.asset(name) for name in ("document.typ", "export.lua")}
        context = multiprocessing.get_context("spawn")  # a forked process deadlocks once typst is loaded
        scratch = cache.scratch()
        try:
            _in_pools(context, pending, templates, str(scratch), tools, cache, out, outcome, workers or os.cpu_count() or 1, timeout)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    for name in outcome.failed:
        (out / name).unlink(missing_ok=True)
    return outcome


def _in_pools(
    context: Any,
    pending: list[Job],
    templates: dict[str, str],
    scratch: str,
    tools: str,
    cache: Cache,
    out: Path,
    outcome: Outcome,
    workers: int,
    timeout: float,
) -> None:
    """Run ``pending`` in a pool; after a time-out the pool is torn down and the rest run in a new one."""
    while pending:
        with context.Pool(min(workers, len(pending)), initializer=start_worker, initargs=(templates, scratch, fonts.folders())) as pool:
            running = [(job, pool.apply_async(export_one, (job,))) for job in pending]
            pending = []
            for index, (job, result) in enumerate(running):
                try:  # the first document also waits for the workers to start
                    pdf, error = result.get(timeout + (STARTUP_GRACE if index == 0 else 0))
                except multiprocessing.TimeoutError:
                    outcome.failed[job.name] = f"stopped after {timeout:g} s"
                    pending = [j for j, r in running[index + 1 :]]  # the pool is torn down: start the rest again
                    pool.terminate()
                    break
                if error or pdf is None:
                    outcome.failed[job.name] = error or "no output"
                    continue
                cache.put("pdf", job.key(tools), pdf)
                _write(out, job.name, pdf, outcome)
                outcome.exported.append(job.name)
