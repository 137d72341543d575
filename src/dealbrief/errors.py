"""The error types: problems are data, reported at the edge; one exception for the rest."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any

KeyPath = tuple[str | int, ...]

# Invisible text-direction marks (they make text read differently from what it is, "Trojan Source") and the
# characters that break a line or steer a terminal: C0 and C1 controls, DEL, the line and paragraph separators.
DIRECTION_MARKS = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
UNPRINTABLE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{DIRECTION_MARKS}]")


def ci_mode() -> bool:
    """In CI (``CI=true``) logs are widely read: messages name file, line and key, never a deal's values."""
    return os.environ.get("CI", "").lower() == "true"


def printable(text: str) -> str:
    """``text`` safe for a terminal and a CI log: every control, line-breaking or direction character shown as an escape.

    Each line dealbrief prints passes through here (or :func:`printable_json`), so no deal text can move the cursor,
    retitle the terminal, print a link, or start a line that CI reads as a command (``::error …``).
    """
    return UNPRINTABLE.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


def printable_json(data: Any) -> str:
    """``data`` as indented JSON that is also printable: what JSON leaves raw in a string (DEL, C1, separators) as ``\\uXXXX``.

    JSON already escapes C0 controls inside strings, so the only line breaks left are its own indentation.
    """
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return UNPRINTABLE.sub(lambda match: match.group() if match.group() == "\n" else f"\\u{ord(match.group()):04x}", text)


def dotted(path: KeyPath) -> str:
    """``("value", 0, "rate")`` -> ``value[0].rate``: how users name a key."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a deal file cannot be used, located so an editor can jump to it."""

    file: str
    line: int
    column: int
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        return printable(f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}")


class DealbriefError(Exception):
    """A mistake the user can fix (unknown deal, file exists, bad option): shown as one line."""


class InvalidDeal(Exception):
    """A deal file that cannot be used; carries every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems
