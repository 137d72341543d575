"""The fonts the PDFs are set in, and which locales' scripts they can show.

Typst's own fonts (Libertinus Serif, DejaVu Sans Mono, New Computer Modern) cover the Latin, Greek,
Cyrillic, Armenian and Georgian scripts; the Noto fonts of the ``justmytype-intl-*`` packages (from
the package index, installed with ``dealbrief[site]``; their files are read, the packages never
imported) add Chinese, Japanese, Korean, Arabic, Hebrew, Thai, Lao, Khmer, Myanmar, Devanagari,
Bengali, Tamil, Telugu and Ethiopic.  A locale written in another script is refused by ``check``
(:func:`unsupported_locale`); text with a character no font has fails its PDF, naming it.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from babel import Locale

from ..fmt import script

PACKAGES = ("justmytype-intl-cjk", "justmytype-intl-rtl", "justmytype-intl-sea", "justmytype-intl-south-asia", "justmytype-intl-africa")
TEXT = "Libertinus Serif"
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


def families(locale: str) -> str:
    """The font list for Typst, as a Typst array's items: the text font, then the Han style of the locale first."""
    preferred = HAN.get(script(locale), HAN["Jpan"])
    names = [TEXT, preferred, *(family for family in HAN.values() if family != preferred)]
    return ", ".join(f'"{name}"' for name in names)


@cache
def folders() -> tuple[str, ...]:
    """The folders holding the packages' font files."""
    found: set[str] = set()
    for package in PACKAGES:
        try:
            dist = distribution(package)
        except PackageNotFoundError:
            continue
        found |= {str(Path(str(dist.locate_file(file))).parent) for file in dist.files or () if file.suffix in (".ttf", ".otf")}
    return tuple(sorted(found))


def versions() -> str:
    """The font packages installed, for the PDF cache key."""
    installed = []
    for package in PACKAGES:
        try:
            installed.append(f"{package} {distribution(package).version}")
        except PackageNotFoundError:
            installed.append(f"{package} missing")
    return ", ".join(installed)
