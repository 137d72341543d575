"""``dealbrief export``: every valid deal's figures for a CRM import, as CSV or JSON."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..engine.config import load_config
from ..engine.pipeline import DEALS_DIR, analyse_all
from ..errors import DealbriefError, ci_mode
from ..output import crm
from . import EXIT_CODES, say

HELP = "every valid deal's figures for a CRM import (CSV or JSON)"
DESCRIPTION = (
    "One row per valid deal, keyed by the deal id (for Salesforce Data Loader, `sf data upsert bulk "
    "--external-id deal_id`, HubSpot imports): stage, customer, currency, annual and total contract value, total cost, "
    "annual benefit, NPV, ROI, payback months, open blocking questions, the summary's URL (site_url in mkdocs.yml), the "
    "deal file's hash and last commit, the stage dates and the version sent, value realized, and with a reporting currency "
    "in dealbrief.toml each amount converted. Plain decimals, ISO dates, UTF-8 with a header row; nothing internal."
)
EPILOG = EXIT_CODES + " An invalid deal is reported and left out (exit 2); the others are exported."
FORMATS = {"csv": crm.as_csv, "json": crm.as_json}


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=tuple(FORMATS), default="csv", help="csv (default) or json")
    parser.add_argument("--out", type=Path, metavar="FILE", help="write to FILE instead of printing")
    parser.add_argument(
        "--excel",
        action="store_true",
        help="CSV for Excel: a UTF-8 byte-order mark first, so Excel in any language reads names such as Müller as written",
    )


def run(args: argparse.Namespace) -> int:
    from ..content_cache import write_atomically

    if args.out:
        _writable_file(args.out)
    if args.excel and args.format != "csv":
        raise DealbriefError("--excel is for the CSV export; JSON is UTF-8 by definition")
    settings = load_config()
    reports = analyse_all([DEALS_DIR], settings)
    for report in reports:
        for problem in report.problems:
            say(problem, error=True)
    commits = crm.last_commits(r.file for r in reports if r.valid)
    found = crm.rows(reports, crm.site_url(Path("mkdocs.yml")), commits, settings.reporting)
    output = FORMATS[args.format](found, **({"excel": True} if args.excel else {}))
    if args.out:
        write_atomically(args.out, output.encode("utf-8"))  # a CRM sync never reads half a file
        say(f"wrote {len(found)} deals to {args.out}")
    elif sys.stdout.isatty() or ci_mode():  # for people, or a CI log: shown as text, never as terminal or workflow commands
        say(*output.rstrip("\r\n").replace("\r\n", "\n").split("\n"))
    else:  # into a file or another program: the file's exact bytes, as --out writes them
        sys.stdout.buffer.write(output.encode("utf-8"))
        sys.stdout.flush()
    return 2 if any(r.problems for r in reports) else 0


def _writable_file(path: Path) -> None:
    """``--out FILE`` names a file in a folder that exists: checked before any work, so a typo costs nothing and makes nothing."""
    if path.is_dir():
        raise DealbriefError(f"--out {path} is a folder: name the file to write, e.g. {path / 'deals.csv'}")
    if not path.parent.is_dir():
        raise DealbriefError(f"--out {path}: there is no folder {path.parent}; make it first, or name a file in an existing folder")
