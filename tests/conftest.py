"""Shared fixtures: a clean deal to mutate, and helpers that run the real pipeline on files."""

from __future__ import annotations

import copy
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from dealbrief.engine.config import Config
from dealbrief.engine.history import file_hash
from dealbrief.engine.pipeline import Report, analyse

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the console scripts of the environment running the tests
DEALBRIEF, MKDOCS = str(BIN / "dealbrief"), str(BIN / "mkdocs")

# CI=true hides values in messages (tested on its own, in test_hardening); every other test reads the full
# messages, so the suite runs as outside CI even under .ci/run — before any fixture builds a site.
IN_CI = os.environ.pop("CI", "").lower() == "true"  # CI runs the property and fuzz tests derandomized: no flaky runs
DELETE = object()

# A deal with no finding at all: each rule test changes one thing and sees its rule fire.
CLEAN: dict[str, Any] = {
    "dealbrief": 1,
    "customer": "Acme Freight",
    "title": "Incident analytics platform",
    "stage": "technical-win",
    "team": {"se": "Dana Reyes", "ae": "Sam Patel"},
    "stakeholders": {
        "champion": {"name": "Lee Chen", "title": "VP Platform"},
        "validator": {"name": "Priya Nair", "title": "Lead SRE"},
        "economic_buyer": {"name": "Morgan Blake", "title": "CFO", "engaged": True},
    },
    "baseline": {"period": "Q3 2026", "source": "Ticket export", "problem": "Outages take too long to fix."},
    "poc": {
        "start": date(2026, 8, 1),
        "end": date(2026, 8, 14),
        "scale": {"tested": 50, "planned": 400, "unit": "agents"},
        "technical_win": {"date": date(2026, 8, 15), "confirmed_by": "Priya Nair"},
        "results": [
            {"id": "rca-time", "metric": "Time to root cause", "unit": "hours", "before": 10, "after": 2, "target": 4},
        ],
    },
    "value": [
        {
            "id": "outage-cost",
            "name": "Shorter outages",
            "result": "rca-time",
            "volume": 20,
            "rate": 5000,
            "basis": "Finance estimate",
            "realization": 0.8,
        },
    ],
    "costs": {"subscription": 200000, "one_time": [{"name": "Services", "amount": 50000}]},
    "recommendation": "Proceed with the purchase.",
}


# --- builders: a deal repository, its site ----------------------------------------------------------------------------


def make_repo(folder: Path, *deals: Path) -> Path:
    """A deal repository: this repository's mkdocs.yml and web/, and the given deals."""
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(ROOT / "web", folder / "web")
    (folder / "deals").mkdir()
    for deal in deals:
        shutil.copy(deal, folder / "deals" / deal.name)
    return with_history(folder)


SENT_HASH = re.compile(r"^sent: .*file_hash: ([0-9a-f]+)", re.MULTILINE)


def sent_version(text: str) -> str:
    """The version of a won example deal that its CFO received: the same file before the signature — stage summary-sent,
    no sent:, signed: or realization: — as the example's sent: records it (the test below checks the hash)."""
    kept, inside = [], False
    for line in text.split("\n"):
        inside = line.startswith("realization:") or (inside and (line.startswith(" ") or not line))
        if not inside and not line.startswith(("sent:", "signed:", "realization:")):
            kept.append("stage: summary-sent" if line.startswith("stage:") else line)
    while kept and (not kept[-1] or kept[-1].startswith("#")):
        kept.pop()
    return "\n".join(kept) + "\n"


def with_history(folder: Path) -> Path:
    """When a copied deal records a sent version, make ``folder`` a git repository whose one commit holds that version (made
    by :func:`sent_version`, never read from this repository's history: a shallow clone runs the tests too), and put the
    deal as it is back in the working tree: the copy finds its promise as the original does, and the test commits the rest
    as it likes."""
    sent = {}
    for deal in sorted((folder / "deals").glob("*.yaml")):
        text = deal.read_text(encoding="utf-8")
        if found := SENT_HASH.search(text):
            sent[deal] = sent_version(text).encode()
            assert file_hash(sent[deal]).startswith(found.group(1)), f"{deal.name}: its sent: names no sent_version() of it"
    if not sent:
        return folder
    current = {deal: deal.read_bytes() for deal in sent}
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=folder, check=True)
    for deal, raw in sent.items():
        deal.write_bytes(raw)
    subprocess.run(["git", "add", "--", *map(str, sent)], cwd=folder, check=True)
    subprocess.run(["git", "commit", "-qm", "the versions sent"], cwd=folder, check=True, env={**os.environ, **GIT_AUTHOR})
    for deal, raw in current.items():
        deal.write_bytes(raw)
    return folder


