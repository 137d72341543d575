"""``dealbrief pdf [ID…]``: the Executive Summary, handoff and Value Report PDFs, through pandoc and Typst."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..engine.config import load_config
from ..engine.pipeline import DEALS_DIR, Analysed, Report, analyse, analyse_all, find_deal
from ..errors import DealbriefError
from ..i18n import catalog_problems
from . import EXIT_CODES, say

LOCK_TIMEOUT = 600.0  # seconds `dealbrief pdf` waits for a build of the same repository to finish
NO_REALIZATION = "it has no realization: section (the manual's tutorial: After the signature)"  # why else a deal has no Value Report
HELP = "export the one-page Executive Summary PDFs (and the internal handoff PDFs, and won deals' Value Reports)"
DESCRIPTION = (
    "Export DEAL.pdf (the one-page Executive Summary for the CFO, marked DRAFT while "
    "the handoff gate is open), DEAL-handoff.pdf (internal) and, for a won deal with measured value, DEAL-value.pdf "
    "(the one-page Value Report, marked DRAFT while a measurement is unconfirmed) for each deal, through pandoc and "
    "Typst. Unchanged deals are taken from the cache in .cache/dealbrief/."
)
EPILOG = EXIT_CODES + " A PDF that cannot be made (too long for one page, say) exits 1."


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ids", nargs="*", metavar="ID", help="deal ids (default: every deal in deals/)")
    parser.add_argument("--out", type=Path, default=Path("pdfs"), metavar="DIR", help="where to write (default: pdfs/)")
    parser.add_argument("--paper", choices=("a4", "us-letter"), help="paper size (default: from the deal's locale)")
    parser.add_argument(
        "--value", action="store_true", help="only the Value Reports (DEAL-value.pdf) of won deals, for the customer's business reviews"
    )


def run(args: argparse.Namespace) -> int:
    from importlib.util import find_spec

    missing = [name for name in ("typst", "pypandoc", "pypdf") if find_spec(name) is None]
    if missing:
        raise DealbriefError(f"the PDFs need {', '.join(missing)}: pip install 'dealbrief[site]'")
    from ..content_cache import Cache
    from ..output.render import Renderer
    from ..pdf.export import export_reports, export_value_reports

    config = load_config()
    for entry in catalog_problems(config.templates):  # the shipped words stand in: every PDF is still made
        say(f"dealbrief: {entry}", error=True)
    reports = [analyse(find_deal(i), config) for i in args.ids] if args.ids else analyse_all([DEALS_DIR], config)
    for report in reports:
        for problem in report.problems:
            say(problem, error=True)
    refused = _without_value_report(reports, named=bool(args.ids)) if args.value else []
    for line in refused:
        say(line, error=True)
    cache = Cache()
    lock = cache.lock(LOCK_TIMEOUT, lambda: say("dealbrief: another build in this repository is running; waiting for it to finish"))
    try:
        export = export_value_reports if args.value else export_reports
        outcome = export(reports, Renderer(config.templates), args.out, args.paper, cache)
    finally:
        lock.release()
    for name in sorted(outcome.files):
        say(f"{args.out / name}{'' if name in outcome.exported else ' (unchanged: from the cache)'}")
    for name, message in sorted(outcome.failed.items()):
        say(f"dealbrief: {name}: {message}", error=True)
    if outcome.damaged:
        say(f"dealbrief: {len(outcome.damaged)} damaged cache entries were made again: {'; '.join(outcome.damaged)}", error=True)
    return 2 if any(r.problems for r in reports) or refused else (1 if outcome.failed else 0)


def _without_value_report(reports: list[Report], named: bool) -> list[str]:
    """``--value``: each valid deal that has no Value Report and is named, or whose promise cannot be read, and why."""
    return [
        f"dealbrief: {r.file}: no Value Report: {r.promise_problem or NO_REALIZATION}"
        for r in reports
        if isinstance(r, Analysed) and not r.value_report and (named or r.promise_problem)
    ]
