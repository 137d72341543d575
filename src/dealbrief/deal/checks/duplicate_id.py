"""POC results, value drivers and handoff questions are named by their ids: drivers link results, measurements and
answers link drivers and questions.  Two items with one id would make every such link ambiguous."""

from __future__ import annotations

from collections.abc import Collection

from ...errors import KeyPath
from ..model import Deal
from . import Located, check


@check(
    "duplicate-id",
    "Two POC results, value drivers or handoff questions share an id.",
    passing={"value.1": {"id": "retired-licences", "name": "Retired licences", "annual": 30000, "basis": "Current contract"}},
    failing={"value.1": {"id": "outage-cost", "name": "Retired licences", "annual": 30000, "basis": "Current contract"}},
)
def unique_ids(deal: Deal, questions: Collection[str]) -> Located:
    groups: list[tuple[KeyPath, list[str | None]]] = [
        (("poc", "results"), [r.id for r in deal.poc.results]),
        (("value",), [d.id for d in deal.value]),
        (("handoff", "questions"), [q.id for q in deal.handoff.questions]),
    ]
    for path, ids in groups:
        seen: set[str] = set()
        for index, item_id in enumerate(ids):
            if item_id in seen:
                yield path + (index, "id"), f"duplicate id '{item_id}'; ids must be unique"
            if item_id is not None:
                seen.add(item_id)
