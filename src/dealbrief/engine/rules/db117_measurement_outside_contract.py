"""Only the version sent values a measurement.  A period outside the contract or not over yet, a result or driver
the version sent did not have, or a result its driver then had no rate for, counts toward nothing — said as an error,
so nobody believes it counted."""

from __future__ import annotations

from collections.abc import Iterator

from ... import fmt
from ..realization import period
from . import SENT, Ask, Context, Flag, measured, rule, won


@rule(
    "DB117",
    "measurement-outside-contract",
    "A measurement that counts toward nothing: outside the contract, for a period not over yet, or not one the version sent can value.",
    severity="error",
    passing=won(measured({"period": "2026-Q3", "result": "rca-time", "value": 4, "volume": 2})),
    failing=won(measured({"period": "2027-Q1", "result": "rca-time", "value": 4, "volume": 2})),
    committed=SENT,
)
def _outside(c: Context) -> Iterator[Flag | Ask]:
    if c.progress is None or c.deal.realization is None:
        return
    start, end = fmt.long_date(c.progress.start, c.deal.locale), fmt.long_date(c.progress.end, c.deal.locale)
    measurements = c.deal.realization.measurements
    for u in c.progress.uncounted:
        m = measurements[u.index]
        key, message = {
            "outside": ("period", f"{m.period} is outside the contract ({start} to {end}): it counts toward nothing; check the period"),
            "unfinished": (
                "period",
                f"{m.period} is not over (it ends on {fmt.long_date(period(m.period).last, c.deal.locale)}): it counts toward "
                "nothing; measure a period once it has ended",
            ),
            "result": (
                "result",
                f"'{m.result}' was not a result in the version the CFO received, so nothing was promised for it and it counts "
                "toward nothing; measure a result of the promise (a renamed result keeps its old id)",
            ),
            "driver": (
                "driver" if m.driver else "result",
                f"'{m.driver or m.result}' was not in the version the CFO received, so nothing was promised for it and it counts "
                "toward nothing; measure a driver of the promise (a renamed driver keeps its old id)",
            ),
            "form": (
                "result",
                f"in the version the CFO received, '{u.driver}' does not turn '{m.result}' into money with a rate, so this "
                f"counts toward nothing; measure the money it brought instead (`driver: {u.driver}, annual: …`)",
            ),
        }[u.why]
        yield Flag(("realization", "measurements", u.index, key), "error", message)
