"""Nothing lost, nothing stale: a cache that heals, one build at a time, a site replaced in one step.

Each test reproduces a fault a real machine has — a damaged cache, two builds at once, a build killed while
the new site goes in place, a ``site/`` that is a symbolic link or cannot be deleted — and checks what a
user is left with.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from dealbrief import publish

from ..conftest import DEALBRIEF, MKDOCS, ROOT, build_site, make_repo

EXAMPLES = sorted((ROOT / "deals").glob("*.yaml"))[:2]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1790000000"}
DAMAGE = {
    "empty": lambda entry, other: entry.write_bytes(b""),
    "truncated": lambda entry, other: entry.write_bytes(entry.read_bytes()[: len(entry.read_bytes()) // 2]),
    "garbage": lambda entry, other: entry.write_bytes(os.urandom(len(entry.read_bytes()))),
    "swapped": lambda entry, other: shutil.copyfile(other, entry),  # another entry's, whole and well-formed
}


def build(repo: Path, *options: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([MKDOCS, "build", *options], cwd=repo, capture_output=True, text=True, env=env or ENV, timeout=600)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path, *EXAMPLES)


# --- the cache ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_cache_entry_of_any_kind_is_made_again(repo: Path, damage: str) -> None:
    assert build(repo, "--strict").returncode == 0
    clean = snapshot(repo / "site")
    cache = repo / ".cache" / "dealbrief"
    for kind in ("page", "pdf", "pdf-index"):
        first, second = sorted((cache / kind).iterdir())[:2]
        DAMAGE[damage](first, second)
    done = build(repo, "--strict")
    assert done.returncode == 0, done.stderr
    assert "cache: 3 damaged entries ignored and made again" in done.stderr
    assert all(f"{kind} " in done.stderr for kind in ("page", "pdf", "pdf-index"))
    assert snapshot(repo / "site") == clean  # byte for byte what a clean build makes
    again = build(repo, "--strict")
    assert "damaged entries" not in again.stderr and "0 exported" in again.stderr  # healed: nothing to make again


def test_dealbrief_pdf_never_hands_out_a_damaged_pdf(repo: Path) -> None:
    first = subprocess.run([DEALBRIEF, "pdf", "--out", "one"], cwd=repo, capture_output=True, text=True, env=ENV, timeout=600)
    assert first.returncode == 0, first.stderr
    for entry in (repo / ".cache" / "dealbrief" / "pdf").iterdir():
        entry.write_bytes(entry.read_bytes()[:100])
    again = subprocess.run([DEALBRIEF, "pdf", "--out", "two"], cwd=repo, capture_output=True, text=True, env=ENV, timeout=600)
    assert again.returncode == 0 and "5 damaged cache entries were made again" in again.stderr
    assert snapshot(repo / "one") == snapshot(repo / "two")


def test_work_files_a_killed_build_left_are_removed_and_none_go_to_the_system_temp(repo: Path) -> None:
    left = repo / ".cache" / "dealbrief" / "scratch" / "tmp-killed" / "in.md"
    left.parent.mkdir(parents=True)
    left.write_text("the internal handoff's text")
    temp = Path(os.environ.get("TMPDIR", "/tmp"))
    before = set(temp.iterdir())
    assert build(repo).returncode == 0
    assert not left.exists()
    assert not {p for p in set(temp.iterdir()) - before if "dealbrief" in p.name or p.name.startswith("tmp")}


def test_a_pipe_among_the_deals_neither_hangs_check_nor_hides_the_others(repo: Path) -> None:
    os.mkfifo(repo / "deals" / "pipe.yaml")  # nobody writes to it: reading it would wait for ever
    done = subprocess.run([DEALBRIEF, "check"], cwd=repo, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "deals/pipe.yaml:1:1: this is a pipe, not a deal file" in done.stdout
    assert "3 deals checked: 1 invalid" in done.stdout  # the two others were checked


# --- one build at a time ---------------------------------------------------------------------------------------------


def test_two_builds_at_once_leave_one_whole_site(repo: Path) -> None:
    for index in range(12):  # enough work that the second starts while the first runs; not copies of the won deal, whose
        shutil.copy(EXAMPLES[1], repo / "deals" / f"copy-{index}.yaml")  # promise is in no copy's history (DB118, an error)
    first = subprocess.Popen([MKDOCS, "build", "--strict"], cwd=repo, env=ENV, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen([MKDOCS, "build", "--strict"], cwd=repo, env=ENV, stderr=subprocess.PIPE, text=True)
    logs = [first.communicate(timeout=600)[1], second.communicate(timeout=600)[1]]
    assert first.returncode == 0 and second.returncode == 0, logs
    assert any("another build in this repository is running; waiting for it to finish" in log for log in logs)
    together = snapshot(repo / "site")
    shutil.rmtree(repo / "site")
    assert build(repo, "--strict").returncode == 0
    assert together == snapshot(repo / "site")  # what one build alone makes, every file of it
    assert [p.name for p in repo.iterdir() if p.name.startswith("site")] == ["site"]


# --- the site goes in place in one step ------------------------------------------------------------------------------


# Loaded by the killed build's Python (sitecustomize, from PYTHONPATH): the site goes in place through publish.publish's
# checkpoints, and this one kills the build at the step named in KILL_AT — a test hook kept out of dealbrief itself.
KILLER = """
import os, signal
import dealbrief.publish as publish
_publish = publish.publish
def _killed_at(step):
    if step == os.environ.get("KILL_AT"):
        os.kill(os.getpid(), signal.SIGKILL)
