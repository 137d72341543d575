"""Faults and confidentiality, run as a user runs dealbrief: ids that try to leave deals/, a build writing only
where it should, a killed or failed build, CI-mode messages, reproducible builds.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from ..conftest import BIN, CLEAN, GIT_AUTHOR, ROOT, build_site, make_repo, mutate, write_deal


@pytest.mark.parametrize("command", [["show", "../secret"], ["show", "../../etc/passwd"], ["pdf", "../secret"]])
def test_ids_on_the_command_line_cannot_leave_deals(tmp_path: Path, command: list[str]) -> None:
    (tmp_path / "deals").mkdir()
    (tmp_path / "secret.yaml").write_text(yaml.safe_dump(mutate(CLEAN, {"customer": "SECRET-OUTSIDE"})))
    done = subprocess.run([str(BIN / "dealbrief"), *command], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "SECRET-OUTSIDE" not in done.stdout + done.stderr and "no deal" in done.stderr


def test_a_build_writes_only_into_site_and_the_cache(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path,
        ROOT / "deals" / "northwind-incident-analytics.yaml",
        ROOT / "tests" / "examples" / "hostile" / "deals" / "hostile-text.yaml",
    )
    before = {p for p in repo.rglob("*")}
    build_site(repo)
    new = {p for p in repo.rglob("*")} - before
    assert new and all(p.is_relative_to(repo / "site") or p.is_relative_to(repo / ".cache") for p in new), new
    assert not any(p.name.startswith("site.") for p in repo.iterdir())  # no half-built or old site left over


# --- faults ---------------------------------------------------------------------------------------------------------


def processes_in(folder: Path) -> list[int]:
    """The processes working in ``folder`` (Linux)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if Path(os.readlink(proc / "cwd")).is_relative_to(folder):
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def test_a_killed_build_leaves_the_previous_site(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, ROOT / "deals" / "northwind-incident-analytics.yaml")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([str(BIN / "mkdocs"), "build"], cwd=repo, check=True, capture_output=True, env=env, timeout=300)
    previous = {p.relative_to(repo / "site"): p.read_bytes() for p in (repo / "site").rglob("*") if p.is_file()}
    for index in range(40):  # enough work that the build is still running when it is killed
        write_deal(repo / "deals", mutate(CLEAN, {"customer": f"Customer {index}"}), f"deal-{index}")
    said = (tmp_path / "stderr").open("wb")  # the build's, and its background's and workers' after it is gone
    build = subprocess.Popen([str(BIN / "mkdocs"), "build"], cwd=repo, env=env, stdout=subprocess.DEVNULL, stderr=said)
    pdfs, deadline = repo / ".cache" / "dealbrief" / "pdf", time.monotonic() + 120
    while len(list(pdfs.glob("*"))) < 4 and time.monotonic() < deadline:  # half-way: exporting the new PDFs
        time.sleep(0.02)
    build.send_signal(signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 15
    while processes_in(repo) and time.monotonic() < deadline:  # the background and its workers notice and stop
        time.sleep(0.1)
    assert not processes_in(repo), "the killed build left processes behind"
    said.close()
    assert b"Traceback" not in (tmp_path / "stderr").read_bytes()  # the workers are stopped, not left to fail handing back
    assert {p.relative_to(repo / "site"): p.read_bytes() for p in (repo / "site").rglob("*") if p.is_file()} == previous
    subprocess.run([str(BIN / "mkdocs"), "build"], cwd=repo, check=True, capture_output=True, env=env, timeout=600)
    assert (repo / "site" / "deals" / "deal-39" / "index.html").is_file() and not (repo / "site.building").exists()


def test_a_failed_strict_build_leaves_the_previous_site(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, ROOT / "deals" / "northwind-incident-analytics.yaml")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([str(BIN / "mkdocs"), "build"], cwd=repo, check=True, capture_output=True, env=env, timeout=300)
    (repo / "deals" / "broken.yaml").write_text("dealbrief: 1\n")
    done = subprocess.run([str(BIN / "mkdocs"), "build", "--strict"], cwd=repo, capture_output=True, env=env, timeout=300)
    assert done.returncode == 1
    assert not (repo / "site" / "deals" / "broken").exists() and (repo / "site" / "index.html").is_file()


# --- confidentiality ------------------------------------------------------------------------------------------------


def test_ci_mode_names_file_line_and_key_but_no_value(tmp_path: Path) -> None:
    (tmp_path / "deals").mkdir()
    write_deal(
        tmp_path / "deals",
        mutate(CLEAN, {"costs.subscription": "SECRET-PRICE", "stage": "SECRET-STAGE", "poc.start": "SECRET-DATE"}),
        "broken",
    )
    write_deal(
        tmp_path / "deals",
        mutate(
            CLEAN,
            {
                "commercial": {"competitor": {"name": "SECRET-RIVAL", "status": "incumbent", "note": "SECRET-NOTE"}},
                "recommendation": "Lower SECRET-API latency",
            },
        ),
        "valid",
    )
    (tmp_path / "deals" / "bad-date.yaml").write_text("dealbrief: 1\ncustomer: x\npoc: {start: 2026-02-30}\n")
    for fmt in ("text", "json", "github"):
        done = subprocess.run(
            [str(BIN / "dealbrief"), "check", "--format", fmt],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env={"PATH": os.environ["PATH"], "CI": "true"},
            timeout=60,
        )
        out = done.stdout + done.stderr
        assert "SECRET" not in out and "2026-02-30" not in out, out
        assert "deals/broken.yaml" in out and "costs.subscription" in out and "DB103" in out
    text = subprocess.run(
        [str(BIN / "dealbrief"), "check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PATH": os.environ["PATH"], "CI": "true"},
        timeout=60,
    ).stdout
    assert re.search(r"deals/broken.yaml:\d+:3: costs.subscription: expected a number at least 0, found text \(not shown in CI\)", text)


def test_ci_mode_keeps_the_logs_quiet_and_the_site_whole(tmp_path: Path) -> None:
    """CI prints each finding's rule summary, but the site built there (published by pages.yml) is the same as anywhere."""
    repo = make_repo(tmp_path, ROOT / "deals" / "northwind-incident-analytics.yaml")
    ci = {**os.environ, "CI": "true"}
    for command in (["show", "northwind-incident-analytics"], ["check"]):
        done = subprocess.run([str(BIN / "dealbrief"), *command], cwd=repo, capture_output=True, text=True, env=ci, timeout=60)
        said = " ".join((done.stdout + done.stderr).split())  # as read, across the lines rich wrapped
        assert "No economic buyer is named, or they have not been engaged." in said, command
    check = subprocess.run([str(BIN / "dealbrief"), "check"], cwd=repo, capture_output=True, text=True, env=ci, timeout=60)
    assert "Morgan Blake" not in check.stdout + check.stderr
    build = subprocess.run([str(BIN / "mkdocs"), "build"], cwd=repo, capture_output=True, text=True, env=ci, timeout=300)
    handoff = (repo / "site" / "deals" / "northwind-incident-analytics" / "handoff" / "index.html").read_text()
    row = handoff.split("economic-buyer-not-engaged (question)", 1)[1].split("</tr>", 1)[0]  # the findings table's row
    assert build.returncode == 0 and "Morgan Blake (CFO) has not been engaged. Who walks Morgan Blake through this case" in row


# --- reproducibility ------------------------------------------------------------------------------------------------


def test_two_builds_of_the_same_commit_are_identical(tmp_path: Path) -> None:
    sites = []
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        repo = make_repo(tmp_path / name, *sorted((ROOT / "deals").glob("*.yaml")))
        subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
        subprocess.run(["git", "-c", "user.email=a@b", "-c", "user.name=a", "add", "-A"], cwd=repo, check=True)
        subprocess.run(
            ["git", "-c", "user.email=a@b", "-c", "user.name=a", "commit", "-qm", "x", "--date", "2026-10-01T12:00:00"],
            cwd=repo,
            check=True,
            env={**os.environ, "GIT_COMMITTER_DATE": "2026-10-01T12:00:00"},
        )
        sites.append(build_site(repo))
    one, two = sites
    generated = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file() and (p.suffix == ".pdf" or "deals" in p.parts))
    assert len(generated) > 15
    for path in generated:
        assert (one / path).read_bytes() == (two / path).read_bytes(), path
    assert "built 2026-10-01" in PdfReader(one / "pdf" / "northwind-incident-analytics.pdf").pages[0].extract_text()
    shutil.rmtree(tmp_path / "one")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env={**os.environ, **GIT_AUTHOR})


