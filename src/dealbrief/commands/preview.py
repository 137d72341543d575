"""``dealbrief preview ID``: serve one deal's pages, rebuilt within a moment of each save."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..engine.pipeline import find_deal
from ..errors import DealbriefError
from . import EXIT_CODES, ID_HELP, say

HELP = "serve one deal's pages, rebuilt within a moment of each save"
DESCRIPTION = (
    "Build the pages and PDFs of deal ID and the dashboard with this repository's mkdocs.yml, serve them at "
    "http://127.0.0.1:PORT/, and rebuild them whenever a deal, dealbrief.toml, mkdocs.yml or a template changes — in about "
    "a second even among 1,000 deals, where `mkdocs serve` rebuilds every page. Search finds this deal only, and the "
    "dashboard's links to other deals lead nowhere until `make site`."
)
EPILOG = EXIT_CODES


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID", help=ID_HELP)
    parser.add_argument("--port", type=int, default=8001, help="the local port to serve on (default: 8001; 0 picks a free one)")


def run(args: argparse.Namespace) -> int:
    from ..preview import serve  # MkDocs: only when previewing

    find_deal(args.id)
    if not Path("mkdocs.yml").is_file():
        raise DealbriefError("no mkdocs.yml here: run dealbrief preview from the repository root (dealbrief init makes one)")
    serve(args.id, args.port, Path("mkdocs.yml").absolute(), say)
    return 0
