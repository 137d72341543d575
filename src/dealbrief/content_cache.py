"""The content-keyed cache in ``.cache/dealbrief/``: charts, rendered pages, PDFs, and which PDFs a deal has.

An entry's key is the hash of everything that decides its content, so a stale entry is never
found, only left behind; the folder is safe to delete.  Every entry starts with a line that
names it — its kind, its key, the SHA-256 and length of what follows — and is checked against
that line when it is read: an empty, truncated, overwritten or swapped entry is a miss (noted
in :attr:`Cache.damaged`, removed, then made again), never served and never a crash.  Entries
are written aside and renamed into place, so a killed build leaves no half-written one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import DealbriefError

DEFAULT = Path(".cache") / "dealbrief"
MAGIC = b"dealbrief-cache/1"
KINDS = frozenset({"chart", "page", "pdf", "pdf-index"})


def key(*inputs: object) -> str:
    """The name of the entry made from ``inputs`` (their ``repr`` must determine the content)."""
    return hashlib.sha256(repr(inputs).encode()).hexdigest()


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` at ``path`` so that a reader sees the old file or the new one, never part of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)


class Cache:
    """Verified entries by kind and key, in ``root``."""

    def __init__(self, root: Path = DEFAULT) -> None:
        self.root = root
        self.damaged: list[str] = []  # "kind key…: why", for the caller to report once

    def path(self, kind: str, entry: str) -> Path:
        assert kind in KINDS, kind
        return self.root / kind / entry

    def get(self, kind: str, entry: str) -> bytes | None:
        """The content stored as ``kind``/``entry``, or None if there is none that checks out."""
        path = self.path(kind, entry)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            return self._damaged(kind, entry, f"cannot be read ({exc.strerror})")
        header, newline, content = raw.partition(b"\n")
        fields = header.split(b" ")
        expected = [MAGIC, kind.encode(), entry.encode(), hashlib.sha256(content).hexdigest().encode(), str(len(content)).encode()]
        if not newline or fields != expected:
            return self._damaged(kind, entry, "does not match its own header (empty, cut short, overwritten or another entry's)")
        return content

    def get_json(self, kind: str, entry: str) -> Any:
        content = self.get(kind, entry)
        if content is None:
            return None
        try:
            return json.loads(content)
        except ValueError:
            return self._damaged(kind, entry, "is not the JSON it was written as")

    def put(self, kind: str, entry: str, content: bytes) -> None:
        header = b" ".join([MAGIC, kind.encode(), entry.encode(), hashlib.sha256(content).hexdigest().encode(), str(len(content)).encode()])
        write_atomically(self.path(kind, entry), header + b"\n" + content)

    def put_json(self, kind: str, entry: str, data: Any) -> None:
        self.put(kind, entry, json.dumps(data).encode())

    def lock(self, timeout: float, waiting: Callable[[], None]) -> Any:
        """Hold this cache, and the site built with it, for one build: a second build waits for the first, never interleaves.

        ``waiting`` is called if another build holds it; after ``timeout`` seconds a :class:`DealbriefError` says so.
        The lock is the operating system's, so a killed build cannot leave it held. Work files a killed build left
        are removed once it is held.
        """
        from filelock import FileLock, Timeout

        self.root.mkdir(parents=True, exist_ok=True)
        lock = FileLock(self.root / "build.lock")
        try:
            lock.acquire(timeout=0)
        except Timeout:
            waiting()
            try:
                lock.acquire(timeout=timeout)
            except Timeout:
                raise DealbriefError(f"another build in this repository held {lock.lock_file} for {timeout:g} s; gave up waiting") from None
        self.clear_scratch()
        return lock

    def scratch(self) -> Path:
        """A fresh private folder for work files (the PDF workers' documents), inside the cache rather than the system's temp."""
        folder = self.root / "scratch"
        folder.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(dir=folder))

    def clear_scratch(self) -> None:
        """Remove work files a killed build left behind (call with the build lock held: no other build is using them)."""
        shutil.rmtree(self.root / "scratch", ignore_errors=True)

    def _damaged(self, kind: str, entry: str, why: str) -> None:
        self.damaged.append(f"{kind} {entry[:12]}… {why}")
        self.path(kind, entry).unlink(missing_ok=True)
        return None
