"""``dealbrief init DIR``: a new deal repository."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path

from . import EXIT_CODES, say

HELP = "scaffold a new deal repository"
DESCRIPTION = (
    "Write a deal repository into DIR: deals/ with one example, schema/deal.schema.json for the editor, mkdocs.yml, a "
    "Makefile (make site, make serve, make check, make schema), the GitHub workflows (CI and Pages), "
    ".pre-commit-config.yaml, .gitignore, requirements.txt and a short README; outside a git repository, git init and "
    "a first commit. `make site` passes in it straight away."
)
EPILOG = EXIT_CODES


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", metavar="DIR", type=Path, help="the new repository's folder (created; must not hold these files)")
    parser.add_argument(
        "--site-url",
        metavar="URL",
        help="the site's address, e.g. https://deals.acme.com/ (the CRM export links each deal to it); default: a placeholder "
        "dealbrief check reminds you about",
    )
    parser.add_argument(
        "--requirement",
        metavar="SPEC",
        help="what the repository installs (default: dealbrief[site]==this version, from the package index); until a release, "
        "e.g. 'dealbrief[site] @ git+https://github.com/acme/dealbrief@v0.1.0' or a wheel's path",
    )


def run(args: argparse.Namespace) -> int:
    from ..scaffold import init

    made = init(args.dir, args.requirement, args.site_url)
    say(f"wrote {len(made.files)} files into {args.dir}:", *(f"  {path.relative_to(args.dir)}" for path in made.files))
    if made.commit:
        say(f"started a git repository with a first commit ({made.commit[:12]})")
    if made.git_note:
        say(f"dealbrief: note: {made.git_note}", error=True)
    if args.site_url is None:
        say("dealbrief: note: mkdocs.yml's site_url is a placeholder: write your site's address there, or use --site-url", error=True)
    go = "" if args.dir.resolve() == Path.cwd().resolve() else f"cd {shlex.quote(str(args.dir))} && "
    say(f"next: {go}make serve    (make check, make site; the first run installs requirements.txt into .venv)")
    return 0
