"""The manual (docs/mkdocs.yml) builds with --strict: every page, every generated reference, every snippet include."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from dealbrief.engine.lint import RULES

from ..conftest import MKDOCS, ROOT


@pytest.fixture(scope="module")
def manual(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The manual as `make docs` builds it (mkdocs build --strict -f docs/mkdocs.yml), into a folder of the test's."""
    site = tmp_path_factory.mktemp("manual") / "site"
    done = subprocess.run(
        [MKDOCS, "build", "--strict", "-f", str(ROOT / "docs" / "mkdocs.yml"), "--site-dir", str(site)],
        cwd=tmp_path_factory.getbasetemp(),  # not the repository root: snippets are found from it all the same
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "WARNING" not in done.stderr, done.stderr
    return site


def test_make_docs_builds_the_manual_strictly() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "\ndocs: $(STAMP)\n\tNO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict -f docs/mkdocs.yml\n" in makefile


def test_the_manual_has_its_four_parts(manual: Path) -> None:
    for page in ("tutorial/first-deal", "how-to/price", "reference/rules", "explanation/methodology"):
        assert (manual / page / "index.html").is_file(), page
    assert (manual / "assets" / "summary.png").is_file()


def test_the_reference_is_generated_from_the_code(manual: Path) -> None:
    rules = (manual / "reference" / "rules" / "index.html").read_text(encoding="utf-8")
    for rule in RULES:
        assert f'id="{(rule.code or rule.slug).lower()}"' in rules and rule.slug in rules
    fmt = (manual / "reference" / "deal-format" / "index.html").read_text(encoding="utf-8")
    assert 'id="costs-units"' in fmt and "volume_per_unit" in fmt and "<!-- reference:" not in fmt
    cli = (manual / "reference" / "cli" / "index.html").read_text(encoding="utf-8")
    assert "dealbrief preview" in cli and "--replace" in cli
    settings = (manual / "reference" / "configuration" / "index.html").read_text(encoding="utf-8")
    assert "realization_floor" in settings


def test_the_examples_are_the_tested_files(manual: Path) -> None:
    """Snippets resolved: what `check` prints for the examples, and the methodology, are in the pages as the files have them."""
    fmt = (manual / "reference" / "deal-format" / "index.html").read_text(encoding="utf-8")
    assert "deals/store-rollout.yaml:25:38: costs.one_time[0].amount: inside { } a comma" in fmt
    methodology = (manual / "explanation" / "methodology" / "index.html").read_text(encoding="utf-8")
    assert "Break-even realization" in methodology and "--8&lt;--" not in methodology and "--8<--" not in methodology
    for page in manual.rglob("*.html"):  # no include left unresolved at the start of a line (where it would be one)
        assert not re.search(r'^(<[^>]+>)*--8&lt;-- "', page.read_text(encoding="utf-8"), re.M), page


def test_a_snippet_that_names_no_file_fails_the_build(tmp_path: Path) -> None:
    """The same configuration, with one page including a file that does not exist: the build stops, naming it."""
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns("__pycache__"))
    (docs / "pages" / "how-to" / "price.md").write_text('# Price\n\n```yaml\n--8<-- "deals/no-such-deal.yaml"\n```\n')
    # hooks.py reads snippets from the folder above docs/: give it this repository's files
    for name in ("deals", "tests", "web", "mkdocs.yml"):
        os.symlink(ROOT / name, tmp_path / name)
    config = load_config(str(docs / "mkdocs.yml"), site_dir=str(tmp_path / "site"), strict=True)
    config.plugins.run_event("startup", command="build", dirty=False)
    try:
        with pytest.raises(Exception, match=r"no-such-deal\.yaml"):
            build(config)
    finally:
        config.plugins.run_event("shutdown")
