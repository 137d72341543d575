"""The summary's problem, recommendation and driver names are read by a CFO.  Engineering words (latency, p99,
Kubernetes…) make them read past the case; say what it means for the business.  A team tunes the list in
dealbrief.toml (``jargon``, ``extra_jargon``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from ...errors import KeyPath
from . import Ask, Context, Flag, rule


@rule(
    "DB111",
    "cfo-jargon",
    "Customer-facing text uses engineering jargon a CFO will not read past.",
    severity="warning",
    passing={"recommendation": "Cuts the time customers wait for every order."},
    failing={"recommendation": "Cuts p99 latency for every API."},
)
def _jargon(c: Context) -> Iterator[Flag | Ask]:
    texts: list[tuple[KeyPath, str | None]] = [
        (("baseline", "problem"), c.deal.baseline.problem),
        (("recommendation",), c.deal.recommendation),
    ]
    texts += [(("value", i, "name"), d.name) for i, d in enumerate(c.deal.value)]
    if not c.config.jargon:  # an empty alternation would match between any two non-word characters
        return
    pattern = _jargon_pattern(c.config.jargon)
    for path, text in texts:
        words = sorted({m.group(1) for m in pattern.finditer(text or "")}, key=str.lower)
        if words:
            yield Flag(
                path, "warning", f"engineering jargon in customer-facing text: {', '.join(words)}; say what it means for the business"
            )


@cache
def _jargon_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + r")s?(?![\w-])", re.IGNORECASE)
