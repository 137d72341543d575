"""A measurement is money only through the promise: a measured POC result needs its value and volume and the one driver
that prices it with a rate, a measured driver its money a year; each is written as the cadence writes periods and
counted once.  Anything else would put a figure in the Value Report that nothing promised or that counts twice."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date

from ...errors import KeyPath
from ..model import LIMIT, PERIOD_EXAMPLES, PERIOD_PATTERNS, Deal
from . import Located, check

WON = {
    "stage": "closed-won",
    "sent": {"date": date(2026, 8, 20), "file_hash": "a" * 64},
    "signed": date(2026, 8, 30),
    "finance.go_live": date(2026, 9, 1),
    "handoff": {"meeting": date(2026, 8, 16)},
}
MEASURED = {"period": "2026-Q4", "result": "rca-time", "value": 4, "evidence": "Ticket export", "confirmed_by": "Priya Nair"}


@check(
    "measurement-form",
    "A measurement has one complete form, names a result or driver that exists, writes its period as the cadence does, and counts once.",
    passing={**WON, "realization": {"owner": "Casey Morgan", "measurements": [{**MEASURED, "volume": 6}]}},
    failing={**WON, "realization": {"owner": "Casey Morgan", "measurements": [MEASURED]}},
    reads=(("poc", "results", "*", "id"), ("value",)),
)
def measurements(deal: Deal, questions: Collection[str]) -> Located:
    """Each measurement has one form, names what exists, is written as its cadence writes periods, and is not counted twice."""
    if deal.realization is None:
        return
    cadence = deal.realization.cadence
    results, drivers = {r.id for r in deal.poc.results}, {d.id: d for d in deal.value}
    seen: set[tuple[str, str]] = set()
    for index, m in enumerate(deal.realization.measurements):
        path: KeyPath = ("realization", "measurements", index)
        if not re.fullmatch(PERIOD_PATTERNS[cadence], m.period):
            yield path + ("period",), f"the cadence is {cadence}: write the period like {PERIOD_EXAMPLES[cadence]}, found '{m.period}'"
        if m.result is not None:
            missing = [k for k in ("value", "volume") if getattr(m, k) is None]
            if m.annual is not None:
                yield path + ("annual",), "a measured result is turned into money by its driver: write value and volume, not annual"
            elif missing:
                yield (
                    path,
                    f"a measured result needs value (as measured) and volume (how often, in the period); missing {', '.join(missing)}",
                )
            if m.result not in results:
                yield path + ("result",), _unknown("a POC result", results, m.result)
                continue
            linked = [d.id for d in deal.value if d.result == m.result and d.form == "rate"]
            if m.driver is None and len(linked) != 1:
                which = f"name one of {', '.join(linked)} with driver:" if linked else "no driver turns it into money with a rate"
                yield path + ("result",), f"'{m.result}' is measured but {which}"
            elif m.driver is not None and m.driver not in linked:
                yield (
                    path + ("driver",),
                    f"'{m.driver}' does not turn '{m.result}' into money with a rate; {_unknown('a driver that does', linked, m.driver)}",
                )
        elif m.driver is not None:
            if m.annual is None:
                yield path, "a measured driver needs annual: the money it brought, as an amount a year"
            if m.value is not None or m.volume is not None:
                yield path, "value and volume measure a POC result: name it with result:, or measure the driver's money with annual"
            if m.driver not in drivers:
                yield path + ("driver",), _unknown("a value driver", drivers, m.driver)
        else:
            yield path, "expected a form: `result` + `value` + `volume`, or `driver` + `annual`"
        driver = m.driver or next((d.id for d in deal.value if d.result == m.result and d.form == "rate"), None)
        rated = next((d for d in deal.value if d.id == driver and d.rate is not None), None)
        result = next((r for r in deal.poc.results if r.id == m.result), None)
        if rated and result and m.value is not None and m.volume is not None and rated.rate is not None:
            if abs(result.before - m.value) * m.volume * rated.rate >= LIMIT:
                yield path, "gain × volume × rate is 10^15 or more; dealbrief computes with amounts below 10^15: check the value and volume"
        if driver is not None and (m.result is None or driver in [d.id for d in deal.value if d.result == m.result and d.form == "rate"]):
            if (m.period, driver) in seen:
                yield path + ("period",), f"'{driver}' is measured twice for {m.period}; combine the two, or correct the period"
            seen.add((m.period, driver))


def _unknown(what: str, known: Collection[str], found: str) -> str:
    return f"expected the id of {what} ({', '.join(sorted(known)) or 'none defined'}), found '{found}'"
