"""An answer holds for the facts it answered: when its question's facts have moved since, the answer is stale.

A handoff question states facts — a discount and its floor, the units planned, tested and committed and the money they
move, the competitor and its status, the economic buyer, a custom question's own text.  The answer is written as text,
by question id (``handoff.answers``, or a custom question's ``answer``); the version in which it was last written is
read from the git history — the oldest of the versions, back from the newest, that hold the same answer — and that
version's questions are asked again.  An answer edited in the working tree holds for the working tree's facts.  Facts
are compared as values at the precision the question shows them, never as wording, so a change in dealbrief's words or
a translation never reopens an answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..deal.load import parse
from ..errors import InvalidDeal
from .history import History, Version


@dataclass(frozen=True)
class Fact:
    """A figure or name a question states: compared by ``key`` and ``value`` (locale-free), said as ``phrase``."""

    key: str
    value: str
    phrase: str


@dataclass(frozen=True)
class Origin:
    """Where an answer was last written: that commit's date, and its question's facts then (None: not asked then)."""

    day: date
    facts: tuple[Fact, ...] | None


Origins = Callable[[str, str], "Origin | None"]  # (question id, answer) → where it was written; None: the working tree's


def moved(origin: Origin, facts: tuple[Fact, ...]) -> str | None:
    """What moved since the answer was written, as ``check`` says it; None when its facts still hold."""
    if origin.facts is not None and {(f.key, f.value) for f in origin.facts} == {(f.key, f.value) for f in facts}:
        return None
    now = " and ".join(f.phrase for f in facts)
    if origin.facts is None:
        return f"answered on {origin.day.isoformat()}, before this question was asked; now {now}"
    keys = {f.key: f.value for f in origin.facts}
    changed = [f for f in facts if keys.get(f.key) != f.value]
    then = {f.key: f for f in origin.facts}
    was = " and ".join(then[f.key].phrase for f in changed if f.key in then) or " and ".join(f.phrase for f in origin.facts)
    return f"answered for {was} on {origin.day.isoformat()}; now {' and '.join(f.phrase for f in changed) or now}"


def written_answers(data: Any) -> dict[str, str]:
    """The answers a deal file's data holds, by question id, read leniently (an earlier version may be invalid)."""
    handoff = data.get("handoff") if isinstance(data, dict) else None
    if not isinstance(handoff, dict):
        return {}
    answers = handoff.get("answers")
    found = {k: v for k, v in answers.items() if isinstance(v, str)} if isinstance(answers, dict) else {}
    questions = handoff.get("questions")
    for index, question in enumerate(questions if isinstance(questions, list) else [], start=1):
        if isinstance(question, dict) and isinstance(question.get("answer"), str):
            found[str(question.get("id") or f"custom-{index}")] = question["answer"]
    return found


class AnswerOrigins:
    """Finds, for file ``name`` in ``history``, where each answer was last written; ``facts_of`` asks a version's questions
    again (each question's facts by id, or None for a version that is no valid deal)."""

    def __init__(self, history: History, name: str, facts_of: Callable[[bytes], dict[str, tuple[Fact, ...]] | None]) -> None:
        self.history, self.name, self.facts_of = history, name, facts_of

    def __call__(self, question_id: str, answer: str) -> Origin | None:
        run = []
        for version in self.history.versions(self.name):  # newest first
            if self._remembered("answers", version, _answers).get(question_id) != answer:
                break
            run.append(version)
        for version in reversed(run):  # where it was written, else the first version after it that is a valid deal
            facts = self._remembered("facts", version, self.facts_of)
            if facts is not None:
                return Origin(version.day, facts.get(question_id))
        return None

    def _remembered(self, what: str, version: Version, derive: Callable[[bytes], Any]) -> Any:
        entry = (what, version.blob)
        if entry not in self.history.memo:
            self.history.memo[entry] = derive(self.history.contents([version.blob])[0])
        return self.history.memo[entry]


def _answers(raw: bytes) -> dict[str, str]:
    try:
        return written_answers(parse(raw, "").data)
    except InvalidDeal:
        return {}
