"""``dealbrief sent ID``: record which version of a deal the CFO received, so its promise can be found again.

The version must be committed (the promise is read back from the git history) and the file otherwise untouched, so the
hash recorded is the one the PDF made from it prints in its footer.  Only the ``sent:`` line (and, before the summary
stage, the ``stage:`` line) of the file is written; every other line, comment and blank stays as the user wrote it.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from .content_cache import write_atomically
from .deal.load import Document, parse
from .deal.model import STAGES
from .deal.validate import validate
from .engine.history import file_hash
from .engine.lint import standard_questions
from .errors import DealbriefError, InvalidDeal
from .git import GitError, git

LINE = r"[^\r\n]*"  # the rest of a line, never its ending: each line keeps its own (LF, or CRLF as checked out)
SENT_LINES = re.compile(rf"sent:{LINE}(?:(?:\r?\n[ \t]*)*\r?\n[ \t]+\S{LINE})*")  # the key and its indented lines
STAGE_LINE = re.compile(rf"stage:[ \t]*([\"']?)([a-z-]+)\1({LINE})")


def record_sent(path: Path, day: date, replace: bool = False) -> tuple[str, str | None]:
    """Write ``sent: {date, file_hash}`` into ``path`` for its committed version; the hash, and the stage left behind if moved.

    Refuses a file that is not committed or has uncommitted changes (the hash of such a version is in no history), and
    one that already records a version sent unless ``replace``: that would silently change the promise.  The keys are
    found where the YAML parser found them (a line inside a quoted text that reads ``sent:`` is text), and the file is
    written only if reading it back gives the same deal with this ``sent`` (and stage).
    """
    if why := uncommitted(path):
        raise DealbriefError(why)
    folder, name = path.resolve().parent, path.resolve().name
    committed = git(folder, "show", f"HEAD:./{name}")
    working = path.read_bytes()  # the committed version, as checked out (git's core.autocrlf may give it CRLF endings)
    text, digest = working.decode("utf-8"), file_hash(committed)
    bom, text = ("\ufeff", text[1:]) if text.startswith("\ufeff") else ("", text)
    before = parse(committed, str(path))
    if before.data.get("sent") is not None and not replace:
        raise DealbriefError(
            f"{path} already records the version sent (sent:); the promise is measured against it. To replace it with "
            "this version, run again with --replace"
        )
    entry = f"sent: {{date: {day.isoformat()}, file_hash: {digest}}}"
    line = f"{entry}   # the version whose Executive Summary the CFO received"
    stage = _key_line(text, before, "stage", STAGE_LINE, path)
    moved_from, value = None, before.data.get("stage")
    if value in STAGES and STAGES.index(value) < STAGES.index("summary-sent"):
        moved_from, stage_line = value, f"stage: summary-sent{stage.group(3)}"
    else:
        stage_line = stage.group()
    if "sent" in before.data:
        old = _key_line(text, before, "sent", SENT_LINES, path)
        edits = sorted([(stage.start(), stage.end(), stage_line), (old.start(), old.end(), line)], reverse=True)
    else:
        ending = "\r\n" if text.startswith("\r\n", stage.end()) else "\n"
        edits = [(stage.start(), stage.end(), f"{stage_line}{ending}{line}")]
    for start, end, replacement in edits:  # from the end, so the earlier offsets still hold
        text = text[:start] + replacement + text[end:]
    written = (bom + text).encode("utf-8")
    try:
        after = parse(written, str(path))
    except InvalidDeal:
        after = None
    if after is None or not _reads_as(after, before, day, digest, moved_from is not None):
        raise DealbriefError(f"{path}: could not write sent: and stage: on lines of their own; write {entry} by hand")
    try:
        validate(after, path.stem, standard_questions())
    except InvalidDeal as exc:  # e.g. sent after the contract was signed: nothing is written
        raise DealbriefError(f"{path} would not be valid with {entry}: {exc.problems[0].message}") from None
    write_atomically(path, written, path.stat().st_mode)  # the file is the old one or the new one, never half of one
    return digest, moved_from


def uncommitted(path: Path) -> str | None:
    """Why ``path`` is not a committed version that could be sent (its hash would be in no history), if it is not."""
    folder, name = path.resolve().parent, path.resolve().name
    try:
        git(folder, "ls-files", "--error-unmatch", "--", name)
        git(folder, "show", f"HEAD:./{name}")
        changed = git(folder, "status", "--porcelain", "--", name).decode().strip()
    except GitError:
        return f"{path} is not committed: commit it, so the version sent can be found in the history"
    if changed:
        return f"{path} has uncommitted changes: commit them first (the CFO's PDF must come from a committed version), then run this again"
    return None


def _reads_as(after: Document, before: Document, day: date, digest: str, moved: bool) -> bool:
    """Does ``after`` read as ``before`` with this ``sent`` (and ``stage: summary-sent`` if ``moved``), and nothing else?"""
    sent = after.data.get("sent")
    unchanged = {**before.data, **({"stage": "summary-sent"} if moved else {})}
    unchanged.pop("sent", None)
    return (
        isinstance(sent, dict)
        and sent.get("date") == day
        and after.written.get(("sent", "file_hash"), sent.get("file_hash")) == digest  # a hash of digits only reads as a number
        and {key: value for key, value in after.data.items() if key != "sent"} == unchanged
    )


def _key_line(text: str, document: Document, key: str, pattern: re.Pattern[str], path: Path) -> re.Match[str]:
    """Where the top-level ``key`` is written, as the parser read it: its line must start with it."""
    row, column = document.marks.get((key,), (0, 0))
    found = pattern.match(text, sum(len(line) + 1 for line in text.split("\n")[: row - 1])) if column == 1 else None
    if found is None:
        raise DealbriefError(f"{path} has no `{key}:` starting a line with its value on it; write it so, then run this again")
    return found
