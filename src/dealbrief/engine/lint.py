"""The commercial lint: the risks that kill deals after a technical win, as findings and handoff questions.

Each rule (in :mod:`dealbrief.engine.rules`) is one small function registered with its code, slug and
summary — and, if it asks the AE something, the id of that question (``@rule(..., question="…")``).  A rule
yields :class:`Flag` (a finding) or :class:`Ask` (its question, worded with the deal's own facts).
Questions are asked first, because the handoff gate — and rule DB105 — depend on them.  A team can switch
a rule off or change the severity of its findings in ``dealbrief.toml`` (:mod:`dealbrief.engine.config`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Literal

from .. import fmt
from ..clock import today
from ..deal.load import Document
from ..deal.model import Deal
from ..errors import KeyPath, ci_mode, dotted
from .answers import Fact, Origins, moved
from .compute import Case
from .config import Config
from .realization import Progress

Severity = Literal["error", "warning", "question"]


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
class Question:
    """A question on the handoff checklist: asked by a rule, or by the sales engineer (``code`` None)."""

    id: str
    text: str
    owner: str
    blocking: bool
    answer: str | None
    code: str | None  # the rule that asked it; None for the SE's own questions
    line: int
    column: int
    facts: tuple[Fact, ...] = ()  # what the question states, which its answer holds for
    stale: str | None = None  # what moved since the answer was written: the answer no longer closes the question

    @property
    def answered(self) -> bool:
        return bool(self.answer) and self.stale is None


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


@dataclass(frozen=True)
class Flag:
    """A rule's finding in this deal, at ``path``."""

    path: KeyPath
    severity: Severity
    message: str


@dataclass(frozen=True)
class Ask:
    """A rule's question, worded for this deal; its id is the one the rule declares."""

    path: KeyPath
    text: str
    owner: str = "ae"
    blocking: bool = True  # a question after the signature does not hold the handoff gate
    facts: tuple[Fact, ...] = ()  # the figures and names the question states: an answer holds for these


@dataclass(frozen=True)
class Context:
    """What a rule sees: the deal, its business case, the team's settings, and (for the rules run last) the gate."""

    deal: Deal
    case: Case
    config: Config
    gate: Literal["open", "passed"] = "open"
    questions: tuple[Question, ...] = ()  # for the rules run last: every question, with its answer
    written: Mapping[KeyPath, str] = field(default_factory=dict)  # how each plain number or date was typed
    progress: Progress | None = None  # a won deal's realized value against the promise
    promise_problem: str | None = None  # why the promise could not be read
    sent_gate: Literal["open", "passed"] | None = None  # the handoff gate of the version sent, once one is recorded and read
    today: date = field(default_factory=today)

    def money(self, amount: Decimal) -> str:
        return fmt.money(amount, self.deal.currency, self.deal.locale)

    def money_fact(self, key: str, amount: Decimal, phrase: str = "%s") -> Fact:
        """An amount a question states, compared in whole currency units."""
        return Fact(key, f"{self.deal.currency} {fmt.whole(amount)}", phrase % self.money(amount))

    def share_fact(self, key: str, ratio: Decimal, phrase: str = "%s", digits: int = 1) -> Fact:
        """A share a question states, compared at the precision it shows."""
        return Fact(key, fmt.percent(ratio, "en", digits), phrase % fmt.percent(ratio, self.deal.locale, digits))


@dataclass(frozen=True)
class Rule:
    """A rule: what it checks, how it is named, and the question it asks (if it asks one)."""

    code: str
    slug: str
    summary: str
    question: str | None
    check: Callable[[Context], Iterator[Flag | Ask]]


RULES: list[Rule] = []


def rule(code: str, slug: str, summary: str, question: str | None = None) -> Callable[[Callable[[Context], Iterator[Flag | Ask]]], Rule]:
    """Register a rule; one that yields an :class:`Ask` must declare its ``question``, and only such a rule may.

    Checked when the rule is defined (from the names its code uses), so a question can never be lost unseen.
    """

    def register(check: Callable[[Context], Iterator[Flag | Ask]]) -> Rule:
        if ("Ask" in check.__code__.co_names) != (question is not None):
            raise TypeError(f"rule {code}: a rule that yields Ask(...) declares question=..., and only such a rule")
        RULES.append(Rule(code, slug, summary, question, check))
        return RULES[-1]

    return register


def standard_questions() -> tuple[str, ...]:
    """The ids of the questions the rules ask (a deal's ``handoff.answers`` may answer them)."""
    return tuple(r.question for r in RULES if r.question)


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
    rules = [r for r in RULES if r.code not in config.disabled]
    asked = [(r, item) for r in rules if r.question for item in r.check(context)]
    questions = [_question(document, deal, r, item, origins) for r, item in asked if isinstance(item, Ask)]
    for i, (question_id, q) in enumerate(zip(deal.handoff.question_ids(), deal.handoff.questions, strict=True)):
        answer = q.answer or deal.handoff.answers.get(question_id)
        facts = (Fact("question", q.ask, f"the question “{q.ask}”"),)
        where = document.locate(("handoff", "questions", i))
        stale = _stale(question_id, answer, facts, origins)
        questions.append(Question(question_id, q.ask, q.owner, q.blocking, answer, None, *where, facts, stale))
    passed = deal.handoff.meeting is not None and all(q.answered for q in questions if q.blocking)
    context = replace(context, gate="passed" if passed else "open", questions=tuple(questions))
    flagged = [(r, item) for r, item in asked if isinstance(item, Flag)]
    flagged += [(r, item) for r in rules if not r.question for item in r.check(context)]
    findings = [
        _finding(document, r, item.path, config.severity.get(r.code, item.severity), item.message)
        for r, item in flagged
        if isinstance(item, Flag)
    ]
    by_id = {q.id: q for q in questions}
    findings += [  # a rule's question is a finding while it is open: unanswered, or answered for facts that have moved
        _finding(document, r, item.path, "question", f"{q.stale}: answer again. {item.text}" if q.stale else item.text)
        for r, item in asked
        if isinstance(item, Ask) and not (q := by_id[r.question or ""]).answered
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
    return Finding(r.code, r.slug, severity, dotted(path), line, column, message, r.summary)


from . import rules as _rules  # noqa: E402, F401  (the rules register themselves)
