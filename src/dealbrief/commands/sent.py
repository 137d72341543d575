"""``dealbrief sent ID``: record which version of a deal the CFO received — the promise — once the handoff gate has passed."""

from __future__ import annotations

import argparse
from datetime import date

from ..engine.config import load_config
from ..engine.pipeline import Analysed, analyse, find_deal
from ..errors import DealbriefError
from . import EXIT_CODES, ID_HELP, say

HELP = "record which version of a deal the CFO received (the promise)"
DESCRIPTION = (
    "Write `sent: {date, file_hash}` into deals/ID.yaml for its committed version: the hash its PDFs print in "
    "their footer, by which the promise is found in the git history later. Refuses a file with uncommitted changes. "
    "Moves the stage to summary-sent if it is earlier."
)
EPILOG = EXIT_CODES


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date such as 2026-11-30, found '{text}'") from None


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID", help=ID_HELP)
    parser.add_argument("--date", type=_day, default=date.today(), metavar="YYYY-MM-DD", help="when it was sent (default: today)")
    parser.add_argument("--replace", action="store_true", help="replace a version already recorded (the promise changes with it)")


def run(args: argparse.Namespace) -> int:
    from ..sent import record_sent, uncommitted

    path = find_deal(args.id)
    if args.date > date.today():
        raise DealbriefError(f"--date {args.date} is in the future: record a summary once it has been sent")
    report = analyse(path, load_config())
    if not isinstance(report, Analysed):
        say(*report.problems, error=True)
        raise DealbriefError(f"{path} has problems: fix them (dealbrief check), commit, then record the version sent")
    if holding := _holding_the_send(report):
        say(*holding, error=True)
        if why := uncommitted(path):  # said too, so one run names everything to do
            say(f"dealbrief: {why}", error=True)
        say(f"dealbrief: {path}: not sent: the summary goes out only once the handoff gate has passed; nothing was written", error=True)
        return 1
    digest, moved_from = record_sent(path, args.date, args.replace)
    say(f"{path}: sent: {{date: {args.date.isoformat()}, file_hash: {digest}}}: the PDF made from this version prints {digest[:12]}")
    if moved_from:
        say(f"{path}: stage: {moved_from} → summary-sent")
    if report.deal.stage != "closed-won":
        say("next: commit this change; once the contract is signed, set stage: closed-won and signed: (the manual's After the signature)")
    else:
        say("next: commit this change")
    return 0


def _holding_the_send(report: Analysed) -> list[str]:
    """What stops a summary from going out: the handoff meeting not held, each blocking question open or stale, each error."""
    where = report.file
    held = [f"{where}: handoff.meeting: no handoff meeting is recorded"] if report.deal.handoff.meeting is None else []
    held += [
        f"{where}:{q.line}:{q.column}: question {q.id} ({q.owner}) is {'stale: ' + q.stale if q.stale else 'open'}"
        for q in report.review.open_blocking
    ]
    errors = [f for f in report.review.findings if f.severity == "error"]
    held += [f"{where}:{f.line}:{f.column}: {f.key}: {f.logged()} [error {f.code} {f.slug}]" for f in errors]
    return held
