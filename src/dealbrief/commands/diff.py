"""``dealbrief diff [--base REF]``: what a change does to each business case, figure by figure and input by input."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ..engine.config import load_config
from ..engine.pipeline import DEALS_DIR
from ..text import printable_json
from . import EXIT_CODES, say

if TYPE_CHECKING:
    from ..output.diff import Change

HELP = "what a change does to each business case"
DESCRIPTION = (
    "For every deal added, removed, renamed or changed between REF and the working tree: each computed "
    "figure that moved (cost, savings, NPV, ROI, payback, break-even, open blocking questions, findings, value realized) "
    "and each input that changed, with its old and new value. The first line names the base."
)
EPILOG = EXIT_CODES


def _text(named: str, commit: str, found: list[Change]) -> str:
    import shutil

    from ..output.diff import terminal

    return terminal(named, found, shutil.get_terminal_size().columns)


def _markdown(named: str, commit: str, found: list[Change]) -> str:
    from ..output.diff import markdown

    return markdown(named, found)


def _json(named: str, commit: str, found: list[Change]) -> str:
    from ..output.diff import as_json

    return printable_json(as_json(named, commit, found))


FORMATS = {"text": _text, "markdown": _markdown, "json": _json}


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--base",
        metavar="REF",
        help="the git ref to compare with (default: the merge base with origin/main, else with the branch's upstream, else HEAD)",
    )
    parser.add_argument(
        "--format",
        choices=tuple(FORMATS),
        default="text",
        help="text for the terminal, markdown for a pull request (what CI posts), json for tools (default: text)",
    )


def run(args: argparse.Namespace) -> int:
    from ..output.diff import changes  # the history, Jinja's escaping: only when diffing

    named, commit, found = changes(DEALS_DIR, args.base, load_config())
    say(*FORMATS[args.format](named, commit, found).split("\n"))
    return 0
