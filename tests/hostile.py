"""What hostile deal text looks like: a corpus of strings that try to become markup, code or terminal control, every
text field of the format to put them in, and the forms a CI runner reads as commands."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from .conftest import CLEAN, mutate

CORPUS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "<a href='javascript:alert(1)'>a</a>",
    "{: .evil onclick=alert(1) }",
    "{{ config }} {% raw %}",
    '#read("/etc/passwd")',
    '#import "secret.typ": *',
    '```{=typst}\n#read("x")\n```',
    '`#eval("1")`{=typst}',
    "[@cite2024]",
    "$x^2$ \\(\\LaTeX\\)",
    "\\input{/etc/passwd}",
    "<!-- hidden -->",
    "*bold* _em_ ~~gone~~ ==mark==",
    "| a | b |",
    "# heading",
    "![img](x.png)",
    # context breakers: each closes the element or attribute it might be printed in, then starts markup
    "Acme </title><script>alert(1)</script><title>",
    "</title><img src=x onerror=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "</style><script>alert(1)</script>",
    "--><script>alert(1)</script><!--",
    "]]><script>alert(1)</script>",
    '" onmouseover="alert(1)" x="',
    "' onfocus='alert(1)' autofocus='",
    "`onerror=alert(1)` ``<img src=x onerror=alert(1)>``",
    "<svg onload=alert(1)>",
    "javascript:alert(1)",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "<iframe srcdoc='<script>alert(1)</script>'>",
    # already escaped: a second unescape anywhere would make these markup
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&amp;lt;img src=x onerror=alert(1)&amp;gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "＜script＞alert(1)＜/script＞",
    "<<script>alert(1)//<</script>",
]


# What a file name can carry (anything but "/"): each is refused as an id, and its problems page must stay text.
HOSTILE_NAMES = ['<img src=x onerror="alert(1)">', '" onfocus="alert(1)" autofocus="', "javascript:alert(1)", "a&lt;b&gt;c"]


HARMLESS_NAMES = ["Invalid Name 1", "Invalid Name 2", "Invalid Name 3", "Invalid Name 4"]


# Every text field of the format, each given a value; the test below checks that none is missing.
EVERY_TEXT: dict[str, Any] = mutate(
    CLEAN,
    {
        "stage": "closed-won",
        "sent": {"date": date(2026, 8, 25), "file_hash": "0123456789ab"},
        "signed": date(2026, 9, 1),
        "realization": {
            "owner": "§",
            "measurements": [{"period": "2026-Q3", "driver": "fixed", "annual": 1000, "evidence": "§", "confirmed_by": "§"}],
        },
        "stakeholders.economic_buyer.engaged": False,
        "poc.scope": "§",
        "poc.scale.unit": "§",
        "poc.results.0.evidence": "§",
        "value.0.volume_unit": "§",
        "value.1": {"id": "fixed", "name": "§", "annual": 1000, "basis": "§"},
        "costs.recurring": [{"name": "§", "amount": 100}],
        "costs.units": {"unit": "§", "price": 100, "quantity": 10},
        "costs.commit": {"unit": "§", "amount": 100, "rate": 1, "usage": 120},
        "baseline.period": "§",
        "commercial": {"competitor": {"name": "§", "status": "incumbent", "note": "§"}, "notes": ["§"]},
        "handoff": {
            "meeting": date(2026, 8, 20),
            "answers": {"economic-buyer": "§"},
            "questions": [{"ask": "§", "owner": "§", "answer": "§"}],
        },
    },
)


TEXT_PATHS = [
    "customer",
    "title",
    "team.se",
    "team.ae",
    "stakeholders.champion.name",
    "stakeholders.champion.title",
    "stakeholders.validator.name",
    "stakeholders.validator.title",
    "stakeholders.economic_buyer.name",
    "stakeholders.economic_buyer.title",
    "baseline.period",
    "baseline.source",
    "baseline.problem",
    "poc.scope",
    "poc.scale.unit",
    "poc.technical_win.confirmed_by",
    "poc.results.0.metric",
    "poc.results.0.unit",
    "poc.results.0.evidence",
    "value.0.name",
    "value.0.volume_unit",
    "value.0.basis",
    "value.1.name",
    "value.1.basis",
    "costs.one_time.0.name",
    "costs.recurring.0.name",
    "costs.units.unit",
    "costs.commit.unit",
    "recommendation",
    "commercial.competitor.name",
    "commercial.competitor.note",
    "commercial.notes.0",
    "handoff.answers.economic-buyer",
    "handoff.questions.0.ask",
    "handoff.questions.0.owner",
    "handoff.questions.0.answer",
    "realization.owner",
    "realization.measurements.0.evidence",
    "realization.measurements.0.confirmed_by",
]


def with_text(text: Any) -> dict[str, Any]:
    return mutate(EVERY_TEXT, {path: text(path) for path in TEXT_PATHS})


FORGED = "::error file=README.md,line=1::Forged"


ESCAPES = "\x1b]0;PWNED\x07\x1b[31mRED\x1b]8;;http://evil.example\x07link\x1b]8;;\x07\x1b[2J\x9b31m"


def escaped(text: str) -> str:
    """``text`` as a YAML double-quoted string, every control character written as YAML's escape."""
    return json.dumps(text)
