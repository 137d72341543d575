"""The JSON Schema an editor checks a deal with agrees with ``dealbrief check``: run a real JSON-Schema validator
(check-jsonschema, reading YAML as a YAML language server does) over every valid deal the project holds — all pass —
and over deals whose problem a schema can express — all fail."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from dealbrief.engine.config import Config
from dealbrief.engine.pipeline import Analysed, analyse

from ..conftest import BIN, CLEAN, DELETE, ROOT, ExactDumper, mutate

SCHEMA = ROOT / "schema" / "deal.schema.json"
DEALS = sorted([*(ROOT / "deals").glob("*.yaml"), *(ROOT / "tests" / "examples").glob("*/deals/*.yaml")])


def validate(*files: Path) -> subprocess.CompletedProcess[str]:
    command = [str(BIN / "check-jsonschema"), "--schemafile", str(SCHEMA), *map(str, files)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def write(folder: Path, name: str, data: dict | str) -> Path:
    path = folder / f"{name}.yaml"
    text = data if isinstance(data, str) else yaml.dump(data, Dumper=ExactDumper, sort_keys=False, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_every_valid_deal_passes_the_schema(tmp_path: Path) -> None:
    valid = [path for path in DEALS if isinstance(analyse(path, Config()), Analysed)]
    assert len(valid) >= 8 and ROOT / "deals" / "lumen-retail-data-platform.yaml" in valid
    typed = (ROOT / "deals" / "northwind-incident-analytics.yaml").read_text(encoding="utf-8")
    as_typed = {  # plain numbers, dates and true/false in text fields: check reads them as the text typed
        "year-as-period": typed.replace("period: Q3 2026", "period: 2026"),
        "number-as-text": typed.replace("scope: A native subset of production data", "scope: 3.10"),
        "boolean-as-text": re.sub(r"recommendation: >-\n(  .*\n)+", "recommendation: true\n", typed),
        "number-as-id": typed.replace("- id: legacy-tool", "- id: 2026"),
    }
    written = [write(tmp_path, name, text) for name, text in as_typed.items()]
    for path in written:
        assert isinstance(analyse(path, Config()), Analysed), path.name
    done = validate(*valid, *written)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"custmer": "Acme"}, "unknown key"),
        ({"customer": DELETE}, "missing required key"),
        ({"stage": "won"}, "not one of the stages"),
        ({"costs.subscription": "a lot"}, "text for a number"),
        ({"currency": "usd"}, "not an ISO 4217 code"),
        ({"value.0.realization": 1.5}, "a share above 1"),
        ({"finance.horizon_years": 12}, "a horizon above 10 years"),
    ],
)
def test_a_problem_the_schema_can_express_fails_it_as_it_fails_check(tmp_path: Path, changes: dict, why: str) -> None:
    path = write(tmp_path, "acme", mutate(CLEAN, changes))
    assert not isinstance(analyse(path, Config()), Analysed), why
    assert validate(path).returncode == 1, why
