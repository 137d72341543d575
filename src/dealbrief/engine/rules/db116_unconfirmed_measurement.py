"""A CFO trusts the customer's own evidence, confirmed by someone on their side.  A measurement without either is
an estimate, and the Value Report stays a DRAFT until every measurement is confirmed."""

from __future__ import annotations

from collections.abc import Iterator

from . import SENT, Ask, Context, Flag, measured, rule, won


@rule(
    "DB116",
    "unconfirmed-measurement",
    "A measurement without the customer's evidence or without who confirmed it.",
    severity="warning",
    passing=won(measured({"period": "2026-Q3", "result": "rca-time", "value": 4, "volume": 2})),
    failing=won({"realization.measurements": [{"period": "2026-Q3", "result": "rca-time", "value": 4, "volume": 2}]}),
    committed=SENT,
)
def _unconfirmed(c: Context) -> Iterator[Flag | Ask]:
    plan = c.deal.realization
    for i, m in enumerate(plan.measurements if plan else ()):
        missing = [name for name, value in (("evidence", m.evidence), ("confirmed_by", m.confirmed_by)) if not value]
        if missing:
            yield Flag(
                ("realization", "measurements", i),
                "warning",
                f"the {m.period} measurement has no {' and no '.join(missing)}: a CFO trusts the customer's own evidence, "
                "confirmed by someone on their side (the Value Report stays a DRAFT until every measurement is confirmed)",
            )
