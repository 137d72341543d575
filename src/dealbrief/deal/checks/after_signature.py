"""The version sent, the signature and the measured value each belong to a stage: a summary recorded as sent while the
deal says it was not, a signature on a deal not won, or measurements of a promise nobody made would put figures on the
pages that no stage of the deal explains.  Realization is measured against the version sent, from the contract's start."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from ..model import Deal
from . import Located, check


@check(
    "after-signature",
    "sent, signed and realization need a stage that has them, and each other (the promise needs sent: and a contract start).",
    passing={"stage": "closed-won", "signed": date(2026, 9, 1), "handoff": {"meeting": date(2026, 8, 20)}},
    failing={"signed": date(2026, 9, 1)},
    reads=(("stage",),),
)
def after_signature(deal: Deal, questions: Collection[str]) -> Located:
    """What the sent version, the signature and the measurements need: a stage that has them, and each other."""
    if deal.sent and not deal.reached("summary-sent") and deal.stage != "closed-lost":
        yield ("sent",), f"sent records the summary the CFO received: set stage to summary-sent or later (stage is {deal.stage})"
    if deal.signed and deal.stage != "closed-won":
        yield ("signed",), f"signed is for a won deal: set stage: closed-won (stage is {deal.stage})"
    if deal.sent and deal.signed and deal.signed < deal.sent.date:
        yield ("signed",), f"the contract is signed ({deal.signed}) before the summary was sent ({deal.sent.date}); check both dates"
    if deal.realization is None:
        return
    if deal.stage != "closed-won":
        yield ("realization",), f"realization tracks a won deal's value: set stage: closed-won (stage is {deal.stage})"
    if deal.sent is None:
        yield ("realization",), "the promise is the version the CFO received: record it first with `dealbrief sent ID` (adds sent:)"
    if deal.finance.go_live is None and deal.signed is None:
        yield ("realization",), "contract years start at finance.go_live, else at signed: add one of them"
