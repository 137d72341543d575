"""What the command line prints, case by case (``tests/examples/``): ``check`` in each format, ``show`` and ``show --json``.

Run in-process (``cli.main``), at a fixed terminal width; the expected transcripts are golden files.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from dealbrief.cli import main

from ..conftest import compare_golden, example_cases, example_repo, transcript

CHECKS = ["check", "check --format json", "check --format github"]


def commands(case: Path, repo: Path) -> list[str]:
    deals = sorted(p.stem for p in (repo / "deals").glob("*.yaml"))
    return CHECKS + [f"show {shlex.quote(d)}{json}" for d in deals for json in ("", " --json")]


@pytest.mark.parametrize("case", example_cases("check"), ids=lambda p: p.name)
def test_the_command_line_prints_what_the_example_expects(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], update_goldens: bool
) -> None:
    repo = example_repo(case, tmp_path)
    monkeypatch.chdir(repo)
    monkeypatch.setenv("COLUMNS", "110")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    for command in commands(case, repo):
        code = main(shlex.split(command))
        out, err = capsys.readouterr()
        name = command.replace(" --", "--").replace(" ", "-").replace("'", "")
        compare_golden(case / "expected" / f"{name}.txt", transcript(command, code, out, err), update_goldens)


def test_the_manual_shows_what_check_says_of_the_typed_as_people_type_file() -> None:
    """The manual's deal format page includes what `check` says of tests/examples/typed-as-people-type/ from its golden file."""
    root = Path(__file__).parents[2]
    page = (root / "docs" / "pages" / "reference" / "deal-format.md").read_text(encoding="utf-8")
    assert '--8<-- "tests/examples/typed-as-people-type/expected/check.txt"' in page
    said = (root / "tests" / "examples" / "typed-as-people-type" / "expected" / "check.txt").read_text(encoding="utf-8")
    assert "deals/store-rollout.yaml:3:1: customer: expected text, found nothing (null)" in said
