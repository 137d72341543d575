"""The commercial lint: the risks that kill deals after a technical win, as findings and handoff questions.

Each rule is a module of :mod:`dealbrief.engine.rules`: one small function registered with its code, slug and
summary — and, if it asks the AE something, the id of that question (``@rule(..., question="…")``).  A rule
yields :class:`Flag` (a finding) or :class:`Ask` (its question, worded with the deal's own facts).
Questions are asked first, because the handoff gate — and rule DB105 — depend on them.  A team can switch
a rule off or change the severity of its findings in ``dealbrief.toml`` (:mod:`dealbrief.engine.config`).

:data:`RULES` is the whole registry (:mod:`dealbrief.registry`): the format's checks (:mod:`dealbrief.deal.checks`,
run by :func:`dealbrief.deal.validate.validate`) and the lint's rules, in the order of their codes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from ..deal.load import Document
from ..deal.model import Deal
from ..deal.validate import FORMAT
from ..errors import KeyPath, ci_mode, dotted
from ..registry import Rule, discover, ordered
from . import rules as lint_rules
from .answers import Fact, Origins, moved
from .compute import Case
from .realization import Progress
from .rules import Ask, Context, Flag, Question, Severity, rule

if TYPE_CHECKING:  # the settings check their rule codes against this registry: it needs only their type
    from .config import Config

__all__ = [
    "LINT",
    "RULES",
    "Ask",
    "Context",
    "Finding",
    "Flag",
    "Question",
    "Review",
    "Rule",
    "Severity",
    "review",
    "rule",
    "standard_questions",
]

LINT = discover(lint_rules)  # the lint phase, run by review()
RULES: list[Rule] = [*ordered(FORMAT + LINT)]  # every rule of dealbrief: what `dealbrief rules` lists and the docs describe


@dataclass(frozen=True)
class Finding:
    """A flag or an open question, located in the deal file, as ``check`` reports it."""

    code: str
    slug: str
    severity: Severity
    key: str
    line: int
    column: int
    message: str  # about this deal: what the site's handoff page shows
    summary: str = ""  # the rule's own words, naming no deal fact

    def logged(self) -> str:
        """The message for a terminal or a log: in CI (widely read logs) the rule's summary, so no deal fact is printed."""
        return self.summary if ci_mode() and self.summary else self.message


@dataclass(frozen=True)
class Review:
    """What the AE must know: findings, the handoff questions and the gate."""

    findings: tuple[Finding, ...]
    questions: tuple[Question, ...]
    gate: Literal["open", "passed"]

    @property
    def open_blocking(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.blocking and not q.answered)

    def count(self, severity: Severity) -> int:
        return sum(f.severity == severity for f in self.findings)


def standard_questions() -> tuple[str, ...]:
    """The ids of the questions the rules ask (a deal's ``handoff.answers`` may answer them)."""
    return tuple(r.question for r in LINT if r.question)


def review(
    document: Document,
    deal: Deal,
    case: Case,
    config: Config,
    progress: Progress | None = None,
    promise_problem: str | None = None,
    origins: Origins | None = None,
    sent_gate: Literal["open", "passed"] | None = None,
) -> Review:
    """Run every rule the team has not switched off; close questions with ``handoff.answers`` whose facts still hold (where
    each answer was written, from ``origins``); decide the gate."""
    context = Context(deal, case, config, written=document.written, progress=progress, promise_problem=promise_problem, sent_gate=sent_gate)
    rules = [r for r in LINT if r.code not in config.disabled]
    asked = [(r, item) for r in rules if r.question for item in r.check(context)]
    questions = [_question(document, deal, r, item, origins) for r, item in asked if isinstance(item, Ask)]
    for i, (question_id, own) in enumerate(zip(deal.handoff.question_ids(), deal.handoff.questions, strict=True)):
        answer = own.answer or deal.handoff.answers.get(question_id)
        facts = (Fact("question", own.ask, f"the question “{own.ask}”"),)
        where = document.locate(("handoff", "questions", i))
        stale = _stale(question_id, answer, facts, origins)
        questions.append(Question(question_id, own.ask, own.owner, own.blocking, answer, None, *where, facts, stale))
    passed = deal.handoff.meeting is not None and all(q.answered for q in questions if q.blocking)
    context = replace(context, gate="passed" if passed else "open", questions=tuple(questions))
    flagged = [(r, item) for r, item in asked if isinstance(item, Flag)]
    flagged += [(r, item) for r in rules if not r.question for item in r.check(context)]
    findings = [
        _finding(document, r, item.path, config.severity.get(r.name, item.severity), item.message)
        for r, item in flagged
        if isinstance(item, Flag)
    ]
    by_id = {q.id: q for q in questions}
    findings += [  # a rule's question is a finding while it is open: unanswered, or answered for facts that have moved
        _finding(document, r, item.path, "question", f"{question.stale}: answer again. {item.text}" if question.stale else item.text)
        for r, item in asked
        if isinstance(item, Ask) and not (question := by_id[r.question or ""]).answered
    ]
    findings.sort(key=lambda f: (f.line, f.column, f.code))
    return Review(tuple(findings), tuple(questions), context.gate)


def _question(document: Document, deal: Deal, r: Rule, ask: Ask, origins: Origins | None) -> Question:
    line, column = document.locate(ask.path)
    assert r.question
    answer = deal.handoff.answers.get(r.question)
    stale = _stale(r.question, answer, ask.facts, origins)
    return Question(r.question, ask.text, ask.owner, ask.blocking, answer, r.code, line, column, ask.facts, stale)


def _stale(question_id: str, answer: str | None, facts: tuple[Fact, ...], origins: Origins | None) -> str | None:
    """What moved since ``answer`` was written, if its facts no longer hold; None for an answer written in the working tree."""
    origin = origins(question_id, answer) if answer and origins else None
    return moved(origin, facts) if origin else None


def _finding(document: Document, r: Rule, path: KeyPath, severity: Severity, message: str) -> Finding:
    """A located finding, with its rule's summary for what is printed in CI (see :meth:`Finding.logged`)."""
    line, column = document.locate(path)
    return Finding(r.name, r.slug, severity, dotted(path), line, column, message, r.summary)
