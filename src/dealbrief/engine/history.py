"""A deal file's earlier versions, read from git: the version the CFO received is the promise.

The footer of every PDF prints the first 12 hex digits of the SHA-256 of the deal file it was made from; ``sent.file_hash``
records it, and :meth:`History.version` finds the committed version with that hash.  One ``git log`` lists the versions of
every file in the deals folder (read once, when the first won deal asks), and one long-lived ``git cat-file --batch`` reads
the versions each deal asks for; a file renamed since it was sent is followed through its renames.  The bytes found are
checked against the hash.
"""

from __future__ import annotations

import subprocess
from functools import cached_property
from pathlib import Path

from ..deal.load import file_digest
from ..errors import DealbriefError


class NotInHistory(DealbriefError):
    """The sent version could not be read: why, and what to do."""


def file_hash(raw: bytes) -> str:
    """What a PDF's footer prints of the deal file it was made from (and ``sent.file_hash`` records)."""
    return file_digest(raw)[:12]


def git(folder: Path, *args: str, data: bytes | None = None) -> bytes:
    """A git command's output, or :class:`NotInHistory` with git's own words."""
    try:
        done = subprocess.run(["git", *args], cwd=folder, input=data, capture_output=True, check=False)
    except OSError as exc:
        raise NotInHistory(f"git could not run ({exc.strerror}); the promise is read from the deal file's git history") from None
    if done.returncode:
        raise NotInHistory(f"git {' '.join(args[:2])}: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def last_changes(folder: Path, header: str) -> dict[str, str]:
    """Each file's name (relative to ``folder``) and the ``header`` (a ``git log`` format) of the commit that made its
    current version — a merge that made one included; nothing outside git, or without git."""
    try:
        prefix = git(folder, "rev-parse", "--show-prefix").decode("utf-8", "surrogateescape").strip()
        log = git(folder, "-c", "core.quotePath=false", "log", "--cc", f"--format=%x00{header}", "--name-only", "--", ".")
    except NotInHistory:
        return {}
    latest: dict[str, str] = {}
    current = ""
    for line in log.decode("utf-8", "surrogateescape").splitlines():  # a name that is not UTF-8 stays as the file system has it
        if line.startswith("\0"):
            current = line[1:]
        elif line.startswith(prefix):  # names from the top of the repository: --relative leaves a merge's unchanged (git 2.39)
            latest.setdefault(line.removeprefix(prefix), current)
    return latest


class History:
    """The committed versions of the files in one folder; :meth:`close` ends its reader."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()
        self.reader: subprocess.Popen[bytes] | None = None

    def close(self) -> None:
        if self.reader is not None:
            self.reader.communicate()
            self.reader = None

    def _contents(self, blobs: list[str]) -> list[bytes]:
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

    @cached_property
    def blobs(self) -> dict[str, list[str]]:
        """Each file name's committed contents (git blob ids), newest first."""
        try:
            log = git(self.folder, "log", "-m", "--format=", "--raw", "--no-abbrev", "--relative", "--", ".")  # -m: merges' versions too
        except NotInHistory:
            raise NotInHistory("the deal file is not in a git repository with commits; the promise is read from its history") from None
        found: dict[str, list[str]] = {}
        for line in log.decode(errors="replace").splitlines():
            if line.startswith(":") and "\t" in line:
                meta, name = line.split("\t", 1)
                blob = meta.split()[3]
                if set(blob) != {"0"} and blob not in found.get(name, []):  # a deletion has no content
                    found.setdefault(name, []).append(blob)
        return found

    def version(self, name: str, wanted: str) -> bytes:
        """The committed version of file ``name`` whose hash starts with ``wanted``, or :class:`NotInHistory` saying what to do."""
        blobs = self.blobs.get(name, [])
        for raw in self._contents(blobs):
            if file_digest(raw).startswith(wanted):
                return raw
        log = git(self.folder, "log", "-m", "--follow", "--format=", "--raw", "--no-abbrev", "--", name)  # renamed since it was sent?
        earlier = [
            b for b in dict.fromkeys(line.split()[3] for line in log.decode().splitlines() if line.startswith(":")) if b not in blobs
        ]
        for raw in self._contents([b for b in earlier if set(b) != {"0"}]):
            if file_digest(raw).startswith(wanted):
                return raw
        if git(self.folder, "rev-parse", "--is-shallow-repository").decode().strip() == "true":
            raise NotInHistory(
                f"no version of {name} in this clone has hash {wanted}, and the clone is shallow: fetch the whole history "
                "(git fetch --unshallow; in GitHub Actions, actions/checkout with fetch-depth: 0)"
            )
        raise NotInHistory(
            f"no committed version of {name} has hash {wanted} ({len(blobs) + len(earlier)} versions looked at); copy the hash from "
            "the footer of the PDF that was sent, or run `dealbrief sent ID` to record the current committed version"
        )
