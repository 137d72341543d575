"""``dealbrief schema``: the JSON Schema of the deal format, from the model that validates it."""

from __future__ import annotations

import argparse
import json

from ..deal.model import json_schema
from . import say

HELP = "print the JSON Schema of the deal format"
DESCRIPTION = "Print the JSON Schema of the deal format (checked in as schema/deal.schema.json)."
EPILOG = None


def options(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    say(*json.dumps(json_schema(), indent=2, ensure_ascii=False).split("\n"))
    return 0
