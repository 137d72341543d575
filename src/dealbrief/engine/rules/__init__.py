"""The commercial lint's rules, one module each, and what a rule is written with.

A rule's module (``db102_scale_gap.py``) holds its check, registered with :func:`rule`: its code, slug, one-line
summary, the id of the question it asks (if it asks one), its default severity and a passing and a failing example;
its docstring is its rationale.  The check sees a :class:`Context` and yields :class:`Flag` findings or its
:class:`Ask` (the question, worded with the deal's own facts).  :mod:`dealbrief.engine.lint` finds the modules and runs
them; see :mod:`dealbrief.registry`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from ... import fmt
from ...clock import today
from ...deal.model import Deal
from ...errors import KeyPath
from ...registry import COMMITTED, Rule, Severity
from ...registry import rule as registered
from ..answers import Fact
from ..compute import Case
from ..realization import Progress

if TYPE_CHECKING:  # the settings name the rules (dealbrief.toml's disable and severity): the rules need only their type
    from ..config import Config

Check = Callable[["Context"], Iterator["Flag | Ask"]]


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


def rule(
    code: str,
    slug: str,
    summary: str,
    question: str | None = None,
    *,
    severity: Severity | None = None,
    passing: Mapping[str, Any] | None = None,
    failing: Mapping[str, Any] | None = None,
    committed: Mapping[str, Any] | None = None,
) -> Callable[[Check], Rule]:
    """Make a lint rule; one that yields an :class:`Ask` must declare its ``question``, and only such a rule may.

    Checked when the rule is defined (from the names its code uses), so a question can never be lost unseen.
    """

    def register(check: Check) -> Rule:
        if ("Ask" in check.__code__.co_names) != (question is not None):
            raise TypeError(f"rule {code}: a rule that yields Ask(...) declares question=..., and only such a rule")
        made = registered(code, slug, summary, question, severity=severity, passing=passing, failing=failing, committed=committed)
        return made(check)

    return register


# --- how a question states what a figure does -------------------------------------------------------------------------


def _exact(number: Decimal) -> str:
    """A number as compared: its value, however it was typed (400 and 400.0 are one number)."""
    return format(number.normalize(), "f")


def _whole(amounts: tuple[Decimal, ...]) -> str:
    """Amounts a question states, as compared: in whole currency units."""
    return ",".join(str(fmt.whole(amount)) for amount in amounts)


def _moves(what: str, before: Decimal, after: Decimal, c: Context) -> str:
    """``the contract falls from A to B``: the verb says which way the figure goes."""
    if before == after:
        return f"{what} stays at {c.money(before)}"
    return f"{what} {'falls' if after < before else 'rises'} from {c.money(before)} to {c.money(after)}"


# --- examples after the signature -------------------------------------------------------------------------------------

# The version the CFO received: the clean deal once its handoff meeting was held, live from 1 September 2026.
SENT: dict[str, Any] = {"handoff": {"meeting": date(2026, 8, 16)}, "finance.go_live": date(2026, 9, 1)}


def won(changes: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """An example's changes to the clean deal: won after sending the committed version (:data:`SENT`), then ``changes``."""
    return {
        **SENT,
        "stage": "closed-won",
        "sent": {"date": date(2026, 8, 20), "file_hash": COMMITTED},
        "signed": date(2026, 8, 30),
        "realization": {"owner": "Casey Morgan", "measurements": []},
        **(changes or {}),
    }


def measured(*items: Mapping[str, Any]) -> dict[str, Any]:
    """Measurements, each with the customer's evidence and who confirmed it."""
    return {"realization.measurements": [{"evidence": "Ticket export", "confirmed_by": "Priya Nair", **item} for item in items]}
