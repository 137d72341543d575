"""YAML reads ``85.000`` as 85 — a decimal point, not a thousands separator.  A price or a number of units typed
that way is a thousand times too small, and must not reach a CFO: an error, which a team may lower to a warning."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from ... import fmt
from ...deal.model import MONEY, WHOLE, marked_fields
from . import Ask, Context, Flag, rule

THOUSANDS_DOT = re.compile(r"[1-9][0-9]{0,2}\.[0-9]{3}")


@rule(
    "DB113",
    "thousands-dot",
    "An amount of money or of units typed with a dot before three digits (85.000): YAML reads a decimal point.",
    severity="error",
    passing={"costs.one_time.0.amount": 60000},
    failing={"costs.one_time.0.amount": Decimal("60.000")},
)
def _thousands_dot(c: Context) -> Iterator[Flag | Ask]:
    questioned = {path for marker in (MONEY, WHOLE) for path, _ in marked_fields(c.deal, marker)}
    for path, text in c.written.items():
        if THOUSANDS_DOT.fullmatch(text) and (path in questioned or path[:-1] in questioned):
            yield Flag(  # an error: a price a thousand times too small must not reach a CFO (a team may lower it)
                path,
                "error",
                f"{text} is read as {fmt.number(Decimal(text), c.deal.locale, 3)}: in a deal file a dot is the decimal point; "
                f"did you mean {text.replace('.', '')}? (write numbers without separators)",
            )
