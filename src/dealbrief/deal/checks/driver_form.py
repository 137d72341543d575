"""A value driver turns money into the business case in exactly one way — a POC result's gain × a volume × a rate, a
share of a base, or an amount a year — and the result it names must exist: a driver with two forms, or half of one,
would count money nobody can trace back to what the POC measured."""

from __future__ import annotations

from collections.abc import Collection

from ...errors import KeyPath
from ..model import Deal, Driver
from . import Located, check

# The keys that make each form of a value driver (see model.Driver).
FORMS = {"result × volume × rate": ("volume", "volume_per_unit", "rate"), "base × share": ("base", "share"), "annual": ("annual",)}


@check(
    "driver-form",
    "A value driver has one form, complete — result × volume × rate, base × share, or annual — and names a POC result that exists.",
    passing={"value.1": {"id": "retired-licences", "name": "Retired licences", "annual": 30000, "basis": "Current contract"}},
    failing={"value.0.share": 0.1},
    reads=(("poc", "results", "*", "id"), ("costs", "units"), ("costs", "commit")),
)
def driver_forms(deal: Deal, questions: Collection[str]) -> Located:
    results = {r.id for r in deal.poc.results}
    for index, driver in enumerate(deal.value):
        path: KeyPath = ("value", index)
        forms = {form: [k for k in keys if getattr(driver, k) is not None] for form, keys in FORMS.items()}
        used = [form for form, keys in forms.items() if keys]
        if len(used) > 1:
            found = ", ".join(k for form in used for k in forms[form])
            yield path, f"a driver has one form — result × volume × rate, base × share, or annual — not {' and '.join(used)} ({found})"
        elif not used:
            yield path, "expected a form: `result` + `volume` + `rate`, `base` + `share`, or `annual`"
        elif used == ["result × volume × rate"]:
            yield from _rate_form(driver, path)
        elif used == ["base × share"] and (driver.base is None or driver.share is None):
            yield path, f"expected `base` and `share` together; missing {'base' if driver.base is None else 'share'}"
        if driver.volume_per_unit is not None and deal.costs.units is None and deal.costs.commit is None:
            yield (
                path + ("volume_per_unit",),
                "volume_per_unit follows the units the deal is priced by, and there are none (nor a commitment's usage): "
                "add `units:` or `commit:` under costs, or write volume",
            )
        if driver.result is not None and driver.result not in results:
            yield (
                path + ("result",),
                f"expected the id of a POC result ({', '.join(sorted(results)) or 'none defined'}), found '{driver.result}'",
            )


def _rate_form(driver: Driver, path: KeyPath) -> Located:
    if driver.volume is not None and driver.volume_per_unit is not None:
        yield path + ("volume_per_unit",), "a driver has volume or volume_per_unit, not both"
    missing = [k for k in ("result", "rate") if getattr(driver, k) is None]
    missing += ["volume (or volume_per_unit)"] if driver.volume is None and driver.volume_per_unit is None else []
    if missing:
        yield path, f"expected `result` + `volume` + `rate`; missing {', '.join(missing)}"
