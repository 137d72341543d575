"""A competitor still in place, renewing, being evaluated or of unknown standing is the most common way a
technical win is lost: the incumbent's renewal is signed before our contract is.  The AE confirms the competitor is
displaced — contract end date known, non-renewal confirmed by procurement."""

from __future__ import annotations

from collections.abc import Iterator

from ..answers import Fact
from . import Ask, Context, Flag, rule


@rule(
    "DB103",
    "competitor-not-displaced",
    "A competitor is still incumbent, renewing, evaluating or unknown.",
    question="competitor-displaced",
    severity="question",
    passing={"commercial": {"competitor": {"name": "LogCo", "status": "displaced"}}},
    failing={"commercial": {"competitor": {"name": "LogCo", "status": "evaluating"}}},
)
def _competitor(c: Context) -> Iterator[Flag | Ask]:
    competitor = c.deal.commercial.competitor
    if competitor and competitor.status in ("incumbent", "incumbent-renewing", "evaluating", "unknown"):
        said = {
            "incumbent": f"{competitor.name} is the incumbent",
            "incumbent-renewing": f"{competitor.name} is the incumbent and may be renewed",
            "evaluating": f"The customer is also evaluating {competitor.name}",
            "unknown": f"We do not know where {competitor.name} stands",
        }[competitor.status]
        note = f" ({competitor.note})" if competitor.note else ""
        yield Ask(
            ("commercial", "competitor", "status"),
            f"{said}{note}. Is {competitor.name} displaced: contract end date known and non-renewal confirmed by procurement?",
            facts=(Fact("competitor", f"{competitor.name}|{competitor.status}", f"{competitor.name} ({competitor.status})"),),
        )
