"""The day a build is for: ``SOURCE_DATE_EPOCH`` when set (a reproducible build), checked in one place."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

from .errors import DealbriefError


def source_date() -> date | None:
    """``SOURCE_DATE_EPOCH`` as a day, None when it is not set; a clear error when it is not a time."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    try:
        return datetime.fromtimestamp(int(epoch), UTC).date()
    except (ValueError, OverflowError, OSError):
        raise DealbriefError(
            f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970 (e.g. 1790000000), found {epoch[:40]!r}"
        ) from None


def today() -> date:
    """The day a check or build is run for: ``SOURCE_DATE_EPOCH`` when set, else today."""
    return source_date() or date.today()
