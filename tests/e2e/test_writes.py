"""Writes that cannot half-happen: under a file-size limit (``ulimit -f``) every write fails, and each leaves the file it
would have replaced as it was, no temporary file beside it, and an error that names the file."""

from __future__ import annotations

import os
import resource
import subprocess
from datetime import date
from pathlib import Path

import yaml

from ..conftest import BIN, CLEAN, GIT_AUTHOR, ExactDumper, mutate

GATE_PASSED = {"handoff": {"meeting": date(2026, 8, 16)}}


def limited(size: int) -> None:
    """``ulimit -f``: no file may grow past ``size`` bytes (the shell's limit, set in the child before it runs)."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


def dealbrief(folder: Path, *args: str, limit: int | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "dealbrief"), *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=(lambda: limited(limit)) if limit is not None else None,
    )


def repository(folder: Path, text: str) -> Path:
    (folder / "deals").mkdir()
    path = folder / "deals" / "acme.yaml"
    path.write_bytes(text.encode())
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "deal"]):
        subprocess.run(["git", *command], cwd=folder, check=True, env={**os.environ, **GIT_AUTHOR})
    return path


def deal_text() -> str:
    return yaml.dump(mutate(CLEAN, GATE_PASSED), Dumper=ExactDumper, sort_keys=False)


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*.tmp") if ".git" not in p.parts]


def test_sent_leaves_the_file_untouched_when_its_write_fails(tmp_path: Path) -> None:
    path = repository(tmp_path, deal_text())
    before = path.read_bytes()
    done = dealbrief(tmp_path, "sent", "acme", "--date", "2026-08-20", limit=len(before) // 2)
    assert done.returncode == 2, done.stderr
    assert path.read_bytes() == before and not leftovers(tmp_path)
    assert f"{path.resolve()}: File too large" in done.stderr or "deals/acme.yaml: File too large" in done.stderr, done.stderr


def test_sent_keeps_each_lines_own_ending(tmp_path: Path) -> None:
    """A file with LF and CRLF lines (as some editors leave it): every line keeps its ending, the new line takes the
    ending of the `stage:` line it follows."""
    lines = deal_text().split("\n")
    mixed = "".join(f"{line}\r\n" if index % 2 else f"{line}\n" for index, line in enumerate(lines[:-1]))
    stage_ending = "\r\n" if lines.index("stage: technical-win") % 2 else "\n"
    path = repository(tmp_path, mixed)
    assert dealbrief(tmp_path, "sent", "acme", "--date", "2026-08-20").returncode == 0
    written = path.read_bytes().decode()
    sent_line = next(line for line in written.splitlines(keepends=True) if line.startswith("sent:"))
    assert sent_line.endswith(stage_ending) and f"stage: summary-sent{stage_ending}{sent_line}" in written
    assert written.replace(sent_line, "").replace("stage: summary-sent", "stage: technical-win") == mixed


def test_export_and_the_pdf_cache_leave_no_temporary_file_when_a_write_fails(tmp_path: Path) -> None:
    repository(tmp_path, deal_text())
    done = dealbrief(tmp_path, "export", "--out", "deals.csv", limit=100)
    assert done.returncode == 2 and "deals.csv: File too large" in done.stderr, done.stderr
    assert not (tmp_path / "deals.csv").exists() and not leftovers(tmp_path)
    done = dealbrief(tmp_path, "pdf", "acme", limit=4096)  # the PDFs and the cache's entries are larger than 4 KiB
    assert done.returncode != 0 and "File too large" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and not leftovers(tmp_path)
