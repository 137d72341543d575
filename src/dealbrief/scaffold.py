"""``dealbrief init``: a new deal repository for a team that installs dealbrief as a package.

The files live in ``dealbrief/repo-template/`` (dot-files without their dot, so they ship in
the wheel); ``mkdocs.yml``, ``web/`` and the example deal are this repository's own,
kept identical by a test.
"""

from __future__ import annotations

import re
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from string import Template

import yaml
from packaging.requirements import InvalidRequirement, Requirement

from . import __version__
from .errors import DealbriefError

DOTTED = {"gitignore": ".gitignore", "pre-commit-config.yaml": ".pre-commit-config.yaml", "github": ".github"}
VERSIONED = {"requirements.txt", "pre-commit-config.yaml", "README.md"}  # name the dealbrief that made the repository
EXAMPLE = "e.g. 'dealbrief[site] @ git+https://github.com/acme/dealbrief@v0.1.0'"


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
    requirement = default_requirement() if requirement is None else _checked(requirement)
    _refuse_a_file(target)
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
            text = Template(text).safe_substitute(requirement=requirement, yaml_requirement=_yaml_string(requirement), version=__version__)
        path.write_text(text, encoding="utf-8")
    return sorted(plan)


def _checked(requirement: str) -> str:
    """``requirement`` if pip can install it: a requirement (PEP 508, a URL too), or a wheel (a path that exists or an
    http(s) URL, extras such as ``[site]`` allowed); anything else would only fail later, in CI or at the first commit."""
    if not requirement.strip() or re.search(r"[\r\n]", requirement):
        raise DealbriefError(f"--requirement takes one pip requirement on one line, {EXAMPLE}")
    try:
        Requirement(requirement)
        return requirement
    except InvalidRequirement as exc:
        why = str(exc).split("\n", 1)[0]
    wheel = re.sub(r"\[[\w,\s.-]*\]$", "", requirement)
    if not wheel.endswith(".whl"):
        raise DealbriefError(f"--requirement '{requirement}' is not a pip requirement ({why}); {EXAMPLE}, or a wheel's path")
    if not (Path(wheel).is_file() or re.fullmatch(r"https?://\S+", wheel)):
        raise DealbriefError(f"--requirement: no wheel at {wheel}; name an existing wheel file or its http(s) URL")
    return requirement


def _refuse_a_file(target: Path) -> None:
    """The folder to write into, or its nearest existing parent, must be a folder (not a file)."""
    existing = next(path for path in (target, *target.parents) if path.exists())
    if not existing.is_dir():
        raise DealbriefError(f"{existing} is a file: dealbrief init needs a new or empty folder")


def _yaml_string(text: str) -> str:
    """``text`` as one double-quoted YAML scalar: a ``#``, ``:`` or quote in a requirement stays part of it."""
    return yaml.safe_dump(text, default_style='"', width=float("inf"), allow_unicode=True).rstrip("\n")
