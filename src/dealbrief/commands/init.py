"""``dealbrief init DIR``: a new deal repository."""

from __future__ import annotations

import argparse
from pathlib import Path

from . import EXIT_CODES, say

HELP = "scaffold a new deal repository"
DESCRIPTION = (
    "Write a deal repository into DIR: deals/ with one example, mkdocs.yml, the GitHub workflows "
    "(CI and Pages), .pre-commit-config.yaml, .gitignore, requirements.txt and a short README. "
    "`mkdocs build --strict` passes in it straight away."
)
EPILOG = EXIT_CODES


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", metavar="DIR", type=Path, help="the new repository's folder (created; must not hold these files)")
    parser.add_argument(
        "--requirement",
        metavar="SPEC",
        help="what the repository installs (default: dealbrief[site]==this version, from the package index); until a release, "
        "e.g. 'dealbrief[site] @ git+https://github.com/acme/dealbrief@v0.1.0' or a wheel's path",
    )


def run(args: argparse.Namespace) -> int:
    from ..scaffold import init

    written = init(args.dir, args.requirement)
    say(f"wrote {len(written)} files into {args.dir}:", *(f"  {path.relative_to(args.dir)}" for path in written))
    say(f"next: cd {args.dir} && pip install -r requirements.txt && mkdocs serve")
    return 0
