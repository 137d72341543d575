"""The pull-request workflow: GitHub workflows (actionlint), the pre-commit hook (try-repo), `dealbrief init`."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from ..conftest import BIN, GIT_AUTHOR, ROOT

TEMPLATE = ROOT / "src" / "dealbrief" / "repo-template"
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml")) + sorted((TEMPLATE / "github" / "workflows").glob("*.yml"))


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600, env={**os.environ, **(env or {})})


def test_workflows_pass_actionlint() -> None:
    done = run(str(BIN / "actionlint"), *map(str, WORKFLOWS), cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: f"{p.parent.parent.parent.name}/{p.name}")
def test_workflows_are_locked_down(path: Path) -> None:
    workflow = yaml.safe_load(path.read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert "pull_request_target" not in triggers
    assert workflow["permissions"] == {"contents": "read"}
    assert "concurrency" in workflow
    for name, job in workflow["jobs"].items():
        assert job["timeout-minutes"] <= 30
        writes = {"diff-comment": {"contents", "pull-requests"}}.get(name, {"pages", "id-token"})  # the comment job alone writes
        assert set(job.get("permissions", {})) <= writes


def test_the_diff_comment_is_sticky_minimal_and_never_for_forks() -> None:
    for path in (ROOT / ".github/workflows/ci.yml", TEMPLATE / "github/workflows/ci.yml"):
        job = yaml.safe_load(path.read_text())["jobs"]["diff-comment"]
        assert job["permissions"] == {"contents": "read", "pull-requests": "write"}
        assert "github.event.pull_request.head.repo.full_name == github.repository" in job["if"]  # forks: read-only token
        assert "github.actor != 'dependabot[bot]'" in job["if"]  # Dependabot's token cannot comment either
        script = next(step["with"]["script"] for step in job["steps"] if step.get("uses", "").startswith("actions/github-script"))
        assert "<!-- dealbrief-diff -->" in script and "updateComment" in script and "createComment" in script
        assert any("--format markdown" in step.get("run", "") or "DIFF_FORMAT=markdown" in step.get("run", "") for step in job["steps"])


@pytest.mark.parametrize(
    ("path", "job", "set_up"),
    [
        (ROOT / ".github/workflows/ci.yml", "diff-comment", "make .venv/.installed"),
        (ROOT / ".github/workflows/ci.yml", "build", "make test"),
        (TEMPLATE / "github/workflows/ci.yml", "diff-comment", "pip install -r requirements.txt"),
        (TEMPLATE / "github/workflows/ci.yml", "deals", "pip install -r requirements.txt"),
    ],
)
def test_only_the_diffs_markdown_reaches_the_comment_and_the_summary(path: Path, job: str, set_up: str) -> None:
    """make echoes each recipe it runs: on a fresh runner, .venv is set up in a step before the one that writes the diff."""
    runs = [step.get("run", "") for step in yaml.safe_load(path.read_text())["jobs"][job]["steps"]]
    diff = next(i for i, run in enumerate(runs) if run.startswith(("make diff", "dealbrief diff")) and ">" in run)
    assert set_up in runs[:diff]
    makefile = (ROOT / "Makefile").read_text()
    assert "VENV := .venv" in makefile and "STAMP := $(VENV)/.installed" in makefile and "\ntest: $(STAMP)" in makefile
    assert "\ndiff: $(STAMP)\n\t@" in makefile  # the diff's own command is not echoed


def test_both_workflows_restore_the_content_cache() -> None:
    for path in (ROOT / ".github/workflows/ci.yml", TEMPLATE / "github/workflows/ci.yml"):
        steps = next(iter(yaml.safe_load(path.read_text())["jobs"].values()))["steps"]
        cache = next(step for step in steps if step.get("uses", "").startswith("actions/cache"))
        assert cache["with"]["path"] == ".cache/dealbrief" and "github.sha" in cache["with"]["key"]
        names = [step.get("name", "") for step in steps]
        assert names.index(cache["name"]) < names.index("Site and PDFs")


def test_ci_runs_the_same_make_targets_as_ci_run() -> None:
    steps = [s.get("run", "") for s in yaml.safe_load((ROOT / ".github/workflows/ci.yml").read_text())["jobs"]["build"]["steps"]]
    assert "make test" in steps and "make site" in steps and "make check FORMAT=github" in steps
    assert any(s.startswith("make diff") and "GITHUB_STEP_SUMMARY" in s for s in steps)
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    assert "make docs" in steps and "\nmake docs" in (ROOT / ".ci" / "run").read_text()  # the manual, built strictly


def test_the_manual_is_published_from_main_and_never_over_the_deals_site() -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/docs.yml").read_text())
    assert workflow[True]["push"] == {"branches": ["main"]}
    build = workflow["jobs"]["build"]
    assert build["if"] == "vars.DEALBRIEF_PAGES != 'true'"  # one Pages site per repository: the deals site wins when on
    assert "make docs" in [step.get("run") for step in build["steps"]]
    upload = next(step for step in build["steps"] if step.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "docs-site/"
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"] == yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text())["concurrency"]["group"]


def test_pages_deploys_only_when_switched_on() -> None:
    for path in (ROOT / ".github/workflows/pages.yml", TEMPLATE / "github/workflows/pages.yml"):
        workflow = yaml.safe_load(path.read_text())
        assert workflow["jobs"]["build"]["if"] == "vars.DEALBRIEF_PAGES == 'true'"
        assert workflow["jobs"]["deploy"]["needs"] == "build"


@pytest.fixture(scope="module")
def deal_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("deal-repo")
    run("git", "init", "-q", cwd=repo)
    (repo / "deals").mkdir()
    shutil.copy(ROOT / "deals" / "northwind-incident-analytics.yaml", repo / "deals")
    (repo / "deals" / "broken.yaml").write_text("dealbrief: 1\ncustomer: Broken Corp\nstage: won\n")
    run("git", "add", "-A", cwd=repo)
    return repo


def try_repo(repo: Path, deal: str, home: Path) -> subprocess.CompletedProcess[str]:
    return run(
        str(BIN / "pre-commit"),
        "try-repo",
        str(ROOT),
        "dealbrief-check",
        "--files",
        f"deals/{deal}",
        cwd=repo,
        env={"PRE_COMMIT_HOME": str(home)},
    )


def test_pre_commit_hook_passes_a_clean_deal_and_fails_a_broken_one(deal_repo: Path, tmp_path: Path) -> None:
    clean = try_repo(deal_repo, "northwind-incident-analytics.yaml", tmp_path)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "dealbrief check" in clean.stdout and "Passed" in clean.stdout
    broken = try_repo(deal_repo, "broken.yaml", tmp_path)
    assert broken.returncode == 1
    assert "deals/broken.yaml:3:1: stage: expected one of discovery" in broken.stdout
    assert "deals/broken.yaml:1:1: title: required key is missing" in broken.stdout


def test_hook_only_looks_at_deal_files() -> None:
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "dealbrief-check" and hook["entry"] == "dealbrief check" and hook["language"] == "python"
    import re

    assert re.search(hook["files"], "deals/acme.yaml") and not re.search(hook["files"], "mkdocs.yml")
    assert not re.search(hook["files"], "deals/sub/acme.yaml")


def test_project_hooks_install_from_registries() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    assert [r["repo"] for r in config["repos"]] == ["local"]  # no git fetch
    ids = [h["id"] for h in config["repos"][0]["hooks"]]
    assert ids == ["dealbrief-check", "ruff", "ruff-format", "check-yaml"]


def test_init_makes_a_repository_that_works_at_once(tmp_path: Path) -> None:
    """Day one, as a new team has it: `dealbrief init`, then in the new repository and with nothing else — `make site`,
    `make check`, `dealbrief new`, a commit, `dealbrief diff`, the example deal checked against the schema the editor
    reads, and `dealbrief export` without a site address yet."""
    done = run(str(BIN / "dealbrief"), "init", "team-deals", cwd=tmp_path, env=GIT_AUTHOR)
    assert done.returncode == 0, done.stderr
    repo = tmp_path / "team-deals"
    for name in (
        "deals/northwind-incident-analytics.yaml",
        "schema/deal.schema.json",
        "mkdocs.yml",
        "Makefile",
        ".github/workflows/ci.yml",
        ".github/workflows/pages.yml",
        ".pre-commit-config.yaml",
        ".gitignore",
        "README.md",
        "requirements.txt",
    ):
        assert (repo / name).is_file(), name
    assert (repo / "requirements.txt").read_text() == "dealbrief[site]==0.1.0\n"
    assert "started a git repository with a first commit" in done.stdout and "site_url is a placeholder" in done.stderr
    assert run("git", "log", "--oneline", cwd=repo).stdout.count("\n") == 1 and run("git", "status", "--porcelain", cwd=repo).stdout == ""
    # make, as the README says, with this environment standing in for the .venv the first run would install
    venv = tmp_path / "venv"
    venv.mkdir()
    (venv / "bin").symlink_to(BIN)
    (venv / ".installed").touch()
    built = run("make", "site", f"VENV={venv}", cwd=repo, env={"NO_MKDOCS_2_WARNING": ""})
    assert built.returncode == 0, built.stdout + built.stderr
    assert "end of life" not in built.stdout + built.stderr  # the Makefile silences Material's end-of-life banner
    assert (repo / "site" / "deals" / "northwind-incident-analytics" / "index.html").is_file()
    assert (repo / "site" / "pdf" / "northwind-incident-analytics.pdf").is_file()
    checked = run("make", "check", f"VENV={venv}", cwd=repo)
    assert checked.returncode == 0 and checked.stderr.count("site_url is still the placeholder") == 1, checked.stderr
    assert run(str(BIN / "dealbrief"), "new", "acme-platform", cwd=repo).returncode == 0
    assert run("git", "status", "--porcelain", cwd=repo).stdout == "?? deals/acme-platform.yaml\n"  # site/ is ignored
    run("git", "add", "-A", cwd=repo)
    assert run("git", "commit", "-qm", "A new deal", cwd=repo, env=GIT_AUTHOR).returncode == 0
    diffed = run(str(BIN / "dealbrief"), "diff", "--base", "HEAD~1", cwd=repo)
    assert diffed.returncode == 0 and "acme-platform (added)" in diffed.stdout, diffed.stdout + diffed.stderr
    schema = repo / "schema" / "deal.schema.json"
    assert (
        (repo / "deals" / "northwind-incident-analytics.yaml")
        .read_text()
        .startswith("# yaml-language-server: $schema=../schema/deal.schema.json")
    )
    validated = run(
        str(BIN / "check-jsonschema"), "--schemafile", str(schema), *map(str, sorted((repo / "deals").glob("*.yaml"))), cwd=repo
    )
    assert validated.returncode == 0, validated.stdout
    exported = run(str(BIN / "dealbrief"), "export", "--out", "deals.csv", cwd=repo)
    assert exported.returncode == 0 and "https://deals.example.invalid" not in (repo / "deals.csv").read_text()
    again = run(str(BIN / "dealbrief"), "init", "team-deals", cwd=tmp_path)
    assert again.returncode == 2 and "choose an empty folder" in again.stderr


def test_init_writes_the_site_address_and_stays_inside_an_existing_repository(tmp_path: Path) -> None:
    run("git", "init", "-q", cwd=tmp_path)
    done = run(str(BIN / "dealbrief"), "init", "deals-repo", "--site-url", "https://deals.acme.com", cwd=tmp_path)
    assert done.returncode == 0 and "git repository" not in done.stdout and "placeholder" not in done.stderr, done.stderr
    config = yaml.safe_load((tmp_path / "deals-repo" / "mkdocs.yml").read_text())
    assert config["site_url"] == "https://deals.acme.com/" and not (tmp_path / "deals-repo" / ".git").exists()
    refused = run(str(BIN / "dealbrief"), "init", "other", "--site-url", "deals.acme.com", cwd=tmp_path)
    assert refused.returncode == 2 and "--site-url takes the site's address" in refused.stderr


@pytest.mark.parametrize(
    "requirement",
    [
        'dealbrief[site]==0.1.0; python_version >= "3.11"',  # quotes
        "dealbrief[site] @ https://files.example.com/dealbrief-0.1.0-py3-none-any.whl#sha256=0123abcd",  # a colon and a #
        "https://files.example.com/dealbrief-0.1.0-py3-none-any.whl[site]",  # a wheel's URL
    ],
)
def test_init_writes_any_requirement_as_valid_yaml(requirement: str, tmp_path: Path) -> None:
    done = run(str(BIN / "dealbrief"), "init", "team-deals", "--requirement", requirement, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    repo = tmp_path / "team-deals"
    [hook] = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    assert hook["additional_dependencies"] == [requirement] and hook["files"] == "^deals/[^/]+\\.yaml$"
    assert (repo / "requirements.txt").read_text() == requirement + "\n"


def test_init_installs_a_wheel_from_its_path(tmp_path: Path) -> None:
    (tmp_path / "dealbrief-0.1.0-py3-none-any.whl").write_bytes(b"")
    done = run(str(BIN / "dealbrief"), "init", "team-deals", "--requirement", "dealbrief-0.1.0-py3-none-any.whl[site]", cwd=tmp_path)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    ("requirement", "message"),
    [
        ("", "dealbrief: --requirement takes one pip requirement on one line, e.g. 'dealbrief[site] @ git+https://"),
        ("   ", "dealbrief: --requirement takes one pip requirement on one line"),
        ("dealbrief[site] # latest", "dealbrief: --requirement 'dealbrief[site] # latest' is not a pip requirement (Expected"),
        ("dist/missing-0.1.0-py3-none-any.whl[site]", "dealbrief: --requirement: no wheel at dist/missing-0.1.0-py3-none-any.whl;"),
    ],
)
def test_init_refuses_what_pip_cannot_install(requirement: str, message: str, tmp_path: Path) -> None:
    done = run(str(BIN / "dealbrief"), "init", "team-deals", "--requirement", requirement, cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.startswith(message) and done.stderr.count("\n") == 1, done.stderr
    assert not (tmp_path / "team-deals").exists()


@pytest.mark.parametrize("target", ["notes.txt", "notes.txt/team-deals"])
def test_init_into_a_file_is_a_clear_error(target: str, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a folder\n")
    done = run(str(BIN / "dealbrief"), "init", target, cwd=tmp_path)
    assert (done.returncode, done.stderr) == (2, "dealbrief: notes.txt is a file: dealbrief init needs a new or empty folder\n")


@pytest.mark.parametrize("name", ["mkdocs.yml", "web/methodology.md", "web/tags.md", "deals/northwind-incident-analytics.yaml"])
def test_repo_template_matches_this_repository(name: str) -> None:
    """These files are the same in a new deal repository as here: one truth, checked."""
    assert (TEMPLATE / name).read_text() == (ROOT / name).read_text(), f"copy {name} into src/dealbrief/repo-template/"


def test_code_passes_the_projects_own_lint() -> None:
    for args in (("check",), ("format", "--check")):
        done = run(str(BIN / "ruff"), *args, "src", "tests", "scripts", cwd=ROOT)
        assert done.returncode == 0, done.stdout + done.stderr


def test_the_wheel_from_a_clean_checkout_makes_a_repository_that_builds(tmp_path: Path) -> None:
    """What the release workflow proves before publishing, and what a team does until the first release."""
    import sys

    run("git", "clone", "-q", str(ROOT), str(tmp_path / "checkout"), cwd=tmp_path)
    built = run(
        sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path / "dist"), str(tmp_path / "checkout"), cwd=tmp_path
    )
    assert built.returncode == 0, built.stderr
    [wheel] = (tmp_path / "dist").glob("dealbrief-*.whl")
    from dealbrief import __version__

    assert wheel.name.startswith(f"dealbrief-{__version__}-")  # the version from its one place
    assert run(sys.executable, "-m", "venv", str(tmp_path / "fresh"), cwd=tmp_path).returncode == 0
    fresh = tmp_path / "fresh" / "bin"
    installed = run(str(fresh / "pip"), "install", "--quiet", f"{wheel}[site]", cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr
    requirement = f"dealbrief[site] @ {wheel.as_uri()}"
    made = run(str(fresh / "dealbrief"), "init", "team-deals", "--requirement", requirement, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    repo = tmp_path / "team-deals"
    assert (repo / "requirements.txt").read_text() == requirement + "\n"
    assert f'additional_dependencies: ["{requirement}"]' in (repo / ".pre-commit-config.yaml").read_text()
    release = (ROOT / ".github" / "workflows" / "release.yml").read_text()
    assert "/tmp/fresh/bin/dealbrief check\n" in release and "/tmp/fresh/bin/mkdocs build --strict\n" in release  # the same
    checked = run(str(fresh / "dealbrief"), "check", cwd=repo)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    site = run(str(fresh / "mkdocs"), "build", "--strict", cwd=repo, env={"NO_MKDOCS_2_WARNING": "1"})
    assert site.returncode == 0, site.stderr
    assert (repo / "site" / "pdf" / "northwind-incident-analytics.pdf").read_bytes().startswith(b"%PDF")
