"""The lint's questions have ids of their own (``price-defense``, ``scale-commitment``…) that ``handoff.answers``
answers.  A custom question under one of those ids would be confused with the generated one, and an answer under an id
no question has (a typo) would leave its question open while the author believes it answered."""

from __future__ import annotations

import difflib
from collections.abc import Collection

from ..model import Deal
from . import Located, check


@check(
    "question-ids",
    "A custom question takes a generated question's id, or an answer names no question.",
    passing={"handoff": {"answers": {"scale-commitment": "Signed LOI for 400 agents"}}},
    failing={"handoff": {"answers": {"scale-comitment": "Signed LOI for 400 agents"}}},
    reads=(("handoff", "questions", "*", "id"),),
)
def question_ids(deal: Deal, questions: Collection[str]) -> Located:
    """The deal's own questions keep clear of the rules' ids, and every answer names a question."""
    for index, question in enumerate(deal.handoff.questions):
        if question.id in questions:
            yield (
                ("handoff", "questions", index, "id"),
                f"'{question.id}' is a generated question's id; answer it in handoff.answers instead",
            )
    known = set(questions) | set(deal.handoff.question_ids())
    for answer_id in deal.handoff.answers:
        if answer_id not in known:
            close = difflib.get_close_matches(answer_id, sorted(known), n=1)
            hint = f"did you mean `{close[0]}`? " if close else ""
            yield ("handoff", "answers", answer_id), f"no question has this id; {hint}expected one of: {', '.join(sorted(known))}"
