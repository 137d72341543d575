"""Once a summary is sent, the promise is that version, read from the git history by its file hash.  If no
committed version has that hash (or a short one names two), the clone is shallow, that version is no valid deal or its
currency changed, neither the summary the CFO received nor the promise can be shown."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from ...registry import COMMITTED
from . import SENT, Ask, Context, Flag, rule


@rule(
    "DB118",
    "promise-not-found",
    "The version named by sent.file_hash cannot be read: neither the summary the CFO received nor the promise can be shown.",
    severity="error",
    passing={**SENT, "stage": "summary-sent", "sent": {"date": date(2026, 8, 20), "file_hash": COMMITTED}},
    failing={**SENT, "stage": "summary-sent", "sent": {"date": date(2026, 8, 20), "file_hash": "0" * 64}},
    committed=SENT,
)
def _promise_not_found(c: Context) -> Iterator[Flag | Ask]:
    if c.promise_problem:
        yield Flag(("sent", "file_hash"), "error", c.promise_problem)
