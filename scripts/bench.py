"""The benchmark harness: N synthetic deals, every stage of the build, and the references, side by side.

    .venv/bin/python scripts/bench.py --deals 10 100 1000 [--seed 7] [--repeat 3] [--markdown docs/benchmarks.md]

For each N it generates N varied deals (scripts/synth.py) into a fresh repository and measures, each
as a user runs it (a subprocess, wall time, peak memory of the largest process); every step is the
fastest of --repeat runs (a cold build each time from nothing: no cache, no site), as timeit does:

  check          dealbrief check of all deals
  cold build     mkdocs build: site + PDFs, no cache
  warm build     the same again, nothing changed
  edit one deal  one deal's price changed, rebuild (PDFs exported counted from the log)
  plain mkdocs   reference: the same pages pre-rendered as Markdown files, plain mkdocs build over its own
                 previous site (as our rebuilds are), same theme and extensions; its first build (into an
                 empty folder) in brackets
  naive PDFs     reference: one pypandoc call and one typst.compile per Executive Summary, sequential
  dealbrief PDFs the same summaries through dealbrief's export, empty cache
  chart          drawing one chart from the template, in one process (the matplotlib chart it replaced: 22 ms)
  preview        dealbrief preview of one deal: seconds from saving an edit (a new price) to the edited page
                 being served with it, read from the server (best of --repeat edits; its PDFs are made by then)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))

from bench_pdf import naive  # noqa: E402
from synth import generate  # noqa: E402

MEASURE = (
    "import resource, subprocess, sys, time; start = time.perf_counter(); "
    "done = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
    "print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.returncode); "
    "sys.stderr.write(done.stderr + done.stdout)"
)


def measure(cwd: Path, *command: str) -> tuple[float, float, str]:
    """Wall seconds, peak MiB of the largest process, and the command's output."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], cwd=cwd, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    )
    seconds, kib, code = done.stdout.split()
    if code not in ("0", "1"):
        raise SystemExit(f"{' '.join(command)} failed ({code}):\n{done.stderr[-2000:]}")
    return float(seconds), int(kib) / 1024, done.stderr


def repository(folder: Path, count: int, seed: int) -> Path:
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(ROOT / "web", folder / "web")
    generate(folder / "deals", count, seed)
    return folder


def plain_reference(repo: Path) -> Path:
    """The same pages, pre-rendered as Markdown files, in a plain MkDocs project with the same theme and extensions."""
    os.chdir(repo)
    from dealbrief.engine.config import Config
    from dealbrief.engine.pipeline import analyse_all
    from dealbrief.output.pages import CHART, deal_folder, site_files
    from dealbrief.output.render import Renderer

    plain = repo / "plain"
    shutil.copytree(repo / "web", plain / "web")
    reports = analyse_all([repo / "deals"], Config())
    drawn = Renderer().charts(reports)
    charts = {deal_folder(r.id) + CHART: drawn[r.id] for r in reports if r.id in drawn}
    for path, content in {**site_files(reports, Renderer()), **charts}.items():
        target = plain / "web" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode())
    config = (ROOT / "mkdocs.yml").read_text().replace("  - dealbrief\n", "")
    config += "extra_css: [assets/dealbrief.css]\n"
    (plain / "mkdocs.yml").write_text(config)
    return plain


def pdf_references(repo: Path) -> tuple[float, float, int]:
    from dealbrief.content_cache import Cache
    from dealbrief.engine.config import Config
    from dealbrief.engine.pipeline import analyse_all
    from dealbrief.output.render import Renderer
    from dealbrief.pdf.export import export, jobs

    renderer = Renderer()
    reports = [r for r in analyse_all([repo / "deals"], Config()) if r.valid]
    summaries = [j for r in reports for j in jobs(r, renderer, date(2026, 11, 27)) if not j.name.endswith("-handoff.pdf")]
    work = repo / "naive"
    work.mkdir()
    start = time.perf_counter()
    naive(summaries, renderer, work)
    naive_seconds = time.perf_counter() - start
    start = time.perf_counter()
    outcome = export(summaries, renderer, repo / "pdf-out", Cache(repo / "pdf-cache"))
    return naive_seconds, time.perf_counter() - start, len(outcome.exported)


