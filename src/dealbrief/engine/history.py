"""A deal file's earlier versions, read from git: the version the CFO received is the promise.

The footer of every PDF prints the first 12 hex digits of the SHA-256 of the deal file it was made from; ``sent.file_hash``
records it, and :func:`sent_version` finds the committed version with that hash, following renames.  The bytes found are
checked against the hash, so a version once found is the right one wherever it was read from.
"""

from __future__ import annotations

import hashlib
import subprocess
from functools import lru_cache
from pathlib import Path

from ..errors import DealbriefError


class NotInHistory(DealbriefError):
    """The sent version could not be read: why, and what to do."""


def file_hash(raw: bytes) -> str:
    """What a PDF's footer prints of the deal file it was made from (and ``sent.file_hash`` records)."""
    return hashlib.sha256(raw).hexdigest()[:12]


def git(folder: Path, *args: str, data: bytes | None = None) -> bytes:
    """A git command's output, or :class:`NotInHistory` with git's own words."""
    try:
        done = subprocess.run(["git", *args], cwd=folder, input=data, capture_output=True, check=False)
    except OSError as exc:
        raise NotInHistory(f"git could not run ({exc.strerror}); the promise is read from the deal file's git history") from None
    if done.returncode:
        raise NotInHistory(f"git {' '.join(args[:2])}: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def sent_version(path: Path, wanted: str) -> bytes:
    """The committed version of ``path`` whose hash starts with ``wanted``, or :class:`NotInHistory` saying what to do."""
    folder = path.resolve().parent
    return _find(folder, path.resolve().name, wanted, _head(folder))


def _head(folder: Path) -> str:
    try:
        return git(folder, "rev-parse", "HEAD").decode().strip()
    except NotInHistory:
        raise NotInHistory("the deal file is not in a git repository with commits; the promise is read from its history") from None


@lru_cache(maxsize=256)
def _find(folder: Path, name: str, wanted: str, head: str) -> bytes:  # head: a new commit may hold the version
    log = git(folder, "log", "--follow", "--format=", "--raw", "--no-abbrev", "--", name)
    blobs = list(dict.fromkeys(line.split()[3] for line in log.decode().splitlines() if line.startswith(":")))
    blobs = [b for b in blobs if set(b) != {"0"}]  # a deletion has no content
    if blobs:
        found = _blobs(folder, blobs)
        for raw in found:
            if hashlib.sha256(raw).hexdigest().startswith(wanted):
                return raw
    if git(folder, "rev-parse", "--is-shallow-repository").decode().strip() == "true":
        raise NotInHistory(
            f"no version of {name} in this clone has hash {wanted}, and the clone is shallow: fetch the whole history "
            "(git fetch --unshallow; in GitHub Actions, actions/checkout with fetch-depth: 0)"
        )
    raise NotInHistory(
        f"no committed version of {name} has hash {wanted} ({len(blobs)} versions looked at); copy the hash from the footer of "
        "the PDF that was sent, or run `dealbrief sent ID` to record the current committed version"
    )


def _blobs(folder: Path, blobs: list[str]) -> list[bytes]:
    """The contents of ``blobs``, read by one ``git cat-file --batch``."""
    out, found = git(folder, "cat-file", "--batch", data="".join(f"{b}\n" for b in blobs).encode()), []
    at = 0
    for _ in blobs:
        header_end = out.index(b"\n", at)
        size = int(out[at:header_end].split()[2])
        found.append(out[header_end + 1 : header_end + 1 + size])
        at = header_end + 1 + size + 1
    return found
