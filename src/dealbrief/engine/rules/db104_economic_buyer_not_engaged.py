"""The person who signs the purchase order decides on the business case, not on the POC.  If nobody is named as
economic buyer, or they have not been engaged, the case reaches them second-hand — or not at all."""

from __future__ import annotations

from collections.abc import Iterator

from ..answers import Fact
from . import Ask, Context, Flag, rule


@rule(
    "DB104",
    "economic-buyer-not-engaged",
    "No economic buyer is named, or they have not been engaged.",
    question="economic-buyer",
    severity="question",
    passing={"stakeholders.economic_buyer": {"name": "Morgan Blake", "title": "CFO", "engaged": True}},
    failing={"stakeholders.economic_buyer.engaged": False},
)
def _economic_buyer(c: Context) -> Iterator[Flag | Ask]:
    buyer = c.deal.stakeholders.economic_buyer
    if buyer is None:
        yield Ask(
            ("stakeholders",),
            "No economic buyer is named. Who signs the purchase order, and have they seen the numbers?",
            facts=(Fact("economic buyer", "", "no economic buyer named"),),
        )
    elif not buyer.engaged:
        who = f"{buyer.name} ({buyer.title})" if buyer.title else buyer.name
        yield Ask(
            ("stakeholders", "economic_buyer", "engaged"),
            f"{who} has not been engaged. Who walks {buyer.name} through this case, and when?",
            facts=(Fact("economic buyer", buyer.name, f"{buyer.name} as economic buyer"),),
        )