publish.publish = lambda building, site, checkpoint=None: _publish(building, site, _killed_at)
"""


@pytest.mark.parametrize("step", ["before-swap", "after-swap"])
def test_a_build_killed_while_the_site_goes_in_place_leaves_a_whole_site(repo: Path, tmp_path: Path, step: str) -> None:
    assert build(repo).returncode == 0
    previous = snapshot(repo / "site")
    deal = repo / "deals" / EXAMPLES[0].name
    deal.write_text(deal.read_text().replace("title: ", "title: Renewed ", 1))
    (tmp_path / "hook").mkdir()
    (tmp_path / "hook" / "sitecustomize.py").write_text(KILLER, encoding="utf-8")
    paths = [str(tmp_path / "hook"), *filter(None, ENV.get("PYTHONPATH", "").split(os.pathsep))]
    killed = build(repo, env={**ENV, "KILL_AT": step, "PYTHONPATH": os.pathsep.join(paths)})
    assert killed.returncode == -9
    left = snapshot(repo / "site")
    assert build(repo).returncode == 0
    new = snapshot(repo / "site")
    assert new != previous
    assert left == (previous if step == "before-swap" else new)  # whole, old or new, at every instant
    assert [p.name for p in repo.iterdir() if p.name.startswith("site")] == ["site"]  # the next build cleared what was left


def test_a_site_that_is_a_symbolic_link_stays_one(repo: Path) -> None:
    (repo / "served").mkdir()
    (repo / "site").symlink_to("served")
    for _ in range(2):
        done = build(repo, "--strict")
        assert done.returncode == 0, done.stderr
        assert (repo / "site").is_symlink() and (repo / "served" / "index.html").is_file()
    assert sorted(p.name for p in repo.iterdir() if p.name.startswith(("site", "served"))) == ["served", "site"]


def test_an_old_site_that_cannot_be_deleted_is_a_warning_not_a_broken_build(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = shutil.rmtree
    monkeypatch.setattr(publish, "remove", lambda folder: f"could not delete {folder} (Permission denied); delete it by hand")
    for _ in range(3):  # the old site stays behind each time; every build still succeeds
        build_site(repo)
        assert (repo / "site" / "index.html").is_file()
    assert len(publish.leftovers(repo / "site")) == 2
    monkeypatch.setattr(publish, "remove", lambda folder: real(folder))
    build_site(repo)
    assert publish.leftovers(repo / "site") == []


def test_a_file_system_that_cannot_swap_gets_two_renames_and_a_warning(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(publish, "_exchange", lambda first, second: False)
    build_site(repo)
    building = publish.building_folder(repo / "site")
    building.mkdir()
    (building / "new.html").write_text("new")
    warnings = publish.publish(building, repo / "site")
    assert warnings == [f"this file system cannot swap two folders in one step: {repo / 'site'} was replaced by two renames"]
    assert [p.name for p in (repo / "site").iterdir()] == ["new.html"] and publish.leftovers(repo / "site") == []


# --- what an outside fault-injection trial found --------------------------------------------------------------------


def _replace_with_folder(entry: Path) -> None:
    entry.unlink()
    entry.mkdir()


def _replace_with_pipe(entry: Path) -> None:
    entry.unlink()
    os.mkfifo(entry)  # reading it would wait for ever


def _replace_with_link(entry: Path) -> None:
    entry.unlink()
    entry.symlink_to("/dev/zero")  # reading it would never end


@pytest.mark.parametrize("damage", [_replace_with_folder, _replace_with_pipe, _replace_with_link], ids=["folder", "pipe", "link"])
def test_a_cache_entry_that_is_not_a_file_is_made_again(repo: Path, damage: object) -> None:
    assert build(repo, "--strict").returncode == 0
    clean = snapshot(repo / "site")
    for kind in ("page", "pdf", "pdf-index"):
        damage(sorted((repo / ".cache" / "dealbrief" / kind).iterdir())[0])  # type: ignore[operator]
    done = subprocess.run([MKDOCS, "build", "--strict"], cwd=repo, capture_output=True, text=True, env=ENV, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "cache: 3 damaged entries ignored and made again" in done.stderr and snapshot(repo / "site") == clean


def test_a_cache_folder_that_is_a_file_is_made_again(repo: Path) -> None:
    assert build(repo).returncode == 0
    shutil.rmtree(repo / ".cache" / "dealbrief" / "pdf")
    (repo / ".cache" / "dealbrief" / "pdf").write_text("not a folder")
    (repo / "deals" / EXAMPLES[0].name).write_text((repo / "deals" / EXAMPLES[0].name).read_text().replace("title: ", "title: New ", 1))
    done = build(repo, "--strict")
    assert done.returncode == 0, done.stderr
    assert (repo / ".cache" / "dealbrief" / "pdf").is_dir()


def test_a_site_that_is_a_file_is_left_alone_with_a_clear_message(repo: Path) -> None:
    (repo / "site").write_text("my notes")
    done = build(repo)
    assert done.returncode == 1 and "is a file, not the site's folder: move it away" in done.stderr and "Traceback" not in done.stderr
    assert (repo / "site").read_text() == "my notes" and publish.leftovers(repo / "site") == []


def test_a_mounted_site_gets_the_new_site_copied_in(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A mount point (a container's volume) cannot be renamed: its content is replaced, with a warning."""
    build_site(repo)
    mounted = str(publish.target(repo / "site"))
    monkeypatch.setattr(publish.os.path, "ismount", lambda path: str(path) == mounted)
    (repo / "deals" / EXAMPLES[0].name).write_text((repo / "deals" / EXAMPLES[0].name).read_text().replace("title: ", "title: New ", 1))
    build_site(repo)
    assert "New " in (repo / "site" / "deals" / EXAMPLES[0].stem / "index.html").read_text()
    assert publish.leftovers(repo / "site") == []


