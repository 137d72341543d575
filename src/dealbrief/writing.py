"""The writing systems the PDFs can show — a fact of the fonts dealbrief ships — and so the locales a deal may be in.

Typst's own fonts (Libertinus Serif, DejaVu Sans Mono, New Computer Modern) cover the Latin, Greek, Cyrillic, Armenian
and Georgian scripts; the Noto fonts of the ``justmytype-intl-*`` packages (:mod:`dealbrief.pdf.fonts`) add Chinese,
Japanese, Korean, Arabic, Hebrew, Thai, Lao, Khmer, Myanmar, Devanagari, Bengali, Tamil, Telugu and Ethiopic.  A leaf
module: the format refuses a locale written in another script (``check``), before any PDF is made.
"""

from __future__ import annotations

from functools import cache

from babel import Locale

from .fmt import script

HAN = {"Jpan": "Noto Sans JP", "Kore": "Noto Sans KR", "Hans": "Noto Sans SC", "Hant": "Noto Sans TC"}  # one family per Han style
SCRIPTS = frozenset({"Latn", "Grek", "Cyrl", "Armn", "Geor", "Arab", "Hebr", "Thai", "Laoo", "Khmr", "Mymr", "Deva", "Beng", "Taml"}) | {
    "Telu",
    "Ethi",
    *HAN,
}

# Languages in a covered script whose dates use letters none of the fonts has (tests/test_scripts.py finds them).
LETTERS_MISSING = frozenset({"ab", "cu"})


@cache
def unsupported_locale(locale: str) -> str | None:
    """Why the PDFs cannot show dates and figures in ``locale``, or None if they can."""
    parsed, code = Locale.parse(locale), script(locale)
    instead = f"format this deal's figures and dates with another locale (e.g. en_{parsed.territory or 'US'})"
    if parsed.language in LETTERS_MISSING:
        return f"the PDFs' fonts lack letters that {parsed.get_language_name('en')} dates are written with; {instead}"
    if code in SCRIPTS:
        return None
    return f"the PDFs have no font for the {Locale('en').scripts.get(code, code)} script of {locale} yet; {instead}"
