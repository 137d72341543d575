"""``dealbrief new ID``: a deal file from the commented skeleton."""

from __future__ import annotations

import argparse
from importlib import resources
from pathlib import Path

from ..deal.validate import bad_deal_id
from ..engine.pipeline import DEALS_DIR
from ..errors import DealbriefError
from . import EXIT_CODES, say

HELP = "start a deal file from a commented skeleton"
DESCRIPTION = "Write deals/ID.yaml, a commented skeleton at stage discovery that passes `check`."
EPILOG = EXIT_CODES


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID", help="the deal id: lowercase letters, digits, hyphens (e.g. acme-observability)")


def run(args: argparse.Namespace) -> int:
    if bad_deal_id(args.id):  # the same rule the file name is checked against
        raise DealbriefError(
            f"'{args.id}' is not a deal id: use lowercase letters, digits and hyphens (not a Windows device name such as con), "
            "e.g. acme-observability"
        )
    path = DEALS_DIR / f"{args.id}.yaml"
    if Path.cwd().name == DEALS_DIR.name and not DEALS_DIR.exists():  # deals/deals/ID.yaml would be read by nothing
        raise DealbriefError(f"this is the {DEALS_DIR}/ folder itself: run dealbrief from the repository root (cd ..)")
    if path.exists() or path.is_symlink():  # a link, even to nowhere: writing through it would write elsewhere
        raise DealbriefError(f"{path} already exists; edit it, or choose another id")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as new:  # "x": never through a link or over a file made meanwhile
        new.write(resources.files("dealbrief").joinpath("skeleton.yaml").read_text(encoding="utf-8"))
    say(f"wrote {path}: fill it in, then run `dealbrief check {path}`")
    return 0
