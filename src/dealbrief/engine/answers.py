"""An answer holds for the facts it answered: when its question's facts have moved since, the answer is stale.

A handoff question states facts — a discount and its floor, the units planned, tested and committed and the money they
move, the competitor and its status, the economic buyer, a custom question's own text.  The answer is written as text,
by question id (``handoff.answers``, or a custom question's ``answer``); the version in which it was written is read
from the git history — the oldest committed version that holds the same answer, on any branch merged and under any
name the file had — and that version's questions are asked again.  An answer edited in the working tree holds for the
working tree's facts.  Facts are compared as values at the precision the question shows them, never as wording, so a
change in dealbrief's words or a translation never reopens an answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..deal.load import Document, parse
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
    """Where an answer was written: that commit's date, and its question's facts then (None: not asked then, or unreadable)."""

    day: date
    facts: tuple[Fact, ...] | None
    readable: bool = True  # False: that version is no valid deal, so the facts it answered cannot be known


Origins = Callable[[str, str], "Origin | None"]  # (question id, answer) → where it was written; None: the working tree's


def moved(origin: Origin, facts: tuple[Fact, ...]) -> str | None:
    """What moved since the answer was written, as ``check`` says it; None when its facts still hold."""
    if origin.facts is not None and {(f.key, f.value) for f in origin.facts} == {(f.key, f.value) for f in facts}:
        return None
    now = " and ".join(f.phrase for f in facts)
    if not origin.readable:
        return f"answered on {origin.day.isoformat()} in a version that is no valid deal, so for facts that cannot be known; now {now}"
    if origin.facts is None:
        return f"answered on {origin.day.isoformat()}, before this question was asked; now {now}"
    keys = {f.key: f.value for f in origin.facts}
    changed = [f for f in facts if keys.get(f.key) != f.value]
    then = {f.key: f for f in origin.facts}
    was = " and ".join(then[f.key].phrase for f in changed if f.key in then) or " and ".join(f.phrase for f in origin.facts)
    return f"answered for {was} on {origin.day.isoformat()}; now {' and '.join(f.phrase for f in changed) or now}"


def written_answers(document: Document) -> dict[str, str]:
    """The answers a deal file holds, by question id, as written (an answer typed as a date or a number is its text, as
    validation reads it), read leniently: an earlier version may be invalid."""
    handoff = document.data.get("handoff")
    if not isinstance(handoff, dict):
        return {}

    def text(value: Any, path: tuple[str | int, ...]) -> str | None:
        return value if isinstance(value, str) else document.written.get(path)

    answers = handoff.get("answers")
    found = {k: text(v, ("handoff", "answers", k)) for k, v in answers.items()} if isinstance(answers, dict) else {}
    questions = handoff.get("questions")
    for index, question in enumerate(questions if isinstance(questions, list) else [], start=1):
        if isinstance(question, dict) and "answer" in question:
            found[str(question.get("id") or f"custom-{index}")] = text(question["answer"], ("handoff", "questions", index - 1, "answer"))
    return {k: v for k, v in found.items() if v is not None}


class AnswerOrigins:
    """Finds, for file ``name`` in ``history``, where each answer was last written; ``facts_of`` asks a version's questions
    again (each question's facts by id, or None for a version that is no valid deal)."""

    def __init__(self, history: History, name: str, facts_of: Callable[[bytes], dict[str, tuple[Fact, ...]] | None]) -> None:
        self.history, self.name, self.facts_of = history, name, facts_of

    def __call__(self, question_id: str, answer: str) -> Origin | None:
        """The oldest committed version holding ``answer`` (on any branch merged, under any name the file had): the facts
        it was first written for. An answer written again, word for word, after it was changed counts from its first
        writing too — the safe side: reword it to answer again."""
        holding = [v for v in self.history.versions(self.name) if self._remembered("answers", v, _answers).get(question_id) == answer]
        if not holding:
            return None  # written in the working tree: it holds for the working tree's facts
        first = holding[-1]
        facts = self._remembered("facts", first, self.facts_of)
        return Origin(first.day, facts.get(question_id) if facts is not None else None, facts is not None)

    def _remembered(self, what: str, version: Version, derive: Callable[[bytes], Any]) -> Any:
        entry = (what, version.blob)
        if entry not in self.history.memo:
            self.history.memo[entry] = derive(self.history.contents([version.blob])[0])
        return self.history.memo[entry]


def _answers(raw: bytes) -> dict[str, str]:
    try:
        return written_answers(parse(raw, ""))
    except InvalidDeal:
        return {}
