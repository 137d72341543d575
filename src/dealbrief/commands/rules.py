"""``dealbrief rules``: every rule of the registry — the format's checks and the commercial lint."""

from __future__ import annotations

import argparse
from collections.abc import Iterable

from ..engine.lint import RULES
from ..output import rule_list
from ..registry import Rule
from ..text import printable_json
from . import say

HELP = "list every rule: the format's checks and the commercial lint"
DESCRIPTION = (
    "List every rule, in the order of their codes: code, slug, phase (format: makes a deal invalid; lint: "
    "a finding or a handoff question), default severity, the question it asks, and its summary; --format json adds "
    "each rule's rationale and its passing and failing examples (changes to a clean deal)."
)
EPILOG = None


def _json(rules: Iterable[Rule]) -> str:
    return printable_json(rule_list.as_data(rules))


FORMATS = {"text": rule_list.text, "json": _json}


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=tuple(FORMATS), default="text", help="text (default) or json")


def run(args: argparse.Namespace) -> int:
    say(*FORMATS[args.format](RULES).split("\n"))
    return 0