def exported(log: str) -> str:
    found = re.search(r"PDFs: (\d+) exported", log)
    return found.group(1) if found else "?"


def best(runs: list[tuple[float, float, str]]) -> tuple[float, float, str]:
    """The fastest of repeated runs (as timeit does: the others were slowed by something else), with the largest peak."""
    fastest = min(runs, key=lambda run: run[0])
    return fastest[0], max(run[1] for run in runs), fastest[2]


def bench(count: int, seed: int, references: bool = True, repeat: int = 3) -> dict[str, object]:
    """Each step as a user runs it, best of ``repeat``; plain MkDocs rebuilds over its own site, as ours do."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = repository(Path(tmp), count, seed)
        rows: dict[str, object] = {"deals": count}
        rows["check"] = best([measure(repo, str(BIN / "dealbrief"), "check", "deals") for _ in range(repeat)])[:2]
        colds = []
        for _ in range(repeat):  # each from nothing: no cache, no site
            for made in (".cache", "site"):
                shutil.rmtree(repo / made, ignore_errors=True)
            colds.append(measure(repo, str(BIN / "mkdocs"), "build"))
        cold = best(colds)
        rows["cold build"], rows["cold pdfs"], rows["cold runs"] = cold[:2], exported(cold[2]), [run[0] for run in colds]
        warm = best([measure(repo, str(BIN / "mkdocs"), "build") for _ in range(repeat)])
        rows["warm build"], rows["warm pdfs"] = warm[:2], exported(warm[2])
        first, edits = repo / "deals" / "deal-00000.yaml", []
        for _ in range(repeat):  # a different price each time: every run is a real edit
            first.write_text(re.sub(r"subscription: (\d+)", lambda m: f"subscription: {int(m.group(1)) + 1000}", first.read_text()))
            edits.append(measure(repo, str(BIN / "mkdocs"), "build"))
        edit = best(edits)
        rows["edit one deal"], rows["edit pdfs"] = edit[:2], exported(edit[2])
        rows["preview"] = preview_latency(repo, repeat)
        rows["chart ms"] = chart_ms(repo)
        if not references:
            return rows
        plain = plain_reference(repo)
        rows["plain first"] = measure(plain, str(BIN / "mkdocs"), "build")[:2]  # into an empty folder
        rows["plain mkdocs"] = best([measure(plain, str(BIN / "mkdocs"), "build") for _ in range(repeat)])[:2]
        rows["naive pdfs"], rows["dealbrief pdfs"], rows["pdfs made"] = pdf_references(repo)
        os.chdir(ROOT)
    return rows


def chart_ms(repo: Path) -> float:
    """Milliseconds to draw one deal's chart from the template, in one process, after a warm-up (matplotlib took 22 ms)."""
    from dealbrief.engine.config import Config
    from dealbrief.engine.pipeline import analyse_all
    from dealbrief.output.render import Renderer

    renderer, reports = Renderer(), [r for r in analyse_all([repo / "deals"], Config()) if r.valid]
    renderer.charts(reports[:10])
    start = time.perf_counter()
    renderer.charts(reports)
    return (time.perf_counter() - start) / len(reports) * 1000


def preview_latency(repo: Path, repeat: int) -> float:
    """Save an edit to one deal while ``dealbrief preview`` serves it; the time until the server returns the edited page."""
    import urllib.request

    deal = repo / "deals" / "deal-00000.yaml"
    server = subprocess.Popen(
        [str(BIN / "dealbrief"), "preview", "deal-00000", "--port", "0"], cwd=repo, stdout=subprocess.PIPE, text=True, bufsize=1
    )
    try:
        address = re.search(r"http://127\.0\.0\.1:\d+/", server.stdout.readline()).group()  # type: ignore[union-attr]
        page, times = f"{address}deals/deal-00000/numbers/", []
        for _ in range(repeat):
            before = urllib.request.urlopen(page).read()
            deal.write_text(re.sub(r"subscription: (\d+)", lambda m: f"subscription: {int(m.group(1)) + 1000}", deal.read_text()))
            saved = time.perf_counter()
            while urllib.request.urlopen(page).read() == before:
                time.sleep(0.01)
            times.append(time.perf_counter() - saved)
            time.sleep(1)  # let the rebuild's PDFs finish before the next edit
        return min(times)
    finally:
        server.terminate()
        server.wait()