GIT_AUTHOR = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_AUTHOR_DATE": "2026-09-21T00:00:00Z",
    "GIT_COMMITTER_DATE": "2026-09-21T00:00:00Z",
}


def build_site(repo: Path) -> Path:
    cwd = os.getcwd()
    os.chdir(repo)
    try:
        config = load_config(str(repo / "mkdocs.yml"))
        config.plugins.run_event("startup", command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.run_event("shutdown")
    finally:
        os.chdir(cwd)
    return repo / "site"


CHROMIUM = os.environ.get("DEALBRIEF_CHROMIUM", "/usr/bin/chromium")  # GitHub runners: google-chrome
ARTIFACTS = ROOT / "test-artifacts"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def mutate(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """``{"poc.scale.planned": 4000, "stakeholders.economic_buyer": DELETE}`` applied to a deep copy."""
    data = copy.deepcopy(base)
    for dotted, value in changes.items():
        *parents, last = dotted.split(".")
        node: Any = data
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
        key: Any = int(last) if isinstance(node, list) else last
        if value is DELETE:
            del node[key]
        elif isinstance(node, list) and key == len(node):
            node.append(copy.deepcopy(value))
        else:
            node[key] = copy.deepcopy(value)
    return data


class ExactDumper(yaml.SafeDumper):
    """Decimals written out in full, as a user types them; a value that repeats is written again (no alias)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


ExactDumper.add_representer(Decimal, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:float", format(value, "f")))


def write_deal(folder: Path, data: dict[str, Any] | str, deal_id: str = "acme") -> Path:
    path = folder / f"{deal_id}.yaml"
    path.write_text(data if isinstance(data, str) else yaml.dump(data, Dumper=ExactDumper, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Write a deal (a dict with changes applied to CLEAN, or YAML text) and run the pipeline on it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "deals").mkdir()

    def run(changes: dict[str, Any] | str | None = None, config: Config | None = None, deal_id: str = "acme") -> Report:
        data = changes if isinstance(changes, str) else mutate(CLEAN, changes or {})
        return analyse(write_deal(tmp_path / "deals", data, deal_id), config or Config())

    return run


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", help="rewrite tests/golden/ from the current output")


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


# --- example-file tests: tests/examples/<case>/ (see its README) --------------------------------------------------------

EXAMPLES = ROOT / "tests" / "examples"


def example_cases(kind: str) -> list[Path]:
    """The cases for ``kind``: ``"check"`` (every case) or ``"diff"`` (the cases with a ``before/`` folder)."""
    cases = sorted(p for p in EXAMPLES.iterdir() if p.is_dir())
    return [c for c in cases if (c / "before").is_dir()] if kind == "diff" else [c for c in cases if not (c / "before").is_dir()]


def example_repo(case: Path, folder: Path) -> Path:
    """A working copy of ``case``: its deals (or the repository's) and its settings."""
    shutil.copytree(case / "deals" if (case / "deals").is_dir() else ROOT / "deals", folder / "deals")
    if (case / "dealbrief.toml").is_file():
        shutil.copy(case / "dealbrief.toml", folder / "dealbrief.toml")
    return with_history(folder)


def transcript(command: str, code: int, out: str, err: str) -> str:
    return f"$ dealbrief {command}\n[exit {code}]\n--- stdout\n{out}--- stderr\n{err}"


def compare_golden(golden: Path, actual: str, update: bool) -> None:
    if update:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), f"{golden} is missing: run pytest --update-goldens, then review it"
    assert actual == golden.read_text(encoding="utf-8"), f"{golden} changed: review, then pytest --update-goldens"
