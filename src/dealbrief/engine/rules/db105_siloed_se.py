"""The handoff gate — the handoff meeting held and every blocking question answered — is what keeps a sales
engineer's knowledge from staying in their head.  A summary sent (or a deal closed) while it is open went out with
risks nobody on the account team has answered.  Once a version sent is recorded, what counts is that version's gate."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from . import Ask, Context, Flag, rule


@rule(
    "DB105",
    "siloed-se",
    "The summary went out (or the deal closed) while the handoff gate is open.",
    severity="error",
    passing={"stage": "summary-sent", "handoff": {"meeting": date(2026, 8, 20)}},
    failing={"stage": "summary-sent"},
)
def _siloed_se(c: Context) -> Iterator[Flag | Ask]:
    if not c.deal.reached("summary-sent"):
        return
    if c.sent_gate == "open":  # once sent, what counts is the gate of the version sent; a revision's hold back only its own sending
        yield Flag(("sent",), "error", f"stage is {c.deal.stage} but the version sent went out with the handoff gate open")
    elif c.sent_gate is None and c.gate == "open":
        missing = "no handoff meeting is recorded" if c.deal.handoff.meeting is None else "blocking handoff questions are open"
        yield Flag(("stage",), "error", f"stage is {c.deal.stage} but the handoff gate is open: {missing}")
