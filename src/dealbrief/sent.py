"""``dealbrief sent ID``: record which version of a deal the CFO received, so its promise can be found again.

The version must be committed (the promise is read back from the git history) and the file otherwise untouched, so the
hash recorded is the one the PDF made from it prints in its footer.  Only the ``sent:`` line (and, before the summary
stage, the ``stage:`` line) of the file is written; every other line, comment and blank stays as the user wrote it.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from .deal.model import STAGES
from .engine.history import NotInHistory, file_hash, git
from .errors import DealbriefError

SENT_KEY = re.compile(r"^sent:.*(?:\n(?:[ \t]+.*|[ \t]*(?=\n)))*", re.MULTILINE)  # the key and its indented lines
STAGE_KEY = re.compile(r"^stage:[ \t]*([\"']?)([a-z-]+)\1(.*)$", re.MULTILINE)


def record_sent(path: Path, day: date, replace: bool = False) -> tuple[str, str | None]:
    """Write ``sent: {date, file_hash}`` into ``path`` for its committed version; the hash, and the stage left behind if moved.

    Refuses a file that is not committed or has uncommitted changes (the hash of such a version is in no history), and
    one that already records a version sent unless ``replace``: that would silently change the promise.
    """
    folder, name = path.resolve().parent, path.resolve().name
    try:
        git(folder, "ls-files", "--error-unmatch", "--", name)
        changed = git(folder, "status", "--porcelain", "--", name).decode().strip()
        committed = git(folder, "show", f"HEAD:./{name}")
    except NotInHistory:
        raise DealbriefError(f"{path} is not committed: commit it, so the version sent can be found in the history") from None
    if changed:
        raise DealbriefError(
            f"{path} has uncommitted changes: commit them first (the CFO's PDF must come from a committed version), then run this again"
        )
    working = path.read_bytes()
    newline = "\r\n" if b"\r\n" in working else "\n"  # as checked out (git's core.autocrlf)
    text, digest = committed.decode("utf-8").replace("\r\n", "\n"), file_hash(committed)
    if SENT_KEY.search(text) and not replace:
        raise DealbriefError(
            f"{path} already records the version sent (sent:); the promise is measured against it. To replace it with "
            "this version, run again with --replace"
        )
    line = f"sent: {{date: {day.isoformat()}, file_hash: {digest}}}   # the version whose Executive Summary the CFO received"
    text, found = SENT_KEY.subn(line, text, count=1)
    stage = STAGE_KEY.search(text)
    if stage is None:
        raise DealbriefError(f"{path} has no `stage:` line at the start of a line; add `stage: summary-sent`, then run this again")
    moved_from = None
    if stage.group(2) in STAGES and STAGES.index(stage.group(2)) < STAGES.index("summary-sent"):
        moved_from = stage.group(2)
        text = text[: stage.start()] + f"stage: summary-sent{stage.group(3)}" + text[stage.end() :]
        stage = STAGE_KEY.search(text)
        assert stage is not None
    if not found:
        text = text[: stage.end()] + "\n" + line + text[stage.end() :]
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return digest, moved_from
