"""A deal file's earlier versions, read from git: the version the CFO received is the promise, and the version in which an
answer was written holds the facts it answered.

``sent.file_hash`` records the SHA-256 of the deal file that was sent (older files: its first 12 hex digits, which every
PDF's footer prints), and :meth:`History.found` finds the committed version with that hash — exactly one, or it says
which commits share the prefix.  One ``git log`` lists the versions of every file in the deals folder (read once, when the
first deal asks), and one long-lived ``git cat-file --batch`` reads the versions each deal asks for; a file renamed since
it was sent is followed through its renames.  The bytes found are checked against the hash.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

from ..deal.load import file_digest
from ..git import GitError, git


class NotInHistory(GitError):
    """The sent version could not be read: why, and what to do."""


@dataclass(frozen=True)
class Version:
    """One committed version of a file: the commit that made it, that commit's date, and its content's git blob id."""

    commit: str
    day: date
    blob: str


def file_hash(raw: bytes) -> str:
    """The hash ``dealbrief sent`` records of the version sent: the SHA-256 of the deal file, in full."""
    return file_digest(raw)


def last_changes(folder: Path, header: str) -> dict[str, str]:
    """Each file's name (relative to ``folder``) and the ``header`` (a ``git log`` format) of the commit that made its
    current version — a merge that made one included; nothing outside git, or without git."""
    try:
        prefix = git(folder, "rev-parse", "--show-prefix").decode("utf-8", "surrogateescape").strip()
        log = git(folder, "-c", "core.quotePath=false", "log", "--cc", f"--format=%x00{header}", "--name-only", "--", ".")
    except GitError:
        return {}
    latest: dict[str, str] = {}
    current = ""
    for line in log.decode("utf-8", "surrogateescape").splitlines():  # a name that is not UTF-8 stays as the file system has it
        if line.startswith("\0"):
            current = line[1:]
        elif line.startswith(prefix):  # names from the top of the repository: --relative leaves a merge's unchanged (git 2.39)
            latest.setdefault(line.removeprefix(prefix), current)
    return latest


def _versions(log: bytes) -> tuple[dict[str, list[Version]], dict[str, set[str]]]:
    """``git log -m -M --format=%x00%H %as --raw`` read as each file name's versions, newest first (a deletion has none),
    and the names each file was renamed from."""
    found: dict[str, list[Version]] = {}
    renamed: dict[str, set[str]] = {}
    commit, day = "", date.min
    for line in log.decode(errors="replace").splitlines():
        if line.startswith("\0"):
            commit, stamp = line[1:].split(" ")
            day = date.fromisoformat(stamp)
        elif line.startswith(":") and "\t" in line:
            meta, *names = line.split("\t")
            blob = meta.split()[3]
            if len(names) == 2 and names[0] != names[1]:  # "R100\told\tnew"
                renamed.setdefault(names[1], set()).add(names[0])
            versions = found.setdefault(names[-1], [])
            if set(blob) != {"0"} and not (versions and versions[-1].blob == blob and versions[-1].commit == commit):  # -m: per parent
                versions.append(Version(commit, day, blob))
    return found, renamed


class History:
    """The committed versions of the files in one folder; :meth:`close` ends its reader."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()
        self.reader: subprocess.Popen[bytes] | None = None
        self.memo: dict[tuple[str, ...], object] = {}  # what callers derived from a version, by what and its id: derived once
        self._log: tuple[dict[str, list[Version]], dict[str, set[str]]] | NotInHistory | None = None

    def close(self) -> None:
        if self.reader is not None:
            self.reader.communicate()
            self.reader = None

    def contents(self, blobs: list[str]) -> list[bytes]:
        """The contents of ``blobs`` (ids git listed), through one ``git cat-file --batch`` kept for every deal."""
        if self.reader is None:
            self.reader = subprocess.Popen(["git", "cat-file", "--batch"], cwd=self.folder, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self.reader.stdin and self.reader.stdout
        found = []
        for blob in blobs:
            self.reader.stdin.write(f"{blob}\n".encode())
            self.reader.stdin.flush()
            header = self.reader.stdout.readline().split()
            if len(header) != 3:  # "<blob> missing": a partial clone that cannot fetch it
                raise NotInHistory(
                    f"git cannot read an earlier version of the deal ({b' '.join(header).decode(errors='replace')}); "
                    "the history is incomplete: fetch it (git fetch --refetch, or a full clone)"
                )
            size = int(header[2])
            found.append(self.reader.stdout.read(size + 1)[:size])
        return found

    @property
    def log(self) -> tuple[dict[str, list[Version]], dict[str, set[str]]]:
        """Each file name's committed versions, newest first, a merge's included (``-m``), and its earlier names (``-M``):
        read once, and so is its absence (outside git, every deal would ask again)."""
        if self._log is None:
            try:
                log = git(self.folder, "log", "-m", "-M", "--format=%x00%H %as", "--raw", "--no-abbrev", "--relative", "--", ".")
                self._log = _versions(log)
            except GitError:
                self._log = NotInHistory("the deal file is not in a git repository with commits; the promise is read from its history")
        if isinstance(self._log, NotInHistory):
            raise self._log
        return self._log

    @cached_property
    def shallow(self) -> bool:
        """Is this a shallow clone, whose history stops short?"""
        return git(self.folder, "rev-parse", "--is-shallow-repository").decode().strip() == "true"

    def versions(self, name: str) -> list[Version]:
        """The committed versions of file ``name``, newest first, with those it had under the names it was renamed from in
        this folder (none for a file never committed)."""
        by_name, renamed = self.log
        names, todo = {name}, [name]
        while todo:
            for earlier in renamed.get(todo.pop(), set()) - names:
                names.add(earlier)
                todo.append(earlier)
        found = [version for each in names for version in by_name.get(each, [])]
        return sorted(found, key=lambda v: v.day, reverse=True) if len(names) > 1 else found

    def found(self, name: str, wanted: str) -> tuple[bytes, Version]:
        """The one committed version of file ``name`` whose hash is ``wanted`` (or starts with it: a footer's short hash), and
        the commit that made it; or :class:`NotInHistory` saying what to do — also when a short hash names two versions.

        Its versions in this folder (under every name it had here) are looked at first; only when none matches, its
        history beyond the folder (``git log --follow``, one more process) too."""
        own, earlier = _each_once(self.versions(name)), []
        matches = self._matching(own, wanted)
        if not matches:
            log = git(self.folder, "log", "-m", "--follow", "--format=%x00%H %as", "--raw", "--no-abbrev", "--", name)
            seen = {v.blob for v in own}
            earlier = _each_once([v for versions in _versions(log)[0].values() for v in versions if v.blob not in seen])
            matches = self._matching(earlier, wanted)
        if len(matches) == 1:
            raw, made = next(iter(matches.values()))
            return raw, made[0]
        if matches:
            named = "; ".join(f"commit {v[0].commit[:12]} ({v[0].day.isoformat()}): {digest}" for digest, (_, v) in sorted(matches.items()))
            raise NotInHistory(
                f"the hash {wanted} names {len(matches)} versions of {name} ({named}); write the full hash of the version the CFO "
                "received in sent.file_hash"
            )
        if self.shallow:
            raise NotInHistory(
                f"no version of {name} in this clone has hash {wanted}, and the clone is shallow: fetch the whole history "
                "(git fetch --unshallow; in GitHub Actions, actions/checkout with fetch-depth: 0)"
            )
        raise NotInHistory(
            f"no committed version of {name} has hash {wanted} ({len(own) + len(earlier)} versions looked at); copy the hash from "
            "the footer of the PDF that was sent, or run `dealbrief sent ID` to record the current committed version"
        )

    def _matching(self, candidates: list[Version], wanted: str) -> dict[str, tuple[bytes, list[Version]]]:
        """The contents among ``candidates`` whose hash starts with ``wanted``, by hash, with the versions holding each."""
        matches: dict[str, tuple[bytes, list[Version]]] = {}
        for version, raw in zip(candidates, self.contents([v.blob for v in candidates]), strict=True):
            digest = file_digest(raw)
            if digest.startswith(wanted):
                matches.setdefault(digest, (raw, []))[1].append(version)
        return matches


def _each_once(versions: list[Version]) -> list[Version]:
    """Each content once, named by the oldest commit holding it (the one that made it)."""
    oldest: dict[str, Version] = {}
    for version in reversed(versions):
        oldest.setdefault(version.blob, version)
    return list(oldest.values())
