"""What runs inside a PDF worker process, kept apart so a spawned worker imports little.

A worker holds one long-lived ``pandoc lua`` converter and one Typst compiler; each
job is written into the worker's private root, converted, compiled and checked.
"""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

CHART = "cashflow.svg"


@dataclass(frozen=True)
class Job:
    """One PDF to make, with every input that decides its bytes."""

    name: str  # the file name: <id>.pdf or <id>-handoff.pdf
    markdown: str
    title: str  # escaped Markdown
    subtitle: str
    variables: tuple[tuple[str, str], ...]
    chart: bytes | None
    one_page: bool
    sections: tuple[tuple[str, int], ...] = ()  # (heading, length) to name the one that overflows

    def key(self, tools: str) -> str:
        digest = hashlib.sha256(tools.encode())
        for part in (self.name, self.markdown, self.title, self.subtitle, repr(self.variables), str(self.one_page)):
            digest.update(b"\0" + part.encode())
        digest.update(b"\0" + (self.chart or b""))
        return digest.hexdigest()


_worker: dict[str, Any] = {}


def start_worker(templates: dict[str, str], scratch: str) -> None:
    """Start this worker's converter and compiler in a private folder under ``scratch`` (removed by the parent).

    A worker that cannot start says why on every job, rather than dying (a pool would restart it forever).
    """
    try:
        _start(templates, scratch)
    except Exception as exc:
        _worker["error"] = f"the PDF worker could not start: {type(exc).__name__}: {exc}"


def _start(templates: dict[str, str], scratch: str) -> None:
    import pypandoc
    import typst

    work = Path(tempfile.mkdtemp(dir=scratch))
    (work / "root").mkdir()
    for name, source in templates.items():
        (work / name).write_text(source, encoding="utf-8")
    pandoc = subprocess.Popen(
        [pypandoc.get_pandoc_path(), "lua", str(work / "export.lua")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    _worker.update(work=work, pandoc=pandoc, typst=typst.Compiler(root=str(work / "root"), ignore_system_fonts=True))


def export_one(job: Job) -> tuple[bytes | None, str | None]:
    """The PDF of ``job``, or why it could not be made."""
    if "error" in _worker:
        return None, _worker["error"]
    source, error = convert(job)
    if error:
        return None, error
    pdf, error = compile_pdf(job, source)
    if error or pdf is None:
        return None, error
    problem = check_pages(job, pdf)
    return (None, problem) if problem else (pdf, None)


def convert(job: Job) -> tuple[Path, str | None]:
    """pandoc: the job's Markdown into ``main.typ`` in the worker's root, beside its chart."""
    work: Path = _worker["work"]
    root = work / "root"
    for stale in root.iterdir():
        stale.unlink()
    (work / "in.md").write_text(job.markdown, encoding="utf-8")
    if job.chart:
        (root / CHART).write_bytes(job.chart)
    request = {
        "markdown": str(work / "in.md"),
        "output": str(root / "main.typ"),
        "template": str(work / "document.typ"),
        "title": job.title,
        "subtitle": job.subtitle,
        "variables": dict(job.variables),
    }
    pandoc = _worker["pandoc"]
    pandoc.stdin.write(json.dumps(request) + "\n")
    pandoc.stdin.flush()
    answer = pandoc.stdout.readline().strip()
    return root / "main.typ", None if answer == "ok" else f"pandoc: {answer or 'exited'}"


def compile_pdf(job: Job, source: Path) -> tuple[bytes | None, str | None]:
    """Typst: ``main.typ`` into PDF bytes, stamped with the job's date."""
    variables = dict(job.variables)
    stamp = datetime(int(variables["year"]), int(variables["month"]), int(variables["day"]), tzinfo=UTC).timestamp()
    try:
        return _worker["typst"].compile(input=str(source), format="pdf", timestamp=int(stamp)), None
    except Exception as exc:
        return None, f"typst: {exc}"


def check_pages(job: Job, pdf: bytes) -> str | None:
    """Why the PDF will not do, if it will not: only the summary must fit on one page."""
    if not job.one_page:
        return None
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    if pages == 1:
        return None
    longest = max(job.sections, key=lambda s: s[1])[0] if job.sections else "the summary"
    return f"the Executive Summary runs to {pages} pages; it must fit on one. Shorten '{longest}', its longest section"
