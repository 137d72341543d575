"""An answer holds for the question it answered.  A custom handoff question reworded after its answer was written
is a new question: its old answer no longer closes it, and the gate stays open until it is answered again."""

from __future__ import annotations

from collections.abc import Iterator

from . import Ask, Context, Flag, rule

PROCUREMENT = {"ask": "Is procurement on board?", "answer": "Yes, PO route agreed"}


@rule(
    "DB122",
    "stale-answer",
    "A custom handoff question was answered for an earlier wording of it: its answer no longer holds.",
    severity="question",
    passing={"handoff.questions": [PROCUREMENT]},
    failing={"handoff.questions": [{**PROCUREMENT, "ask": "Is procurement on board for three years?"}]},
    committed={"handoff.questions": [PROCUREMENT]},
)
def _stale_custom_answer(c: Context) -> Iterator[Flag | Ask]:
    custom = [q for q in c.questions if q.code is None]
    for i, q in enumerate(custom):
        if q.stale:
            yield Flag(("handoff", "questions", i), "question", f"{q.stale}: answer it again")
