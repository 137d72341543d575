"""The package reads as the pipeline, and its imports flow one way: leaf utilities → deal → engine → output → pdf → the
adapters (the command line, the MkDocs plugin, the preview, the background, sending). A module never imports one of a
later stage, at its top or inside a function; and the modules' top-level imports form no cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from ..conftest import ROOT

PACKAGE = ROOT / "src" / "dealbrief"
LEAVES = {"__init__", "errors", "text", "clock", "fmt", "i18n", "content_cache", "artifacts", "git", "writing", "registry"}
STAGES = {"deal": 1, "engine": 2, "output": 3, "pdf": 4}
ADAPTER = 5


def stage(module: str) -> int:
    first = module.split(".")[1] if "." in module else "__init__"
    return 0 if first in LEAVES or first.startswith("__") else STAGES.get(first, ADAPTER)


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(module: str, path: Path) -> list[tuple[str, int, bool]]:
    """The dealbrief modules ``module`` imports: (target, line, at the top level)."""
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            names = [".".join(base + [node.module])] if node.module else [".".join([*base, alias.name]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom | ast.Import):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [alias.name for alias in node.names]
        else:
            continue
        found += [(name, node.lineno, id(node) in top) for name in names if name.startswith("dealbrief")]
    return found


ALL = modules()


@pytest.mark.parametrize("module", sorted(ALL))
def test_imports_flow_one_way(module: str) -> None:
    against = [f"{target} (line {line})" for target, line, _ in imports(module, ALL[module]) if stage(target) > stage(module)]
    assert against == [], f"{module} imports a later stage: {against}"


def test_no_cycle_among_the_modules() -> None:
    graph = {m: {t for t, _, top in imports(m, p) if top and t in ALL and t != m} for m, p in ALL.items()}
    seen: dict[str, str] = {}

    def visit(module: str, trail: list[str]) -> None:
        seen[module] = "open"
        for target in sorted(graph[module]):
            assert seen.get(target) != "open", f"import cycle: {' → '.join([*trail, module, target])}"
            if target not in seen:
                visit(target, [*trail, module])
        seen[module] = "done"

    for module in sorted(graph):
        if module not in seen:
            visit(module, [])


def test_a_later_import_is_found() -> None:
    """The check itself: an engine module importing the output stage would be refused."""
    assert stage("dealbrief.output.render") > stage("dealbrief.engine.pipeline") > stage("dealbrief.deal.model") > stage("dealbrief.fmt")
    assert stage("dealbrief.cli") == ADAPTER and stage("dealbrief.git") == 0
