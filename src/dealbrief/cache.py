"""The content-keyed cache in ``.cache/dealbrief/``: charts, rendered pages, PDFs.

An entry's name is the hash of everything that decides its content, so a stale entry is
never found, only left behind; the folder is safe to delete. Entries are written aside and
renamed into place, so a crash never leaves half a file.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

DEFAULT = Path(".cache") / "dealbrief"


def key(*inputs: object) -> str:
    """The name of the entry made from ``inputs`` (their ``repr`` must determine the content)."""
    return hashlib.sha256(repr(inputs).encode()).hexdigest()


def write(path: Path, data: bytes) -> None:
    """Write ``data`` at ``path`` atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)
