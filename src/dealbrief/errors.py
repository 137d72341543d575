"""The error types: problems are data, reported at the edge; one exception for the rest."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from .text import printable, printable_name

KeyPath = tuple[str | int, ...]


def ci_mode() -> bool:
    """In CI (``CI=true``) logs are widely read: messages name file, line and key, never a deal's values."""
    return os.environ.get("CI", "").lower() == "true"


def found(value: Any) -> str:
    """How an input value is named in an error message (only its kind in CI, see :func:`ci_mode`)."""
    if ci_mode() and not isinstance(value, bool | None):
        kinds = {str: "text", int: "a number", Decimal: "a number", date: "a date", list: "a list", dict: "a mapping"}
        return f"{kinds.get(type(value), 'a value')} (not shown in CI)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing (null)"
    if isinstance(value, int | Decimal):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "…"
        return f"text '{shown}'"
    if isinstance(value, date):
        return f"the date {value.isoformat()}"
    return "a list" if isinstance(value, list) else "a mapping"


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
        where = f"{printable_name(self.file)}:{self.line}:{self.column}"
        return printable(f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}")


class DealbriefError(Exception):
    """A mistake the user can fix (unknown deal, file exists, bad option): shown as one line."""


class InvalidDeal(Exception):
    """A deal file that cannot be used; carries every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems
