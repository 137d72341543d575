"""What ``dealbrief diff`` prints for each diff case of ``tests/examples/``: a real git repository, the command as a user runs it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from ..conftest import DEALBRIEF, compare_golden, example_cases, transcript


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=se@example.com", "-c", "user.name=SE", *args], cwd=repo, check=True, capture_output=True)


@pytest.mark.parametrize("case", example_cases("diff"), ids=lambda p: p.name)
def test_diff_prints_what_the_example_expects(case: Path, tmp_path: Path, update_goldens: bool) -> None:
    shutil.copytree(case / "before", tmp_path / "deals")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "before")
    shutil.rmtree(tmp_path / "deals")
    shutil.copytree(case / "deals", tmp_path / "deals")
    done = subprocess.run(
        [DEALBRIEF, "diff", "--base", "HEAD", "--format", "markdown"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    compare_golden(
        case / "expected" / "diff.txt",
        transcript("diff --base HEAD --format markdown", done.returncode, done.stdout, done.stderr),
        update_goldens,
    )
