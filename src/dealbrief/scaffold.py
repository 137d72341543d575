"""``dealbrief init``: a new deal repository for a team that installs dealbrief as a package.

The files live in ``dealbrief/repo-template/`` (dot-files without their dot, so they ship in
the wheel); ``mkdocs.yml``, ``web/`` and the example deal are this repository's own,
kept identical by a test.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from . import __version__
from .errors import DealbriefError

DOTTED = {"gitignore": ".gitignore", "pre-commit-config.yaml": ".pre-commit-config.yaml", "github": ".github"}
VERSIONED = {"requirements.txt", "pre-commit-config.yaml"}  # pin the dealbrief that made the repository


def _files(folder: Traversable, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Traversable]]:
    found = []
    for item in sorted(folder.iterdir(), key=lambda i: i.name):
        if item.is_dir():
            found += _files(item, (*prefix, item.name))
        elif not item.name.endswith((".pyc", ".py")):
            found.append(((*prefix, item.name), item))
    return found


def init(target: Path) -> list[Path]:
    """Write the scaffold into ``target``; refuse to overwrite anything."""
    plan = {
        target.joinpath(*(DOTTED.get(part, part) for part in parts)): item
        for parts, item in _files(resources.files(__package__).joinpath("repo-template"))
    }
    existing = sorted(str(p) for p in plan if p.exists())
    if existing:
        raise DealbriefError(f"{target} already has {', '.join(existing)}; choose an empty folder")
    for path, item in plan.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        text = item.read_text(encoding="utf-8")
        path.write_text(text.replace("$version", __version__) if item.name in VERSIONED else text, encoding="utf-8")
    return sorted(plan)
