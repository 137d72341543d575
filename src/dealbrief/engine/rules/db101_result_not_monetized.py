"""A POC result that no value driver turns into money is a technical win with no commercial metric: the CFO
signs for money saved or earned, not for a faster query.  Before the technical win it is a warning (the case is being
built); from then on an error, because the summary would praise a result its figures ignore."""

from __future__ import annotations

from collections.abc import Iterator

from . import Ask, Context, Flag, Severity, rule

UPTIME = {"id": "uptime", "metric": "Uptime", "unit": "%", "better": "higher", "before": 99, "after": 99.9}


@rule(
    "DB101",
    "result-not-monetized",
    "A POC result no value driver links: a technical win with no commercial metric.",
    severity="error",
    passing={
        "poc.results.1": UPTIME,
        "value.1": {
            "id": "fewer-outages",
            "name": "Fewer outages",
            "result": "uptime",
            "volume": 2,
            "rate": 10000,
            "basis": "Finance estimate",
        },
    },
    failing={"poc.results.1": UPTIME},
)
def _result_not_monetized(c: Context) -> Iterator[Flag | Ask]:
    linked = {d.result for d in c.deal.value}
    severity: Severity = "error" if c.deal.reached("technical-win") else "warning"
    for i, result in enumerate(c.deal.poc.results):
        if result.id not in linked:
            yield Flag(
                ("poc", "results", i, "id"),
                severity,
                f"the POC proved '{result.metric}' but no value driver turns it into money; "
                f"add a driver with `result: {result.id}`, a volume and a rate",
            )
