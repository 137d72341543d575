"""The pipeline every adapter calls: load → validate → compute → lint, one report per deal file.

One bad deal never hides the others: each file gets its own :class:`Report`,
with either its problems or its business case and review.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..deal.load import parse, read
from ..deal.model import Deal
from ..deal.validate import bad_deal_id, validate
from ..errors import DealbriefError, InvalidDeal, Problem
from .compute import Case, compute
from .config import Config
from .lint import Review, review, standard_questions

DEALS_DIR = Path("deals")


@dataclass(frozen=True)
class Report:
    """Everything known about one deal file."""

    id: str
    file: str
    problems: tuple[Problem, ...] = ()
    deal: Deal | None = None
    case: Case | None = None
    review: Review | None = None
    digest: str | None = None

    @property
    def valid(self) -> bool:
        return not self.problems


def display_name(path: Path) -> str:
    """The path as the user would type it: relative to the working directory when inside it.

    Never through a symbolic link: a link in deals/ is named as the link, not as the file it points to.
    """
    try:
        return str(Path(os.path.abspath(path)).relative_to(os.getcwd()))
    except ValueError:
        return str(path)


def discover(paths: Iterable[Path]) -> list[Path]:
    """The deal files named, or inside the folders named (``*.yaml``, sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(path.glob("*.yaml"))
        elif path.is_file():
            found.append(path)
        else:
            raise DealbriefError(f"{path}: no such file or folder")
    return found


def analyse(path: Path, config: Config) -> Report:
    """Load, validate, compute and lint one deal file."""
    file = display_name(path)
    try:
        raw = read(path, file)
    except InvalidDeal as exc:
        return Report(path.stem, file, tuple(exc.problems))
    return analyse_bytes(raw, file, config)


def analyse_bytes(raw: bytes, file: str, config: Config) -> Report:
    """Validate, compute and lint a deal file's content (read from disk, or from git by ``diff``)."""
    deal_id = Path(file).stem
    try:
        document = parse(raw, file)
        deal = validate(document, deal_id, standard_questions())
    except InvalidDeal as exc:
        return Report(deal_id, file, tuple(exc.problems))
    case = compute(deal)
    return Report(deal_id, file, deal=deal, case=case, review=review(document, deal, case, config), digest=document.digest)


Memo = dict[tuple[Path, tuple[int, ...], str], Report]


def analyse_all(paths: Iterable[Path], config: Config, memo: Memo | None = None) -> list[Report]:
    """A report per deal file, each file once even when named twice; a second file with a known id is refused.

    With a ``memo`` (kept by a long-running preview), a file whose size, time and inode are unchanged is not read again.
    """
    reports: list[Report] = []
    seen: set[Path] = set()
    ids: dict[str, str] = {}
    for path in discover(paths):
        if path.absolute() in seen:
            continue
        seen.add(path.absolute())
        report = analyse(path, config) if memo is None else _remembered(path, config, memo)
        if report.id in ids:
            message = f"another deal file already has the id '{report.id}' ({ids[report.id]}); ids must be unique"
            report = Report(report.id, report.file, (Problem(report.file, 1, 1, "", message),))
        ids.setdefault(report.id, report.file)
        reports.append(report)
    return reports


def _remembered(path: Path, config: Config, memo: Memo) -> Report:
    try:
        status = os.lstat(path)
    except OSError:
        return analyse(path, config)
    entry = (path.absolute(), (status.st_mtime_ns, status.st_size, status.st_ino, status.st_ctime_ns), repr(config))
    if entry not in memo:
        memo[entry] = analyse(path, config)
    return memo[entry]


def find_deal(deal_id: str) -> Path:
    """``deals/<id>.yaml``, or a :class:`DealbriefError` naming the deals that exist."""
    path = DEALS_DIR / f"{deal_id}.yaml"
    if bad_deal_id(deal_id) is None and path.is_file():
        return path
    known = ", ".join(p.stem for p in sorted(DEALS_DIR.glob("*.yaml"))) or "none"
    raise DealbriefError(f"no deal '{deal_id}' in {DEALS_DIR}/ (deals: {known})")
