"""The pipeline every adapter calls: load → validate → compute → lint, one report per deal file.

One bad deal never hides the others: each file gets its own :class:`Report`,
with either its problems or its business case and review.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..clock import today
from ..deal.load import parse, read
from ..deal.model import LIMIT, Deal
from ..deal.validate import bad_deal_id, validate
from ..errors import DealbriefError, InvalidDeal, Problem
from .compute import Case, compute
from .config import Config
from .history import History, NotInHistory
from .lint import Review, review, standard_questions
from .realization import Progress, track

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
    progress: Progress | None = None  # a won deal's realized value against the promise
    promise_problem: str | None = None  # why the promise could not be read, when it could not

    @property
    def value_report(self) -> bool:
        """Does this deal have a Value Report: measured value against a promise that could be read?"""
        return self.progress is not None

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


def analyse(path: Path, config: Config, histories: dict[Path, History] | None = None) -> Report:
    """Load, validate, compute and lint one deal file; a won deal's promise from its folder's history (one per folder)."""
    file = display_name(path)
    try:
        raw = read(path, file)
    except InvalidDeal as exc:
        return Report(path.stem, file, tuple(exc.problems))
    if histories is not None:
        folder = path.parent.resolve()
        return analyse_bytes(raw, file, config, histories.setdefault(folder, History(folder)))
    history = History(path.parent)
    try:
        return analyse_bytes(raw, file, config, history)
    finally:
        history.close()


def analyse_bytes(raw: bytes, file: str, config: Config, history: History | None = None) -> Report:
    """Validate, compute and lint a deal file's content (read from disk, or from git by ``diff``).

    A won deal's promise is read from ``history``, the committed versions of its folder.
    """
    deal_id = Path(file).stem
    try:
        document = parse(raw, file)
        deal = validate(document, deal_id, standard_questions())
    except InvalidDeal as exc:
        return Report(deal_id, file, tuple(exc.problems))
    case = compute(deal)
    progress, problem = _progress(deal, file, history) if history else (None, None)
    return Report(
        deal_id,
        file,
        deal=deal,
        case=case,
        review=review(document, deal, case, config, progress, problem),
        digest=document.digest,
        progress=progress,
        promise_problem=problem,
    )


def _progress(deal: Deal, file: str, history: History) -> tuple[Progress | None, str | None]:
    """The realized value against the version the CFO received, or why that version cannot be read."""
    if deal.realization is None or deal.sent is None:
        return None, None
    try:
        raw = history.version(Path(file).name, deal.sent.file_hash)
    except NotInHistory as exc:
        return None, str(exc)
    try:
        promised = validate(parse(raw, file), Path(file).stem, standard_questions())
    except InvalidDeal as exc:
        return None, f"the version with hash {deal.sent.file_hash} is not a valid deal ({exc.problems[0].message}); check the hash"
    if promised.currency != deal.currency:
        return None, (
            f"the version sent is in {promised.currency} and the deal is now in {deal.currency}: amounts are not converted; "
            f"measure in {promised.currency}, or record the version sent again (dealbrief sent ID --replace)"
        )
    progress = track(deal, promised, compute(promised), today())
    if any(m.amount.copy_abs() >= LIMIT for m in progress.measured):  # the sent rate and baseline, not the current ones
        return None, ("a measurement is worth 10^15 or more with the rate and baseline of the version sent; check its value and volume")
    return progress, None


Memo = dict[tuple[Path, tuple[int, ...], str], Report]


def analyse_all(paths: Iterable[Path], config: Config, memo: Memo | None = None) -> list[Report]:
    """A report per deal file, each file once even when named twice; a second file with a known id is refused.

    With a ``memo`` (kept by a long-running preview), a file whose size, time and inode are unchanged is not read again.
    """
    reports: list[Report] = []
    seen: set[Path] = set()
    ids: dict[str, str] = {}
    histories: dict[Path, History] = {}
    try:
        for path in discover(paths):
            if path.absolute() in seen:
                continue
            seen.add(path.absolute())
            report = analyse(path, config, histories) if memo is None else _remembered(path, config, memo, histories)
            if report.id in ids:
                message = f"another deal file already has the id '{report.id}' ({ids[report.id]}); ids must be unique"
                report = Report(report.id, report.file, (Problem(report.file, 1, 1, "", message),))
            ids.setdefault(report.id, report.file)
            reports.append(report)
    finally:
        for history in histories.values():
            history.close()
    return reports


def _remembered(path: Path, config: Config, memo: Memo, histories: dict[Path, History]) -> Report:
    try:
        status = os.lstat(path)
    except OSError:
        return analyse(path, config, histories)
    entry = (path.absolute(), (status.st_mtime_ns, status.st_size, status.st_ino, status.st_ctime_ns), repr(config))
    if entry not in memo:
        memo[entry] = analyse(path, config, histories)
    return memo[entry]


def find_deal(deal_id: str) -> Path:
    """``deals/<id>.yaml`` (the id also given as that path, as a shell completes it), or a :class:`DealbriefError`
    naming the closest deals that exist."""
    wanted = deal_id.removeprefix(f"{DEALS_DIR}/").removesuffix(".yaml")
    path = DEALS_DIR / f"{wanted}.yaml"
    if path.parent == DEALS_DIR and path.is_file():  # never a file outside deals/, not even whether one exists
        if why := bad_deal_id(wanted):  # the file is there, and cannot be a deal: say why, as check does
            raise DealbriefError(f"{DEALS_DIR}/{wanted}.yaml is no deal: {why}")
        return path
    ids = [p.stem for p in sorted(DEALS_DIR.glob("*.yaml")) if not bad_deal_id(p.stem)]
    close = difflib.get_close_matches(wanted, ids, n=3, cutoff=0.5) or [i for i in ids if wanted and wanted in i][:3]
    known = f"did you mean {', '.join(close)}?" if close else f"deals: {', '.join(ids[:10]) or 'none'}{', …' if len(ids) > 10 else ''}"
    raise DealbriefError(f"no deal '{deal_id}' in {DEALS_DIR}/ ({known})")
