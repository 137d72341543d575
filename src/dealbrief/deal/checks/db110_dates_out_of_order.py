"""The POC ends after it starts, the technical win comes after the POC, and the handoff meeting after the win.  Dates
out of that order are a typo, and the timeline the CFO reads would not hold together.  (DB110 was a lint rule; it is
a check of the format now: such a deal is invalid, and the check runs even beside other problems.)"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from ..model import Deal
from . import Located, check


@check(
    "dates-out-of-order",
    "The POC ends before it starts, the technical win is dated before the POC ended, or the handoff meeting before the win.",
    code="DB110",
    passing={"poc.end": date(2026, 8, 15)},
    failing={"poc.end": date(2026, 7, 30)},
)
def date_order(deal: Deal, questions: Collection[str]) -> Located:
    """The POC ends after it starts, the technical win comes after the POC, the handoff meeting after the win."""
    poc, meeting = deal.poc, deal.handoff.meeting
    won = poc.technical_win.date if poc.technical_win else None
    if poc.start and poc.end and poc.end < poc.start:
        yield ("poc", "end"), f"the POC ends ({poc.end}) before it starts ({poc.start}); check both dates"
    if won and poc.end and won < poc.end:
        yield ("poc", "technical_win", "date"), f"the technical win ({won}) is dated before the POC ended ({poc.end}); check both dates"
    if meeting and won and meeting < won:
        yield ("handoff", "meeting"), f"the handoff meeting ({meeting}) is dated before the technical win ({won}); check both dates"
