"""The pipeline every adapter calls: load → validate → compute → lint, one report per deal file.

One bad deal never hides the others: each file gets its own :class:`Report`,
with either its problems or its business case and review.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import ClassVar

from ..clock import today
from ..deal.load import file_digest, parse, read
from ..deal.model import LIMIT, Deal
from ..deal.validate import bad_deal_id, validate
from ..errors import DealbriefError, InvalidDeal, Problem
from ..git import GitError
from .answers import AnswerOrigins, Fact
from .compute import Case, compute
from .config import Config
from .history import History
from .lint import Review, review, standard_questions
from .realization import Progress, track

DEALS_DIR = Path("deals")


@dataclass(frozen=True)
class Invalid:
    """A deal file that is no valid deal: its problems, each located."""

    id: str
    file: str
    problems: tuple[Problem, ...]
    valid: ClassVar[bool] = False
    value_report: ClassVar[bool] = False
    revised: ClassVar[bool] = False


@dataclass(frozen=True)
class Analysed:
    """A valid deal: its business case and review, and — once sent — the version the CFO received and the value since."""

    id: str
    file: str
    deal: Deal
    case: Case
    review: Review
    digest: str
    progress: Progress | None = None  # a won deal's realized value against the promise
    promise_problem: str | None = None  # why the promise could not be read, when it could not
    unchecked: str | None = None  # why its answers could not be checked against the facts they answered
    sent: SentVersion | None = None  # the version the CFO received, when the deal records one that could be read
    revised: bool = False  # edited since sending in something the summary shows: this is a revision, not sent
    problems: ClassVar[tuple[Problem, ...]] = ()
    valid: ClassVar[bool] = True

    @property
    def customers(self) -> Analysed:
        """The report whose summary the customer has: the version sent, once there is one (byte for byte the PDF the CFO
        received, its footer hash included), else this one."""
        return self.sent.report if self.sent else self

    @property
    def value_report(self) -> bool:
        """Does this deal have a Value Report: measured value against a promise that could be read?"""
        return self.progress is not None


Report = Invalid | Analysed  # everything known about one deal file: isinstance tells which


@dataclass(frozen=True)
class SentVersion:
    """The version of a deal the CFO received, analysed on its own (its figures, its footer hash), and the day its commit
    made it (the date its PDF printed)."""

    report: Analysed
    day: date


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
        return Invalid(path.stem, file, tuple(exc.problems))
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
        return Invalid(deal_id, file, tuple(exc.problems))
    case = compute(deal)
    sent, problem = _sent(deal, file, config, history) if history else (None, None)
    progress, problem = _progress(deal, sent) if sent else (None, problem)
    origins, unchecked = _origins(history, file, config) if history and _answered(deal) else (None, None)
    revised = sent is not None and sent.report.deal is not None and sent.report.deal.summary_view() != deal.summary_view()
    return Analysed(
        deal_id,
        file,
        deal=deal,
        case=case,
        review=review(document, deal, case, config, progress, problem, origins, sent.report.review.gate if sent else None),
        digest=document.digest,
        progress=progress,
        promise_problem=problem,
        unchecked=unchecked,
        sent=sent,
        revised=revised,
    )


def _answered(deal: Deal) -> bool:
    return bool(deal.handoff.answers) or any(q.answer for q in deal.handoff.questions)


def _origins(history: History, file: str, config: Config) -> tuple[AnswerOrigins | None, str | None]:
    """Where each answer was written, from the history; or why answers cannot be checked against their facts."""
    try:
        history.versions(Path(file).name)
        shallow = history.shallow
    except GitError:
        return None, "the deal files are not in a git repository with commits, so answers cannot be checked against the facts they answered"
    if shallow:
        return None, (
            "this clone is shallow, so answers cannot be checked against the facts they answered: fetch the whole history "
            "(git fetch --unshallow; in GitHub Actions, actions/checkout with fetch-depth: 0)"
        )

    def facts_of(raw: bytes) -> dict[str, tuple[Fact, ...]] | None:
        earlier = _earlier(raw, file, config, history)
        return {q.id: q.facts for q in earlier.review.questions} if isinstance(earlier, Analysed) else None

    return AnswerOrigins(history, Path(file).name, facts_of), None


def _sent(deal: Deal, file: str, config: Config, history: History) -> tuple[SentVersion | None, str | None]:
    """The version the CFO received, read from the history and analysed on its own; or why it cannot be read."""
    if deal.sent is None:
        return None, None
    try:
        raw, made = history.found(Path(file).name, deal.sent.file_hash)
    except GitError as exc:  # the history's NotInHistory says what to do; git's own words otherwise
        return None, str(exc)
    report = _earlier(raw, file, config, history)
    if not isinstance(report, Analysed):
        return None, f"the version with hash {deal.sent.file_hash} is not a valid deal ({report.problems[0].message}); check the hash"
    return SentVersion(report, made.day), None


def _earlier(raw: bytes, file: str, config: Config, history: History) -> Report:
    """A committed version of the deal, analysed on its own (no history of its own): once, for the version sent and for
    the version an answer was written in alike."""
    entry = ("report", file, file_digest(raw))
    if entry not in history.memo:
        history.memo[entry] = analyse_bytes(raw, file, config)
    found = history.memo[entry]
    assert isinstance(found, Invalid | Analysed)
    return found


def _progress(deal: Deal, sent: SentVersion) -> tuple[Progress | None, str | None]:
    """The realized value against the version the CFO received."""
    promised, promised_case = sent.report.deal, sent.report.case
    if deal.realization is None:
        return None, None
    if promised.currency != deal.currency:
        return None, (
            f"the version sent is in {promised.currency} and the deal is now in {deal.currency}: amounts are not converted; "
            f"measure in {promised.currency}, or record the version sent again (dealbrief sent ID --replace)"
        )
    progress = track(deal, promised, promised_case, today())
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
                report = Invalid(report.id, report.file, (Problem(report.file, 1, 1, "", message),))
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
