"""The escape hatch: ProperDocs (the maintained MkDocs 1.x fork) builds the same site with the plugin unchanged."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from ..conftest import BIN, ROOT, make_repo

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def built(repo: Path, engine: str, *options: str) -> dict[str, bytes]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([str(BIN / engine), "build", "--strict", *options], cwd=repo, capture_output=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr.decode()
    return {
        str(p.relative_to(repo / "site")): GENERATOR.sub(b"", p.read_bytes()) for p in sorted((repo / "site").rglob("*")) if p.is_file()
    }


def test_properdocs_builds_the_same_site(tmp_path: Path) -> None:
    deals = sorted((ROOT / "deals").glob("*.yaml"))
    for engine in ("mkdocs", "properdocs"):
        (tmp_path / engine).mkdir()
    mkdocs = built(make_repo(tmp_path / "mkdocs", *deals), "mkdocs")
    properdocs = built(make_repo(tmp_path / "properdocs", *deals), "properdocs", "-f", "mkdocs.yml")
    assert properdocs.keys() == mkdocs.keys() and len(mkdocs) > 20
    assert [name for name in mkdocs if properdocs[name] != mkdocs[name]] == []  # every page, chart and PDF, byte for byte
