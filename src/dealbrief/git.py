"""The one way dealbrief runs git (the history, ``diff``, ``sent``, the CRM's and the PDFs' dates): a command's output,
or a :class:`GitError` with git's own words."""

from __future__ import annotations

import subprocess
from pathlib import Path

from .errors import DealbriefError


class GitError(DealbriefError):
    """git could not run, or refused: why, in its own words."""


def git(folder: Path, *args: str, data: bytes | None = None) -> bytes:
    """The output of ``git ARGS`` run in ``folder``."""
    try:
        done = subprocess.run(["git", *args], cwd=folder, input=data, capture_output=True, check=False)
    except OSError as exc:
        raise GitError(f"git could not run ({exc.strerror}); dealbrief reads the deals' history with git") from None
    if done.returncode:
        raise GitError(f"git {' '.join(args[:2])}: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout
