"""Benchmark the PDF export against the naive loop, side by side (a benchmark, not a test).

    .venv/bin/python scripts/bench_pdf.py [--deals 200] [--stages]

naive: one pypandoc call and one ``typst.compile`` per Executive Summary, sequential.
dealbrief cold: ``export`` with an empty cache (spawned workers, long-lived pandoc, reused compiler).
dealbrief warm: the same again, nothing changed (every PDF from the cache).
--stages: also each step's time per document (summaries and handoffs), in one worker run in this process.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_check import generate

from dealbrief.content_cache import Cache
from dealbrief.engine.config import Config
from dealbrief.engine.pipeline import analyse_all
from dealbrief.output.render import Renderer
from dealbrief.pdf import worker as pdf_worker
from dealbrief.pdf.chart import typst_chart
from dealbrief.pdf.export import CHART, export, jobs
from dealbrief.pdf.worker import DRAWING, Job

READER = (
    "markdown-raw_html-raw_tex-raw_attribute-citations-tex_math_dollars-tex_math_single_backslash"
    "-tex_math_double_backslash-latex_macros-native_divs-native_spans"
)


def naive(todo: list, renderer: Renderer, work: Path) -> None:
    import pypandoc
    import typst

    template = work / "document.typ"
    template.write_text(renderer.asset("document.typ"))
    for job in todo:
        root = work / job.name
        root.mkdir()
        (root / CHART).write_bytes(job.chart)
        (root / DRAWING).write_text(typst_chart(job.chart))  # the document draws the chart from this
        args = ["--template", str(template), "-M", f"title={job.title}", "-M", f"subtitle={job.subtitle}"]
        args += [f"-V{key}={value}" for key, value in job.variables]
        (root / "main.typ").write_text(pypandoc.convert_text(job.markdown, "typst", format=READER, extra_args=args))
        typst.compile(str(root / "main.typ"), root=str(root), format="pdf", ignore_system_fonts=True)


def stages(todo: list[Job], renderer: Renderer, scratch: Path) -> dict[str, float]:
    """Milliseconds per document for each step a worker takes: pandoc, Typst, the page count."""
    pdf_worker.start_worker({name: renderer.asset(name) for name in ("document.typ", "export.lua")}, str(scratch))
    pdf_worker.export_one(todo[0])  # warm up: the worker's first document also loads the fonts
    spent = dict.fromkeys(("pandoc", "Typst", "page count"), 0.0)
    for job in todo:
        started = time.perf_counter()
        source, _ = pdf_worker.convert(job)
        converted = time.perf_counter()
        pdf, _ = pdf_worker.compile_pdf(job, source)
        compiled = time.perf_counter()
        assert pdf and pdf_worker.check_pages(job, pdf) is None
        checked = time.perf_counter()
        for step, seconds in zip(spent, (converted - started, compiled - converted, checked - compiled), strict=True):
            spent[step] += seconds
    return {step: seconds / len(todo) * 1000 for step, seconds in spent.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--stages", action="store_true", help="also time each step per document")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "deals").mkdir()
        generate(work / "deals", args.deals, args.seed)
        renderer = Renderer()
        reports = [r for r in analyse_all([work / "deals"], Config()) if r.valid]
        summaries = [j for r in reports for j in jobs(r, renderer, date(2026, 11, 27)) if not j.name.endswith("-handoff.pdf")]
        (work / "naive").mkdir()
        rows = []
        start = time.perf_counter()
        naive(summaries, renderer, work / "naive")
        rows.append(("naive loop (pypandoc + typst.compile each)", time.perf_counter() - start, len(summaries)))
        for label in ("dealbrief cold (empty cache)", "dealbrief warm (nothing changed)"):
            start = time.perf_counter()
            outcome = export(summaries, renderer, work / "out", Cache(work / "cache"))
            rows.append((label, time.perf_counter() - start, len(outcome.exported)))
            assert not outcome.failed, outcome.failed
        if args.stages:
            every = [j for r in reports for j in jobs(r, renderer, date(2026, 11, 27))]
            (work / "stages").mkdir()
            per_document = stages(every, renderer, work / "stages")
    print(f"{len(summaries)} Executive Summary PDFs, {os.cpu_count()} cores")
    print(f"{'run':<44} {'wall (s)':>9} {'exported':>9} {'vs naive':>9}")
    for label, seconds, count in rows:
        print(f"{label:<44} {seconds:9.2f} {count:9d} {rows[0][1] / seconds:8.1f}×")
    if args.stages:
        print("per document in one worker (summaries and handoffs): " + ", ".join(f"{k} {v:.1f} ms" for k, v in per_document.items()))


if __name__ == "__main__":
    main()