def test_a_version_made_by_a_merge_is_found_and_dated(tmp_path: Path) -> None:
    """Two branches change the deal; the merge makes a version no single commit has. It is the one sent."""
    from dealbrief.engine.history import History, file_hash, last_changes

    repo = make_repo(tmp_path, ROOT / "deals" / "northwind-incident-analytics.yaml")
    deal = repo / "deals" / "northwind-incident-analytics.yaml"
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "one")
    _git(repo, "checkout", "-qb", "title")
    deal.write_text(deal.read_text().replace("title: Incident analytics platform", "title: Incident analytics"))
    _git(repo, "commit", "-qam", "title")
    _git(repo, "checkout", "-q", "main")
    deal.write_text(deal.read_text().replace("discount_rate: 0.10", "discount_rate: 0.09"))
    _git(repo, "commit", "-qam", "rate")
    _git(repo, "merge", "-q", "--no-edit", "title")
    merged = deal.read_bytes()
    assert b"title: Incident analytics\n" in merged and b"discount_rate: 0.09" in merged
    history = History(repo / "deals")
    assert history.found(deal.name, file_hash(merged))[0] == merged
    history.close()
    merge = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True).stdout.strip()
    assert last_changes(repo / "deals", "%H")[deal.name] == merge  # the merge made this version: its date, its commit


