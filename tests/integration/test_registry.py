"""The rule registry: each rule a module with everything about it, and each rule's examples run.

Nothing here lists the rules: a rule added as a module is checked, and its examples run, without editing this file.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from dealbrief.cli import main
from dealbrief.deal.load import parse
from dealbrief.deal.model import Deal
from dealbrief.deal.validate import FORMAT
from dealbrief.engine.config import Config
from dealbrief.engine.history import file_hash
from dealbrief.engine.lint import LINT, RULES, standard_questions
from dealbrief.engine.pipeline import Report, analyse
from dealbrief.errors import dotted
from dealbrief.registry import COMMITTED, EXAMPLES_DAY, Rule

from ..conftest import CLEAN, GIT_AUTHOR, ExactDumper, mutate


def ids(rules: tuple[Rule, ...] | list[Rule]) -> list[str]:
    return [r.name for r in rules]


def test_the_registry_is_both_phases_in_the_order_of_the_codes() -> None:
    assert sorted(ids(RULES)) == sorted(ids(FORMAT) + ids(LINT))
    coded = [r.code for r in RULES if r.code]
    assert coded == sorted(coded) and len(set(coded)) == len(coded)
    assert [r.slug for r in RULES if not r.code] == sorted(r.slug for r in RULES if not r.code)  # after the codes, by slug
    assert RULES.index(next(r for r in RULES if not r.code)) == len(coded)
    slugs = [r.slug for r in RULES]
    assert len(set(slugs)) == len(slugs)
    assert {r.phase for r in FORMAT} == {"format"} and {r.phase for r in LINT} == {"lint"}


@pytest.mark.parametrize("rule", RULES, ids=ids(RULES))
def test_each_rule_module_says_everything_about_its_rule(rule: Rule) -> None:
    module = rule.check.__module__.rsplit(".", 1)[-1]
    assert module == (f"{rule.code.lower()}_" if rule.code else "") + rule.slug.replace("-", "_")
    assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", rule.slug)
    assert rule.phase == "format" or re.fullmatch(r"DB1[0-9]{2}", rule.code or ""), "every lint rule has a code"
    assert rule.severity in ("error", "warning", "question") and (rule.phase == "lint" or rule.severity == "error")
    assert rule.summary.endswith(".") and "\n" not in rule.summary and len(rule.summary) <= 140
    assert len(rule.rationale) >= 100 and rule.rationale != rule.summary, "the module's docstring says why the rule matters"
    assert rule.passing and rule.failing and rule.passing != rule.failing
    assert rule.question is None or rule.phase == "lint"


def test_the_standard_questions_are_the_lint_rules_questions() -> None:
    assert set(standard_questions()) == {r.question for r in RULES if r.question}


def _hashed(value: Any, digest: str) -> Any:
    """The example with :data:`COMMITTED` standing for the committed version's file hash replaced by it."""
    if value == COMMITTED:
        return digest
    if isinstance(value, Mapping):
        return {key: _hashed(item, digest) for key, item in value.items()}
    if isinstance(value, list):
        return [_hashed(item, digest) for item in value]
    return value


def _dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=ExactDumper, sort_keys=False, allow_unicode=True)


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Run a rule's example as a user would: the clean deal with its changes, in a git repository holding the rule's
    committed version (if it has one), on the examples' day."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(datetime(*EXAMPLES_DAY.timetuple()[:3], tzinfo=UTC).timestamp())))
    env = {**os.environ, **GIT_AUTHOR}

    def run(rule: Rule, changes: Mapping[str, Any]) -> Report:
        path = tmp_path / "deals" / "acme.yaml"
        path.parent.mkdir(exist_ok=True)
        digest = ""
        if rule.committed is not None and not (tmp_path / ".git").exists():
            subprocess.run(["git", "init", "-q", "-b", "main"], cwd=tmp_path, check=True)
            path.write_text(_dump(mutate(CLEAN, dict(rule.committed))), encoding="utf-8")
            subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True)
            subprocess.run(["git", "commit", "-qm", "the committed version"], cwd=tmp_path, check=True, env=env)
        if rule.committed is not None:
            digest = file_hash(_dump(mutate(CLEAN, dict(rule.committed))).encode())
        path.write_text(_dump(mutate(CLEAN, _hashed(changes, digest))), encoding="utf-8")
        return analyse(path, Config())

    return run


def fired(rule: Rule, report: Report, changes: Mapping[str, Any]) -> list[str]:
    """Where ``rule`` fired on the example: its located problems (format), its findings and questions (lint)."""
    if rule.phase == "format":
        deal = Deal.model_validate(parse(_dump(mutate(CLEAN, dict(changes))).encode(), "acme.yaml").data)
        said = {dotted(path) for path, _ in rule.check(deal, standard_questions())}
        return sorted({p.key for p in report.problems} & said)
    assert report.valid, report.problems
    assert report.review is not None
    return [f.key for f in report.review.findings if f.code == rule.code] + [q.id for q in report.review.questions if q.code == rule.code]


@pytest.mark.parametrize("rule", RULES, ids=ids(RULES))
def test_a_rule_fires_on_its_failing_example(rule: Rule, example: Any) -> None:
    assert fired(rule, example(rule, rule.failing), rule.failing), f"{rule.name} does not fire on its failing example"


@pytest.mark.parametrize("rule", RULES, ids=ids(RULES))
def test_a_rule_is_quiet_on_its_passing_example(rule: Rule, example: Any) -> None:
    report = example(rule, rule.passing)
    if rule.phase == "format":
        assert report.valid, report.problems  # a passing example is a valid deal
    assert fired(rule, report, rule.passing) == []


def test_problems_at_one_key_come_in_the_registry_order(run) -> None:
    """Two checks that speak of the same key: the more basic problem first (the order the checks had before the registry)."""
    twice = {"ask": "Is the price defended?", "id": "price-defense"}
    report = run({"handoff.questions": [twice, twice]})
    assert [p.message for p in report.problems if p.key == "handoff.questions[1].id"] == [
        "duplicate id 'price-defense'; ids must be unique",
        "'price-defense' is a generated question's id; answer it in handoff.answers instead",
    ]
    report = run({"value.0.volume": 1000000000000, "value.0.share": 0.1})
    assert [p.message.split(";")[0] for p in report.problems if p.key == "value[0]"] == [
        "a driver has one form — result × volume × rate, base × share, or annual — not result × volume × rate and base × share "
        "(volume, rate, share)",
        "gain × volume × rate is about 10^16 a year",
    ]


def test_dealbrief_rules_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    header, *lines = capsys.readouterr().out.splitlines()
    assert header.split() == ["code", "slug", "phase", "severity", "question", "summary"]
    assert [line.split()[:5] for line in lines] == [[r.code or "-", r.slug, r.phase, r.severity, r.question or "-"] for r in RULES]
    assert all(line.endswith(r.summary) for line, r in zip(lines, RULES, strict=True))
    assert main(["rules", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(r["code"], r["slug"], r["rationale"]) for r in listed] == [(r.code, r.slug, r.rationale) for r in RULES]
    db113 = next(r for r in listed if r["code"] == "DB113")
    assert db113["examples"]["failing"] == {"costs.one_time.0.amount": 60.0}  # typed 60.000: a decimal point
    assert next(r for r in listed if r["code"] == "DB110")["examples"]["failing"] == {"poc.end": "2026-07-30"}
