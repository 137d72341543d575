"""Cached pages, charts and PDFs are keyed by our code too, not only by the version number."""

from __future__ import annotations

import shutil
from pathlib import Path

from dealbrief.content_cache import code_digest, code_version
from dealbrief.output.render import Renderer

from ..conftest import ROOT


def test_any_change_to_our_code_or_templates_changes_the_digest(tmp_path: Path) -> None:
    package = shutil.copytree(ROOT / "src" / "dealbrief", tmp_path / "dealbrief", ignore=shutil.ignore_patterns("__pycache__"))
    before = code_digest(package)
    assert code_digest(package) == before  # the same code, the same digest
    for changed in ("fmt.py", "templates/summary.md.j2", "templates/document.typ", "skeleton.yaml"):
        path = package / changed
        original = path.read_bytes()
        path.write_bytes(original + b" ")
        assert code_digest(package) != before, changed
        path.write_bytes(original)
    (package / "__pycache__").mkdir(exist_ok=True)
    (package / "__pycache__" / "fmt.cpython-311.pyc").write_bytes(b"compiled")
    assert code_digest(package) == before  # compiled files are not our code


def test_pages_and_pdfs_are_keyed_by_the_code(monkeypatch) -> None:
    from dealbrief.output import render
    from dealbrief.pdf import export

    before = (Renderer().fingerprint, export.tools_version(Renderer()))
    for module in (render, export):
        monkeypatch.setattr(module, "code_version", lambda: "0.1.0+changed")
    after = (Renderer().fingerprint, export.tools_version(Renderer()))
    assert before[0] != after[0] and before[1] != after[1]
    assert code_version().startswith("0.1.0+")