def test_a_site_that_cannot_be_replaced_is_a_clear_error_and_stays(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_site(repo)
    before = snapshot(repo / "site")

    def refused(first: Path, second: Path) -> bool:
        raise OSError(1, "Operation not permitted", str(second))

    monkeypatch.setattr(publish, "_exchange", refused)
    from mkdocs.exceptions import PluginError

    with pytest.raises(PluginError, match=r"cannot put the new site in place of .*site \(Operation not permitted\); the previous site is"):
        build_site(repo)
    assert snapshot(repo / "site") == before


def test_a_link_among_the_deals_cannot_take_a_valid_deals_pages(repo: Path) -> None:
    (repo / "deals" / "zzz.yaml").symlink_to(EXAMPLES[0].name)
    done = build(repo)
    assert done.returncode == 0
    assert "deals/zzz.yaml:1:1: deal files may not be symbolic links" in done.stderr
    assert f"deals/{EXAMPLES[0].name}:1:1" not in done.stderr
    summary = repo / "site" / "deals" / EXAMPLES[0].stem
    assert {p.name for p in summary.iterdir()} >= {"index.html", "handoff", "numbers", "cashflow.svg"}


def test_pandoc_keeps_its_temporary_files_in_the_workers_folder(tmp_path: Path) -> None:
    from dealbrief.output.render import Renderer
    from dealbrief.pdf import worker
    from dealbrief.pdf.fonts import folders

    templates = {name: Renderer().asset(name) for name in ("document.typ", "export.lua")}
    worker.start_worker(templates, str(tmp_path), folders())
    try:
        environment = Path(f"/proc/{worker._worker['pandoc'].pid}/environ").read_bytes().split(b"\0")
        assert f"TMPDIR={worker._worker['work']}".encode() in environment
    finally:
        worker._worker["pandoc"].kill()
        worker._worker.clear()


def test_dealbrief_pdf_never_writes_into_the_site(repo: Path) -> None:
    assert build(repo).returncode == 0
    site = snapshot(repo / "site")
    done = subprocess.run([DEALBRIEF, "pdf"], cwd=repo, capture_output=True, text=True, env=ENV, timeout=300)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (repo / "pdfs").iterdir()) == sorted(
        [f"{deal.stem}{suffix}.pdf" for deal in EXAMPLES for suffix in ("", "-handoff")] + ["alder-health-claims-automation-value.pdf"]
    )
    assert snapshot(repo / "site") == site
