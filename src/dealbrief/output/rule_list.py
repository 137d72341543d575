"""``dealbrief rules``: every rule of the registry, as a table (text) or with its rationale and examples (JSON)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from ..registry import Rule

COLUMNS = ("code", "slug", "phase", "severity", "question", "summary")


def text(rules: Iterable[Rule]) -> str:
    """One line a rule, in aligned columns under a header; ``-`` where a rule has no code or asks no question."""
    rows = [COLUMNS] + [(r.code or "-", r.slug, r.phase, r.severity, r.question or "-", r.summary) for r in rules]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS) - 1)]
    return "\n".join("  ".join([*(cell.ljust(width) for cell, width in zip(row, widths, strict=False)), row[-1]]) for row in rows)


def as_data(rules: Iterable[Rule]) -> list[dict[str, Any]]:
    """Each rule as JSON-ready data: the table's columns, its rationale and its examples (changes to the clean deal)."""
    return [
        {
            "code": r.code,
            "slug": r.slug,
            "phase": r.phase,
            "severity": r.severity,
            "question": r.question,
            "summary": r.summary,
            "rationale": r.rationale,
            "examples": {"passing": _plain(r.passing), "failing": _plain(r.failing), "committed": _plain(r.committed)},
        }
        for r in rules
    ]


def _plain(value: Any) -> Any:
    """An example as JSON holds it: a date as YYYY-MM-DD (a Decimal stays a number)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value
