"""``dealbrief init``: a new deal repository for a team that installs dealbrief as a package.

The files live in ``dealbrief/repo-template/`` (dot-files without their dot, so they ship in
the wheel); ``mkdocs.yml``, ``web/`` and the example deal are this repository's own,
kept identical by a test.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from string import Template
from urllib.parse import urlsplit

import yaml
from packaging.requirements import InvalidRequirement, Requirement

from . import __version__
from .deal.model import json_schema
from .errors import DealbriefError
from .git import GitError, git
from .output.crm import PLACEHOLDER

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


@dataclass(frozen=True)
class Scaffold:
    """What ``init`` made: the files written, and the git repository it started (None inside an existing one)."""

    files: list[Path]
    commit: str | None  # the first commit's hash; None when the folder was already in a repository, or git refused
    git_note: str | None  # what to do about git: why there is no first commit, or what an existing repository means


def init(target: Path, requirement: str | None = None, site_url: str | None = None) -> Scaffold:
    """Write the scaffold into ``target``, installing ``requirement`` (a pip requirement: the released version by default, or
    a git URL or a wheel until a release exists); refuse to overwrite anything.  ``site_url`` is the site's address (a
    placeholder ``check`` reminds about until it is written).  A folder outside any git repository becomes one, with a
    first commit: ``sent``, ``diff`` and the promise read the history."""
    requirement = default_requirement() if requirement is None else _checked(requirement)
    address = PLACEHOLDER if site_url is None else _checked_url(site_url)
    _refuse_a_file(target)
    plan: dict[Path, str] = {
        target.joinpath(*(DOTTED.get(part, part) for part in parts)): _text(item, requirement)
        for parts, item in _files(resources.files(__package__).joinpath("repo-template"))
    }
    plan[target / "mkdocs.yml"] = _with_site_url(plan[target / "mkdocs.yml"], address)
    plan[target / "schema" / "deal.schema.json"] = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    existing = sorted(str(p) for p in plan if p.exists())
    if existing:
        raise DealbriefError(f"{target} already has {', '.join(existing)}; choose an empty folder")
    for path, text in plan.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    commit, note = _first_commit(target, sorted(plan))
    return Scaffold(sorted(plan), commit, note)


def _text(item: Traversable, requirement: str) -> str:
    text = item.read_text(encoding="utf-8")
    if item.name in VERSIONED:
        text = Template(text).safe_substitute(requirement=requirement, yaml_requirement=_yaml_string(requirement), version=__version__)
    return text


def _with_site_url(config: str, address: str) -> str:
    """``mkdocs.yml`` with its ``site_url``: the site's address, which the CRM export links each deal's summary to."""
    said = "" if address != PLACEHOLDER else "   # dealbrief init: write your site's address (dealbrief check reminds you)"
    return config.replace("\ndocs_dir:", f"\nsite_url: {_yaml_string(address)}{said}\ndocs_dir:", 1)


def _checked_url(url: str) -> str:
    """The site's address as MkDocs takes it: http(s), a host, a path — no query or fragment; ending in ``/``."""
    parts = urlsplit(url)
    if (
        parts.scheme.lower() not in ("http", "https")
        or not re.fullmatch(r"[\w.-]+\.[\w-]+(:[0-9]{1,5})?", parts.netloc)
        or parts.query
        or parts.fragment
    ):
        raise DealbriefError(f"--site-url takes the site's address, e.g. https://deals.acme.com/ (found '{url}')")
    return url if url.endswith("/") else url + "/"


def _first_commit(target: Path, files: list[Path]) -> tuple[str | None, str | None]:
    """Make ``target`` a git repository with a first commit of the files ``init`` wrote (nothing else the folder holds),
    unless it is inside a repository already."""
    try:
        top = git(target, "rev-parse", "--show-toplevel").decode().strip()
    except GitError:
        top = ""  # not a repository (or no git: said below)
    if top:
        inside = "" if Path(top).resolve() == target.resolve() else " (.github/ and .pre-commit-config.yaml work at its top)"
        return None, f"inside the git repository at {top}: nothing committed; commit the files when you are ready{inside}"
    manual = "commit the files yourself: git add -A && git commit -m 'A new deal repository'"
    try:
        git(target, "init", "--quiet", "--initial-branch=main")
        if not _identity(target):
            identity = 'git config --global user.name "Your Name"; git config --global user.email you@example.com'
            return None, f"git has no name and email here: set them ({identity}), then {manual}"
        git(target, "add", "--", *(str(path.relative_to(target)) for path in files))
        git(target, "commit", "--quiet", "--message", "A new deal repository (dealbrief init)")
        return git(target, "rev-parse", "HEAD").decode().strip(), None
    except GitError as exc:
        return None, f"no first commit ({str(exc).splitlines()[0]}); {manual}"


def _identity(folder: Path) -> bool:
    """Can git commit here: a name and an email, configured or in the environment?"""
    try:
        git(folder, "var", "GIT_COMMITTER_IDENT")
        git(folder, "var", "GIT_AUTHOR_IDENT")
        return True
    except GitError:
        return False


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
