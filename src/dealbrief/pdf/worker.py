"""What runs inside a PDF worker process, kept apart so a spawned worker imports little.

A worker holds one long-lived ``pandoc lua`` converter and one Typst compiler; each
job is written into the worker's private root, converted, compiled and checked.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..artifacts import CHART
from .chart import IMAGE, typst_chart

DRAWING = "cashflow.typ"  # the chart as Typst draws it (see dealbrief.pdf.chart); document.typ shows it for the image


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
    texts: tuple[tuple[str, str], ...] = ()  # the deal's texts it shows, by key: to name one in a message
    crowded: str = ""  # what the summary lists too many of (e.g. "40 value drivers"), if anything
    fallback: str = ""  # the Markdown to make instead when ``markdown`` runs past its one page, if any

    def key(self, tools: str) -> str:
        digest = hashlib.sha256(tools.encode())
        for part in (self.name, self.markdown, self.title, self.subtitle, repr(self.variables), str(self.one_page), self.fallback):
            digest.update(b"\0" + part.encode())
        digest.update(b"\0" + (self.chart or b""))
        return digest.hexdigest()


_worker: dict[str, Any] = {}


def start_worker(templates: dict[str, str], scratch: str, font_folders: tuple[str, ...] = ()) -> None:
    """Start this worker's converter and compiler in a private folder under ``scratch`` (removed by the parent).

    A worker that cannot start says why on every job, rather than dying (a pool would restart it forever).
    """
    try:
        _start(templates, scratch, font_folders)
    except Exception as exc:
        _worker["error"] = f"the PDF worker could not start: {type(exc).__name__}: {exc}"


def _start(templates: dict[str, str], scratch: str, font_folders: tuple[str, ...]) -> None:
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
        env={**os.environ, "TMPDIR": str(work), "TMP": str(work), "TEMP": str(work)},  # its own temp files stay here too
    )
    fonts = typst.Fonts(include_system_fonts=False, font_paths=list(font_folders))
    _worker.update(work=work, pandoc=pandoc, typst=typst.Compiler(root=str(work / "root"), font_paths=fonts, ignore_system_fonts=True))


def export_one(job: Job) -> tuple[bytes | None, str | None]:
    """The PDF of ``job``, or why it could not be made."""
    if "error" in _worker:
        return None, _worker["error"]
    pdf, error = _made(job)
    if pdf is not None and job.fallback and check_pages(job, pdf):  # past its page: the version that leaves detail out
        job = replace(job, markdown=job.fallback, fallback="")
        pdf, error = _made(job)
    if error or pdf is None:
        return None, error
    problem = check_pages(job, pdf) or check_glyphs(job, pdf)
    return (None, problem) if problem else (pdf, None)


def _made(job: Job) -> tuple[bytes | None, str | None]:
    source, error = convert(job)
    return (None, error) if error else compile_pdf(job, source)


def convert(job: Job) -> tuple[Path, str | None]:
    """pandoc: the job's Markdown into ``main.typ`` in the worker's root, beside its chart."""
    work: Path = _worker["work"]
    root = work / "root"
    for stale in root.iterdir():
        stale.unlink()
    (work / "in.md").write_text(job.markdown, encoding="utf-8")
    if job.chart:
        (root / CHART).write_bytes(job.chart)
        (root / IMAGE).write_bytes(job.chart)
        (root / DRAWING).write_text(typst_chart(job.chart), encoding="utf-8")
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


def check_glyphs(job: Job, pdf: bytes) -> str | None:
    """Why the PDF will not do if a character in it has no glyph in any font (a box would print): naming the characters."""
    if not blank_glyphs(pdf):
        return None
    missing = [c for c in sorted(set(job.markdown + job.title + job.subtitle)) if ord(c) > 0x7E and not c.isspace() and _blank(c, job)]
    shown = ", ".join(f"{c} (U+{ord(c):04X})" for c in missing[:8]) or "some characters"
    where = ", ".join(sorted({key for key, text in job.texts for c in missing if c in text}))
    return f"no font has {shown}{f' (in {where})' if where else ''}: remove it from the deal, or write it out"


def _blank(character: str, job: Job) -> bool:
    """Does ``character`` alone print as a box, in the job's fonts?"""
    root = _worker["work"] / "root"
    source = f"#set text(font: ({dict(job.variables)['fonts']}))\n#str.from-unicode({ord(character)})\n"
    (root / "main.typ").write_text(source, encoding="utf-8")
    return blank_glyphs(_worker["typst"].compile(input=str(root / "main.typ"), format="pdf")) > 0


# Two NUL bytes in a row in a page's text, however written (``\000``, ``\0``, raw), or four zero digits in a hex string:
# glyph 0 shows nowhere without one of these, so a page without them needs no closer look.
NUL_PAIR = re.compile(rb"(?:\\(?:000|00(?![0-7])|0(?![0-7]))|\x00){2}")
HEX_STRING = re.compile(rb"<([0-9A-Fa-f\s]+)>")


def blank_glyphs(pdf: bytes) -> int:
    """How many glyphs the PDF shows as .notdef (glyph 0 of a composite font: the box a missing character prints as).

    Reading every text operator of a page costs more than making the PDF; a quick look at the raw page content rules
    out nearly every PDF first, and only one that might show glyph 0 is read operator by operator.
    """
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(pdf)).pages
    if not any(_may_show_glyph_zero(page) for page in pages):
        return 0
    blank = 0
    for page in pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        composite = {name for name, font in fonts.items() if font.get_object().get("/Subtype") == "/Type0"}
        contents, current = page.get_contents(), None
        for operands, operator in contents.operations if contents is not None else ():  # an empty stream is falsy
            if operator == b"Tf":
                current = operands[0]
            elif operator in (b"Tj", b"TJ") and current in composite:
                for text in operands if operator == b"Tj" else operands[0]:
                    codes = getattr(text, "original_bytes", None)
                    if codes:
                        blank += sum(1 for i in range(0, len(codes) - 1, 2) if codes[i] == 0 and codes[i + 1] == 0)
    return blank


def _may_show_glyph_zero(page: Any) -> bool:
    contents = page.get_contents()
    data = contents.get_data() if contents is not None else b""
    if NUL_PAIR.search(data):
        return True
    return any(
        "0000" in [h[i : i + 4] for i in range(0, len(h) - 3, 4)]
        for h in (re.sub(rb"\s", b"", m).decode() for m in HEX_STRING.findall(data))
    )


def check_pages(job: Job, pdf: bytes) -> str | None:
    """Why the PDF will not do, if it will not: the customer's documents (summary, Value Report) must fit on one page."""
    if not job.one_page:
        return None
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    if pages == 1:
        return None
    kind = dict(job.variables)["kind"]
    if job.crowded:
        return f"the {kind} runs to {pages} pages; it must fit on one. It lists {job.crowded}: keep the few that matter"
    key, text = max(job.texts, key=lambda item: len(item[1]), default=("the document", ""))
    return f"the {kind} runs to {pages} pages; it must fit on one. Shorten {key} ({len(text):,} characters), the longest text on it"
