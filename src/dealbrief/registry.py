"""The rule registry: every rule of dealbrief in a module of its own, found by looking in its package.

A rule has a phase.  ``format`` rules (:mod:`dealbrief.deal.checks`) are the checks across keys that make a deal
invalid, each problem located; ``lint`` rules (:mod:`dealbrief.engine.rules`) are the commercial risks, reported as
findings and handoff questions.  A rule's module holds everything about it: its code (every lint rule; a format
check only if it had one as a lint rule), its slug, its default severity, the question it asks, a one-line summary,
its rationale (the module's docstring: why it matters) and two examples — changes to the clean deal
(``tests/conftest.py``'s ``CLEAN``) under which it passes and fails, which a test runs.

Adding a rule is adding its module: :func:`discover` imports every module of a package, in the order of the codes.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import ModuleType
from typing import Any, Literal

from .errors import KeyPath

Phase = Literal["format", "lint"]
Severity = Literal["error", "warning", "question"]

COMMITTED = "<hash of the committed version>"  # in an example, stands for the file hash of the rule's committed version
EXAMPLES_DAY = date(2027, 1, 15)  # "today" when the examples run: late enough for a won deal's first periods to be over


@dataclass(frozen=True)
class Rule:
    """A rule, as its module declares it."""

    code: str | None  # DB1xx; None for a format check that never had a code (named by its slug)
    slug: str
    phase: Phase
    severity: Severity  # of its findings before a team's dealbrief.toml (a format check's problems make the deal invalid)
    summary: str  # one line, naming no deal fact: what CI logs print
    question: str | None  # the id of the handoff question it asks, if it asks one
    rationale: str  # why it matters: its module's docstring
    passing: Mapping[str, Any]  # changes to the clean deal under which it finds nothing
    failing: Mapping[str, Any]  # changes to the clean deal under which it fires
    check: Callable[..., Iterator[Any]] = field(repr=False)
    committed: Mapping[str, Any] | None = None  # a version committed before either example (changes to the clean deal)
    reads: tuple[KeyPath, ...] = ()  # format checks: the keys it relies on (skipped when one could not be read)

    @property
    def name(self) -> str:
        """How the rule is named: its code, else its slug."""
        return self.code or self.slug


def rule(
    code: str | None,
    slug: str,
    summary: str,
    question: str | None = None,
    *,
    phase: Phase = "lint",
    severity: Severity | None = None,
    passing: Mapping[str, Any] | None = None,
    failing: Mapping[str, Any] | None = None,
    committed: Mapping[str, Any] | None = None,
    reads: tuple[KeyPath, ...] = (),
) -> Callable[[Callable[..., Iterator[Any]]], Rule]:
    """Make the decorated check a :class:`Rule` whose rationale is its module's docstring (a question rule's findings are
    questions unless it says otherwise)."""

    def make(check: Callable[..., Iterator[Any]]) -> Rule:
        module = sys.modules.get(check.__module__)
        rationale = _unwrapped(module.__doc__ or "") if module else ""
        level: Severity = severity or ("question" if question else "warning")
        return Rule(code, slug, phase, level, summary, question, rationale, passing or {}, failing or {}, check, committed, reads)

    return make


def _unwrapped(docstring: str) -> str:
    """A docstring's paragraphs, each on one line."""
    return "\n\n".join(" ".join(paragraph.split()) for paragraph in inspect.cleandoc(docstring).split("\n\n"))


def ordered(rules: Iterable[Rule]) -> tuple[Rule, ...]:
    """By code; rules without one after them, by slug."""
    return tuple(sorted(rules, key=lambda r: (r.code is None, r.code or "", r.slug)))


def discover(package: ModuleType) -> tuple[Rule, ...]:
    """The rule of each module in ``package`` (one each), in :func:`ordered` order."""
    found: list[Rule] = []
    for info in pkgutil.iter_modules(package.__path__, f"{package.__name__}."):
        module = importlib.import_module(info.name)
        rules = [value for value in vars(module).values() if isinstance(value, Rule) and value.check.__module__ == info.name]
        if len(rules) != 1:
            raise TypeError(f"{info.name}: a rule module holds one rule, found {len(rules)}")
        found += rules
    return ordered(found)
