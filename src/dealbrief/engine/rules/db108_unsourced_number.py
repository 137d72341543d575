"""Finance asks where every number comes from.  A value driver without a basis, or a baseline without a source,
is a number the CFO's analyst will strike out, and the case with it."""

from __future__ import annotations

from collections.abc import Iterator

from . import Ask, Context, Flag, rule


@rule(
    "DB108",
    "unsourced-number",
    "A value driver without a basis, or a baseline without a source.",
    severity="warning",
    passing={"value.0.basis": "Finance incident cost model, 2026"},
    failing={"value.0.basis": None},
)
def _unsourced(c: Context) -> Iterator[Flag | Ask]:
    if c.deal.baseline.source is None:
        yield Flag(
            ("baseline", "source"), "warning", "the baseline has no source; say whose data it is (e.g. the customer's ticket export)"
        )
    for i, driver in enumerate(c.deal.value):
        if driver.basis is None:
            yield Flag(("value", i), "warning", f"'{driver.name}' has no basis; say where its numbers come from")
