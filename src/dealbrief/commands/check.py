"""``dealbrief check [PATH…]``: validate and lint deals, each problem as file:line:column."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..engine.config import load_config
from ..engine.pipeline import DEALS_DIR, Analysed, analyse_all
from ..i18n import catalog_problems
from ..output import check_report, crm
from . import EXIT_CODES, say

HELP = "validate and lint deals"
DESCRIPTION = "Validate every deal and lint its commercial risks; each problem as file:line:column."
EPILOG = EXIT_CODES
FORMATS = {"text": check_report.text, "json": check_report.as_json, "github": check_report.github}


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="deal files or folders (default: deals/)")
    parser.add_argument(
        "--format",
        choices=tuple(FORMATS),
        default="text",
        help="text for people, json for tools, github for workflow annotations (default: text)",
    )
    parser.add_argument("--strict", action="store_true", help="fail (exit 1) on any finding, warnings and open questions included")


def run(args: argparse.Namespace) -> int:
    settings = load_config()
    reports = analyse_all(args.paths or [DEALS_DIR], settings)
    output = FORMATS[args.format](reports)
    if output:
        say(*output.split("\n"), annotations=args.format == "github")
    words = catalog_problems(settings.templates)  # a team catalog's entry that would break its message (left out)
    for problem in words:
        say(f"{problem} [error]", error=True)
    notes = {r.unchecked for r in reports if isinstance(r, Analysed) and r.unchecked}  # said once, not once a deal
    if crm.written_site_url(Path("mkdocs.yml")) == crm.PLACEHOLDER:
        notes.add(
            f"mkdocs.yml's site_url is still the placeholder {crm.PLACEHOLDER}: write your site's address there "
            "(the CRM export links each deal's summary to it)"
        )
    for note in sorted(notes):
        say(f"dealbrief: note: {note}", error=True)
    return max(check_report.exit_code(reports, args.strict), 1 if words else 0)
