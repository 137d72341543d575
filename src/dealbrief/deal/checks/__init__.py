"""The format's checks across keys: one module each, a phase of the rule registry (:mod:`dealbrief.registry`).

The pydantic model checks each key; these check keys against each other (a driver's form, links between ids, per-year
list lengths, what a stage requires).  Each yields ``(key path, message)`` for the deal and the ids of the questions
the lint asks; any one makes the deal invalid, located at its key.  :mod:`dealbrief.deal.validate` runs them in the
registry's order, skipping a check whose ``reads`` could not be taken as written.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from decimal import Decimal
from typing import Any

from ...errors import KeyPath
from ...registry import Rule, rule
from ..model import Deal

Located = Iterator[tuple[KeyPath, str]]
Check = Callable[[Deal, Collection[str]], Located]

# What a key with a pattern expects, in the words of its problems.
PATTERNS = {
    "currency": "a three-letter ISO 4217 code such as USD or EUR",
    "locale": "a locale such as en_US or de_DE",
    "id": "an id of lowercase letters, digits and hyphens (e.g. rca-time)",
    "file_hash": "the SHA-256 `dealbrief sent` records (64 hex digits), or the 12 after 'deal file' in the sent PDF's footer",
    "period": "a period such as 2027-03, 2027-Q1 or 2027",
}


def check(
    slug: str,
    summary: str,
    *,
    passing: Mapping[str, Any],
    failing: Mapping[str, Any],
    code: str | None = None,
    reads: tuple[KeyPath, ...] = (),
) -> Callable[[Check], Rule]:
    """Register a format check; ``reads`` are the keys it relies on: it is skipped when one of them (or what holds it) could
    not be taken as written, and what it says about a key with a problem is dropped anyway."""
    return rule(code, slug, summary, phase="format", severity="error", passing=passing, failing=failing, reads=reads)


def each(value: Any) -> list[Decimal]:
    """A per-year value as the list of its years' values (a single number: itself)."""
    return [] if value is None else list(value) if isinstance(value, tuple | list) else [value]
