"""The customer's documents are written in the deal's language.  For a locale whose language has no catalog they
fall back to English; say so with ``language: en`` (or add a catalog), so nobody is surprised."""

from __future__ import annotations

from collections.abc import Iterator

from babel import Locale

from ...i18n import LANGUAGES
from . import Ask, Context, Flag, rule


@rule(
    "DB119",
    "language-fallback",
    "The locale's language has no catalog: the customer's documents fall back to English.",
    severity="warning",
    passing={"locale": "ja_JP", "language": "en"},
    failing={"locale": "ja_JP"},
)
def _language_fallback(c: Context) -> Iterator[Flag | Ask]:
    language = Locale.parse(c.deal.locale).language
    if c.deal.language is None and language not in LANGUAGES:
        yield Flag(
            ("locale",),
            "warning",
            f"dealbrief has no catalog for '{language}', so the summary is written in English; set `language: en` to say so "
            "(or add a catalog: the manual's how-to, Translate)",
        )