def test_a_file_name_that_is_not_utf8_in_the_history_breaks_nothing(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, ROOT / "deals" / "northwind-incident-analytics.yaml")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "core.quotePath", "false")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "one")
    odd = repo / "deals" / os.fsdecode(b"bad\xff.yaml")
    shutil.copy(repo / "deals" / "northwind-incident-analytics.yaml", odd)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "a file name that is not UTF-8")
    dealbrief = str(BIN / "dealbrief")
    diff = subprocess.run([dealbrief, "diff", "--base", "HEAD~1"], cwd=repo, capture_output=True, text=True, timeout=60)
    assert diff.returncode == 0 and "bad\\udcff (added)" in diff.stdout and "must be the deal id" in diff.stdout
    odd.unlink()
    _git(repo, "commit", "-qam", "removed, and still in the history")
    for command in (["export"], ["pdf"], ["diff", "--base", "HEAD~2"]):
        done = subprocess.run([dealbrief, *command], cwd=repo, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0 and "internal error" not in done.stderr, (command, done.stderr)


def test_without_git_every_command_still_works_or_says_why(tmp_path: Path) -> None:
    """A slim container may have no git: dates come from the files, and only `diff` needs the history."""
    repo = make_repo(tmp_path, ROOT / "deals" / "northwind-incident-analytics.yaml")
    no_git = {**os.environ, "PATH": str(tmp_path / "nothing-here")}
    dealbrief = str(BIN / "dealbrief")
    for command in (["export"], ["pdf"]):
        done = subprocess.run([dealbrief, *command], cwd=repo, capture_output=True, text=True, timeout=120, env=no_git)
        assert done.returncode == 0 and "internal error" not in done.stderr, (command, done.stderr)
    build = subprocess.run([str(BIN / "mkdocs"), "build"], cwd=repo, capture_output=True, text=True, timeout=300, env=no_git)
    assert build.returncode == 0 and (repo / "site" / "pdf" / "northwind-incident-analytics.pdf").is_file(), build.stderr
    diff = subprocess.run([dealbrief, "diff"], cwd=repo, capture_output=True, text=True, timeout=60, env=no_git)
    assert diff.returncode == 2 and diff.stderr.startswith("dealbrief: git could not run (No such file or directory)")
