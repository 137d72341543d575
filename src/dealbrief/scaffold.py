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
VERSIONED = {"requirements.txt", "pre-commit-config.yaml", "README.md"}  # name the dealbrief that made the repository


def _files(folder: Traversable, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Traversable]]:
    found = []
    for item in sorted(folder.iterdir(), key=lambda i: i.name):
        if item.is_dir():
            found += _files(item, (*prefix, item.name))
        elif not item.name.endswith((".pyc", ".py")):
            found.append(((*prefix, item.name), item))
    return found


def default_requirement() -> str:
    """What a new repository installs: this dealbrief, from the package index."""
    return f"dealbrief[site]=={__version__}"


def init(target: Path, requirement: str | None = None) -> list[Path]:
    """Write the scaffold into ``target``, installing ``requirement`` (a pip requirement: the released version by default, or
    a git URL or a wheel until a release exists); refuse to overwrite anything."""
    requirement = requirement or default_requirement()
    if "\n" in requirement or "\r" in requirement or not requirement.strip():
        raise DealbriefError(
            "--requirement takes one pip requirement, e.g. 'dealbrief[site] @ git+https://github.com/acme/dealbrief@v0.1.0'"
        )
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
        if item.name in VERSIONED:
            text = text.replace("$requirement", requirement).replace("$version", __version__)
        path.write_text(text, encoding="utf-8")
    return sorted(plan)
