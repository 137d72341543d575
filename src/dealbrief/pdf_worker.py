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
    if "error" in _worker:
        return None, _worker["error"]
    from pypdf import PdfReader

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
    if answer != "ok":
        return None, f"pandoc: {answer or 'exited'}"
    variables = dict(job.variables)
    stamp = datetime(int(variables["year"]), int(variables["month"]), int(variables["day"]), tzinfo=UTC).timestamp()
    try:
        pdf = _worker["typst"].compile(input=str(root / "main.typ"), format="pdf", timestamp=int(stamp))
    except Exception as exc:
        return None, f"typst: {exc}"
    pages = len(PdfReader(io.BytesIO(pdf)).pages) if job.one_page else 1  # only the summary must fit on one page
    if pages > 1:
        longest = max(job.sections, key=lambda s: s[1])[0] if job.sections else "the summary"
        return None, (f"the Executive Summary runs to {pages} pages; it must fit on one. Shorten '{longest}', its longest section")
    return pdf, None
