"""``dealbrief show ID``: a deal's business case in the terminal, or its computed figures as JSON."""

from __future__ import annotations

import argparse

from ..engine.config import load_config
from ..engine.pipeline import Analysed, analyse, find_deal
from ..text import printable_json
from . import EXIT_CODES, ID_HELP, say

HELP = "show a deal's business case"
DESCRIPTION = (
    "The business case in the terminal: cost, savings and return first, then the "
    "cash flow, the price-defense facts, the handoff questions and findings."
)
EPILOG = EXIT_CODES


def _text(report: Analysed) -> str:
    from ..output.terminal import show  # rich: only when a deal is shown

    return show(report)


def _json(report: Analysed) -> str:
    from ..output.show_json import figures

    return printable_json(figures(report))


FORMATS = {"text": _text, "json": _json}


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID", help=ID_HELP)
    parser.add_argument(
        "--json",
        dest="format",
        action="store_const",
        const="json",
        default="text",
        help="print the computed figures as JSON (decimal strings)",
    )


def run(args: argparse.Namespace) -> int:
    result = analyse(find_deal(args.id), load_config())
    if not isinstance(result, Analysed):
        say(*result.problems, error=True)
        return 2
    say(*FORMATS[args.format](result).split("\n"), styled=args.format == "text")
    return 0
