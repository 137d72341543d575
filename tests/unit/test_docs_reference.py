"""The manual's generated reference (docs/reference.py) and its includes, without MkDocs; and the README, a landing page."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

from dealbrief.cli import parser
from dealbrief.deal.model import json_schema
from dealbrief.engine import config
from dealbrief.engine.lint import RULES

from ..conftest import ROOT

PAGES = ROOT / "docs" / "pages"
SNIPPET = re.compile(r'^[ \t]*-{1,}8<-{1,}[ \t]+"([^"]+)"', re.M)


def _reference() -> Any:
    spec = importlib.util.spec_from_file_location("docs_reference", ROOT / "docs" / "reference.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


reference = _reference()


def _keys(schema: dict[str, Any], definitions: dict[str, Any], seen: set[str]) -> set[str]:
    found = set(schema.get("properties", {}))
    for prop in schema.get("properties", {}).values():
        name = reference._ref(prop)
        if name and name not in seen:
            found |= _keys(definitions[name], definitions, seen | {name})
    return found


def test_the_deal_format_lists_every_key_of_the_model() -> None:
    schema = json_schema()
    page = reference.deal_format()
    for key in _keys(schema, schema["$defs"], set()):
        assert f"| `{key}` |" in page, key
    for section in ("costs.units", "poc.results[]", "realization.measurements[]", "handoff.questions[]"):
        assert f"### `{section}`" in page, section
    assert "Occurrences per unit of costs.units (or of costs.commit's usage) a year" in page  # the model's own descriptions


def test_the_rules_page_has_every_rule_of_the_registry() -> None:
    page = reference.rules()
    for rule in RULES:
        assert f"### {rule.code + ' ' if rule.code else ''}`{rule.slug}`" in page and rule.summary in page
        if rule.question:
            assert f"handoff.answers.{rule.question}" in page


def test_every_rule_says_its_severity_and_rationale_in_its_module() -> None:
    for rule in RULES:
        assert rule.severity and rule.rationale, rule.slug  # the page says both, from the rule's own module


def test_the_rules_page_uses_what_a_newer_registry_says() -> None:
    rule = SimpleNamespace(
        code="DB999",
        slug="made-up",
        summary="A made-up rule.",
        question=None,
        phase="after the signature",
        severity="warning",
        rationale="Because it shows the page follows the registry.",
        examples={"Failing": "costs: {subscription: 1.200}", "Passing": "costs: {subscription: 1200}"},
    )
    page = reference.rules([rule])
    assert "| [DB999](#db999) | `made-up` | after the signature | warning |" in page
    assert "**Phase**: after the signature" in page and "**Rationale**: Because it shows" in page
    assert "**Failing**:\n\n```yaml\ncosts: {subscription: 1.200}\n```" in page


def test_the_command_line_page_has_every_command_and_option() -> None:
    page = reference.cli()
    top = parser()
    [commands] = [a for a in top._actions if a.__class__.__name__ == "_SubParsersAction"]
    for name, command in commands.choices.items():
        assert f"### dealbrief {name}\n" in page
        for action in command._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert f"`{option}" in page, (name, option)


def test_the_configuration_page_has_every_key() -> None:
    page = reference.configuration()
    for table, field in config._File.model_fields.items():
        assert f"### `[{table}]`" in page
        for key in field.annotation.model_fields:
            assert f"| `{key}` |" in page
    assert "DB102: planned / tested at or above this" in page  # the docstring's example explains each key


def _snippets() -> list[tuple[Path, str]]:
    return [(page, target) for page in sorted(PAGES.rglob("*.md")) for target in SNIPPET.findall(page.read_text(encoding="utf-8"))]


def test_every_snippet_names_a_file_of_the_repository() -> None:
    """What the strict build checks too (tests/e2e/test_docs.py), said here with the page that names it."""
    assert len(_snippets()) > 20
    for page, target in _snippets():
        path = re.sub(r"(:-?\d*){1,2}$", "", target)
        assert (ROOT / path).is_file(), f"{page.relative_to(ROOT)}: --8<-- {target!r}: no such file"


def test_line_ranges_of_a_deal_cut_whole_sections() -> None:
    """A line range of a deal file starts at a top-level key (or its comment) and ends where a key or a list item begins."""
    for page, target in _snippets():
        match = re.fullmatch(r"(deals/[^:]+\.yaml):(\d+):(\d+)", target)
        if not match:
            continue
        lines = (ROOT / match[1]).read_text(encoding="utf-8").splitlines()
        first, last = int(match[2]), int(match[3])
        assert re.match(r"[a-z#]", lines[first - 1]), f"{page.name}: {target} starts inside a section: {lines[first - 1]!r}"
        after = lines[last] if last < len(lines) else ""
        assert after == "" or re.match(r"[a-z#]|  [a-z_]+:|  - ", after), f"{page.name}: {target} cuts a section before {after!r}"


def test_the_methodology_is_one_text() -> None:
    """web/methodology.md is the site's page; the manual includes it; dealbrief init's copy is checked equal elsewhere."""
    page = (PAGES / "explanation" / "methodology.md").read_text(encoding="utf-8")
    assert page.startswith('--8<-- "web/methodology.md"\n')
    assert "Forrester" not in page.split("-->", 1)[1].split("## Where it is computed")[0]


def _price_example() -> dict[str, Any]:
    page = (PAGES / "how-to" / "price.md").read_text(encoding="utf-8")
    [block] = [b for b in re.findall(r"```yaml\n(.*?)```", page, re.S) if b.startswith("costs:\n  units:")]
    return {"text": block}


@pytest.mark.parametrize("uncomment", [None, "subscription", "license"])
def test_the_price_example_is_a_valid_deal(uncomment: str | None) -> None:
    from dealbrief.engine.config import Config
    from dealbrief.engine.pipeline import analyse_bytes

    text = _price_example()["text"]
    if uncomment:
        text = re.sub(rf"^  # ({uncomment}: .*?)\s+#.*$|^  # ({uncomment}: .*)$", lambda m: "  " + (m[1] or m[2]), text, flags=re.M)
    northwind = (ROOT / "deals" / "northwind-incident-analytics.yaml").read_text(encoding="utf-8")
    head = northwind.split("\nvalue:\n", 1)[0]
    # the example's second driver names a result of its own (its comment says so): a POC result of that id
    result = "    - {id: forecast-error, metric: Forecast error, unit: '%', before: 31, after: 18}\n"
    head = head.replace("  results:\n", "  results:\n" + result)
    tail = "\nfinance:\n" + northwind.split("\nfinance:\n", 1)[1]
    deal = head + "\n" + text + tail
    data = yaml.safe_load(deal)
    assert data["costs"]["units"]["quantity"] == 400
    report = analyse_bytes(deal.encode(), "deals/price-example.yaml", Config())
    assert report.problems == () and report.deal is not None, report.problems
    assert (report.deal.costs.license is not None) == (uncomment == "license")
    assert (report.deal.costs.subscription is not None) == (uncomment == "subscription")


def test_the_readme_is_a_landing_page() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) < 150
    assert "make site" in readme and "make test" in readme and "make serve" in readme
    assert "](" in readme.rstrip().splitlines()[-1]  # it ends with a link
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)|src=\"([^\"]+)\"", readme):
        path = next(t for t in target if t)
        if not path.startswith("http"):
            assert (ROOT / path).is_file(), path
    png = ROOT / "docs" / "pages" / "assets" / "summary.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size < 150_000


def test_no_internal_spec_is_named_anywhere() -> None:
    for path in [ROOT / "README.md", *PAGES.rglob("*.md"), ROOT / "web" / "methodology.md"]:
        assert not re.search(r"\bSPEC\b", path.read_text(encoding="utf-8")), path


def test_the_consumption_example_is_a_valid_deal_and_the_worked_example() -> None:
    """The page's committed-spend block, in Northwind's deal, gives the figures the page states."""
    from decimal import Decimal

    from dealbrief.engine.config import Config
    from dealbrief.engine.pipeline import analyse_bytes

    page = (PAGES / "how-to" / "price.md").read_text(encoding="utf-8")
    [block] = [b for b in re.findall(r"```yaml\n(.*?)```", page, re.S) if b.startswith("costs:\n  commit:")]
    northwind = (ROOT / "deals" / "northwind-incident-analytics.yaml").read_text(encoding="utf-8")
    head, tail = northwind.split("\ncosts:\n", 1)[0], "\nfinance:\n" + northwind.split("\nfinance:\n", 1)[1]
    head = re.sub(r"volume_per_unit: [0-9.]+", "volume: 30", head)  # Northwind's drivers follow agents; here, fixed
    report = analyse_bytes((head + "\n" + block + tail).encode(), "deals/consumption-example.yaml", Config())
    assert report.problems == () and report.case is not None, report.problems
    assert report.case.contract_value == 900000 and report.case.discount == Decimal("0.2")
    assert "contract value 900,000; expected spend 1,100,000" in page.replace("\n  ", " ")
