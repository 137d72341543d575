"""A result that got worse than the baseline, or missed the target agreed before the POC, is not a technical win,
whatever the rest of the case says.  The summary must not present it as one."""

from __future__ import annotations

from collections.abc import Iterator

from . import Ask, Context, Flag, rule


@rule(
    "DB109",
    "result-regressed",
    "A POC result got worse than its baseline, or missed its agreed target.",
    severity="error",
    passing={"poc.results.0.after": 3},
    failing={"poc.results.0.after": 5},
)
def _regressed(c: Context) -> Iterator[Flag | Ask]:
    for i, r in enumerate(c.deal.poc.results):
        worse = r.is_better(r.before, r.after)
        missed = r.target is not None and r.is_better(r.target, r.after)
        if worse:
            yield Flag(
                ("poc", "results", i, "after"), "error", f"'{r.metric}' got worse: {r.before} → {r.after} {r.unit} ({r.better} is better)"
            )
        elif missed:
            yield Flag(("poc", "results", i, "after"), "error", f"'{r.metric}' missed its target: {r.after} {r.unit} against {r.target}")
