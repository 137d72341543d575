"""A price deeper below list than the deal desk's floor needs an approved exception, and something the customer
gives in return.  Without one, the deal is stopped at order booking, after the CFO has seen the price."""

from __future__ import annotations

from collections.abc import Iterator

from ... import fmt
from . import Ask, Context, Flag, rule


@rule(
    "DB107",
    "discount-beyond-floor",
    "The discount off list is deeper than the deal desk's floor.",
    question="price-defense",
    severity="question",
    passing={"costs.list_price": 240000, "commercial": {"discount_floor": 0.2}},
    failing={"costs.list_price": 300000, "commercial": {"discount_floor": 0.2}},
)
def _discount(c: Context) -> Iterator[Flag | Ask]:
    floor, discount = c.deal.commercial.discount_floor, c.case.discount
    if floor is not None and discount is not None and discount > floor:
        locale = c.deal.locale
        costs = c.deal.costs
        element = (  # the price that carries the discount, where the reader looks for it
            ("units", "price")
            if costs.units and costs.units.list_price
            else ("commit", "rate")
            if costs.commit and costs.commit.list_rate
            else ("license", "amount")
            if costs.license
            else ("subscription",)
        )
        yield Ask(
            ("costs", *element),
            f"The proposed price is {fmt.percent(discount, locale, 1)} off list, beyond the {fmt.percent(floor, locale, 1)} "
            f"the deal desk approved. Is the exception approved, and what does the customer give in return?",
            owner="deal-desk",
            facts=(c.share_fact("discount", discount, "%s off list"), c.share_fact("floor", floor, "a floor of %s")),
        )