def table(results: list[dict[str, object]]) -> str:
    lines = [
        "| deals | check | cold build (site + PDFs) | warm build | edit one deal | plain mkdocs: rebuild (first build) "
        "| cold ÷ plain first | warm ÷ plain | edit ÷ plain | preview: save → served | chart (matplotlib: 22 ms) "
        "| naive PDF loop | dealbrief PDFs | PDF speed-up | peak memory | ms per deal, cold |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in results:
        cold, warm, edit, plain, check = r["cold build"], r["warm build"], r["edit one deal"], r["plain mkdocs"], r["check"]
        peak = max(v[1] for v in (cold, warm, edit, check))
        lines.append(
            f"| {r['deals']:,} | {check[0]:.2f} s | {cold[0]:.2f} s ({r['cold pdfs']} PDFs) | {warm[0]:.2f} s ({r['warm pdfs']} PDFs) "
            f"| {edit[0]:.2f} s ({r['edit pdfs']} PDFs) | {plain[0]:.2f} s ({r['plain first'][0]:.2f} s) "
            f"| {cold[0] / r['plain first'][0]:.2f}× | {warm[0] / plain[0]:.2f}× | {edit[0] / plain[0]:.2f}× "
            f"| {r['preview']:.2f} s | {r['chart ms']:.2f} ms "
            f"| {r['naive pdfs']:.2f} s | {r['dealbrief pdfs']:.2f} s | {r['naive pdfs'] / r['dealbrief pdfs']:.1f}× "
            f"| {peak:.0f} MiB | {cold[0] / r['deals'] * 1000:.1f} |"
        )
    return "\n".join(lines)


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
        platform.processor(),
    )
    memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    return f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, nargs="+", default=[10, 100])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--markdown", type=Path, help="also write the table into this Markdown file")
    parser.add_argument("--json", type=Path, help="also write the raw figures as JSON")
    parser.add_argument("--no-references", action="store_true", help="skip plain MkDocs and the naive PDF loop (for huge N)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each rebuild and of plain MkDocs; the fastest counts")
    args = parser.parse_args()
    results = []
    for count in args.deals:
        print(f"… {count} deals", file=sys.stderr)
        results.append(bench(count, args.seed, not args.no_references, args.repeat))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    if args.no_references:
        for r in results:
            print(
                f"{r['deals']:,} deals: check {r['check'][0]:.2f} s; cold {r['cold build'][0]:.1f} s ({r['cold pdfs']} PDFs, "
                f"peak {r['cold build'][1]:.0f} MiB); warm {r['warm build'][0]:.1f} s; edit one {r['edit one deal'][0]:.1f} s "
                f"({r['edit pdfs']} PDFs); preview {r['preview']:.2f} s from save to served"
            )
        return
    out = table(results)
    if len(results) > 1:
        by_count = {r["deals"]: r for r in results}
        small, large = (by_count[100], by_count[1000]) if {100, 1000} <= by_count.keys() else (results[-2], results[-1])
        ratio = (large["cold build"][0] / large["deals"]) / (small["cold build"][0] / small["deals"])
        out += f"\n\nPer-deal cold cost at {large['deals']:,} ÷ at {small['deals']:,}: {ratio:.2f}×"
    print(machine())
    print(out)
    if args.markdown:
        write_section(args.markdown, f"Measured on {machine()}, {date.today()}:\n\n{out}\n")


def write_section(path: Path, text: str) -> None:
    """Put ``text`` between the file's ``<!-- bench -->`` and ``<!-- /bench -->`` lines, keeping the rest; else write the file."""
    start, end = "<!-- bench -->\n", "<!-- /bench -->"
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    if start in old and end in old:
        head, rest = old.split(start, 1)
        path.write_text(head + start + text + end + rest.split(end, 1)[1], encoding="utf-8")
    else:
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
