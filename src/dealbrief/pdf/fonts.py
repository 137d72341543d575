"""The fonts the PDFs are set in: Typst's own, and the Noto fonts of the ``justmytype-intl-*`` packages (from the package
index, installed with ``dealbrief[site]``; their files are read, the packages never imported).  Which scripts they cover
is :mod:`dealbrief.writing`'s; text with a character no font has fails its PDF, naming it.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from ..fmt import script
from ..writing import HAN

PACKAGES = ("justmytype-intl-cjk", "justmytype-intl-rtl", "justmytype-intl-sea", "justmytype-intl-south-asia", "justmytype-intl-africa")
TEXT = "Libertinus Serif"


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
