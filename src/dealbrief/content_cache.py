"""The content-keyed cache in ``.cache/dealbrief/``: rendered pages, PDFs, and which PDFs a deal has.

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
import stat
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from . import __version__
from .errors import DealbriefError

DEFAULT = Path(".cache") / "dealbrief"
MAGIC = b"dealbrief-cache/1"
HEADER_BYTES = 200  # magic, kind, a 64-hex key, a 64-hex digest, a length
MAX_ENTRY_BYTES = 1 << 30  # no entry is this large: a header claiming more is damaged
KINDS = frozenset({"page", "pdf", "pdf-index"})


CODE_SUFFIXES = frozenset({".py", ".j2", ".typ", ".lua", ".css", ".yaml", ".toml"})


@cache
def code_version() -> str:
    """The package's version and a digest of its own code and templates, for every key that depends on our code.

    An install from a git checkout (or an editable one) keeps its version number across changes; this digest does not,
    so a page or PDF made by other code is never served.
    """
    return f"{__version__}+{code_digest(Path(__file__).parent)[:16]}"


def code_digest(root: Path) -> str:
    """The SHA-256 of every code and template file under ``root``, with its name."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.suffix in CODE_SUFFIXES and "__pycache__" not in p.parts):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def key(*inputs: object) -> str:
    """The name of the entry made from ``inputs`` (their ``repr`` must determine the content)."""
    return hashlib.sha256(repr(inputs).encode()).hexdigest()


def write_atomically(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write ``data`` at ``path`` so that a reader sees the old file or the new one, never part of one.

    A write that fails (a full disk, a file-size limit) leaves no temporary file behind, and its error names ``path``;
    ``mode`` keeps the permissions of the file it replaces.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        if mode is not None:
            os.chmod(temporary, mode)
        temporary.replace(path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror, str(path)) from None


def folder(path: Path) -> Path:
    """``path`` as a folder, made if missing; anything else standing there is removed first (the cache's own folders only)."""
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        remove(path)
    path.mkdir(parents=True, exist_ok=True)
    return path


def remove(path: Path) -> None:
    """Remove whatever is at ``path`` (a file, a link, a pipe, a folder), if anything; what cannot be removed stays."""
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    except OSError:
        pass


class Cache:
    """Verified entries by kind and key, in ``root``."""

    def __init__(self, root: Path = DEFAULT) -> None:
        self.root = root
        self.damaged: list[str] = []  # "kind key…: why", for the caller to report once

    def path(self, kind: str, entry: str) -> Path:
        assert kind in KINDS, kind
        return self.root / kind / entry

    def get(self, kind: str, entry: str) -> bytes | None:
        """The content stored as ``kind``/``entry``, or None if there is none that checks out.

        Only a regular file is read (never through a link, never a pipe that would block), and no more of it
        than its header says it holds.
        """
        path = self.path(kind, entry)
        try:
            descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        except FileNotFoundError:
            return None
        except OSError as exc:
            self._damaged(kind, entry, f"cannot be read ({exc.strerror})")
            return None
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            os.close(descriptor)
            self._damaged(kind, entry, "is not a file")
            return None
        with os.fdopen(descriptor, "rb") as handle:
            header = handle.readline(HEADER_BYTES)
            fields = header.rstrip(b"\n").split(b" ")
            length = int(fields[-1]) if len(fields) == 5 and fields[-1].isdigit() else -1
            content = handle.read(length + 1) if 0 <= length <= MAX_ENTRY_BYTES else b""
        expected = [MAGIC, kind.encode(), entry.encode(), hashlib.sha256(content).hexdigest().encode(), str(len(content)).encode()]
        if not header.endswith(b"\n") or fields != expected:
            self._damaged(kind, entry, "does not match its own header (empty, cut short, overwritten or another entry's)")
            return None
        return content

    def get_json(self, kind: str, entry: str) -> Any:
        content = self.get(kind, entry)
        if content is None:
            return None
        try:
            return json.loads(content)
        except ValueError:
            self._damaged(kind, entry, "is not the JSON it was written as")
            return None

    def put(self, kind: str, entry: str, content: bytes) -> None:
        header = b" ".join([MAGIC, kind.encode(), entry.encode(), hashlib.sha256(content).hexdigest().encode(), str(len(content)).encode()])
        path = self.path(kind, entry)
        folder(path.parent)  # the cache's own folders: whatever else stands where one belongs is removed
        if path.is_dir() and not path.is_symlink():
            remove(path)  # a folder where an entry belongs: replace cannot write over it
        write_atomically(path, header + b"\n" + content)

    def put_json(self, kind: str, entry: str, data: Any) -> None:
        self.put(kind, entry, json.dumps(data).encode())

    def lock(self, timeout: float, waiting: Callable[[], None]) -> Any:
        """Hold this cache, and the site built with it, for one build: a second build waits for the first, never interleaves.

        ``waiting`` is called if another build holds it; after ``timeout`` seconds a :class:`DealbriefError` says so.
        The lock is the operating system's, so a killed build cannot leave it held. Work files a killed build left
        are removed once it is held.
        """
        from filelock import FileLock, Timeout

        if self.root.exists() and not self.root.is_dir():
            raise DealbriefError(f"the cache folder {self.root} is a file: move it away (the cache is safe to delete)")
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            if (self.root / "build.lock").is_dir():
                remove(self.root / "build.lock")
            lock = FileLock(self.root / "build.lock")
            try:
                lock.acquire(timeout=0)
            except Timeout:
                waiting()
                try:
                    lock.acquire(timeout=timeout)
                except Timeout:
                    held = f"another build in this repository held {lock.lock_file} for {timeout:g} s"
                    raise DealbriefError(f"{held}; gave up waiting") from None
            self.clear_scratch()
        except OSError as exc:  # e.g. made by a build run as another user (sudo, a container)
            raise DealbriefError(
                f"cannot use the cache folder {self.root} ({exc.strerror}): it must be yours to write; it is safe to delete"
            ) from None
        return lock

    def scratch(self) -> Path:
        """A fresh private folder for work files (the PDF workers' documents), inside the cache rather than the system's temp."""
        return Path(tempfile.mkdtemp(dir=folder(self.root / "scratch")))

    def clear_scratch(self) -> None:
        """Remove work files a killed build left behind (call with the build lock held: no other build is using them)."""
        remove(self.root / "scratch")

    def _damaged(self, kind: str, entry: str, why: str) -> None:
        self.damaged.append(f"{kind} {entry[:12]}… {why}")
        remove(self.path(kind, entry))
