"""The customer's language: message catalogs for everything a customer reads, and the deal's language.

Catalogs are Babel ``.po`` files in ``dealbrief/locale/<language>/LC_MESSAGES/dealbrief.po`` (``make translations``
extracts and updates them), compiled in memory when first used — so a compiled file can never be stale.  A team's
catalog in its templates folder (``<dir>/locale/<language>/LC_MESSAGES/dealbrief.po``) overrides single messages.
English is the messages as written in the code and templates.
"""

from __future__ import annotations

import gettext
import hashlib
import io
import re
from functools import cache
from importlib import resources
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

DOMAIN = "dealbrief"
SOURCE = "en"  # the language the messages are written in


def N_(message: str) -> str:
    """Marks a message for the catalogs where it is translated later, from a variable."""
    return message


def catalogs() -> Path:
    """The shipped catalogs (package data: ``src/dealbrief/locale/``)."""
    return Path(str(resources.files("dealbrief") / "locale"))


def catalog(folder: Path, language: str) -> Path:
    return folder / language / "LC_MESSAGES" / f"{DOMAIN}.po"


# English, and every language with a shipped catalog: adding a language is adding its catalog.
LANGUAGES = (SOURCE, *sorted(folder.name for folder in catalogs().iterdir() if catalog(catalogs(), folder.name).is_file()))


def default_language(locale: str) -> str:
    """The language of ``locale`` when it has a catalog, else English."""
    language = Locale.parse(locale).language
    return language if language in LANGUAGES else SOURCE


def language_of(deal: object) -> str:
    """The language a deal's customer reads: its ``language``, else its locale's when it has a catalog, else English."""
    return getattr(deal, "language", None) or default_language(getattr(deal, "locale", "en_US"))


Catalogs = tuple[tuple[str, str, bytes], ...]  # (whose, language, the .po file's bytes): the shipped ones, then the team's


def read_catalogs(team: Path | None = None) -> Catalogs:
    """Every catalog's bytes, read once per build: the words are compiled from exactly what keys the cached pages and PDFs,
    so a catalog saved while ``mkdocs serve`` or ``dealbrief preview`` runs is never cached under its new key with old words."""
    found = []
    for language in LANGUAGES:
        for whose, po in (("dealbrief", catalog(catalogs(), language)), ("team", catalog(team / "locale", language) if team else None)):
            if po is not None and po.is_file():
                found.append((whose, language, po.read_bytes()))
    return tuple(found)


@cache
def translations(language: str, sources: Catalogs | None = None) -> gettext.NullTranslations:
    """The messages in ``language``: the shipped catalog, with the team's own catalog (in its templates folder) over it."""
    found: gettext.NullTranslations = gettext.NullTranslations()
    for _, written_in, data in read_catalogs() if sources is None else sources:
        if written_in == language:
            compiled = _compile(data, language)
            if isinstance(found, Translations):
                found.merge(compiled)
            else:
                found = compiled
    return found


PLACEHOLDER = re.compile(r"%\((\w+)\)s")
LONE_PERCENT = re.compile(r"%(?!\(\w+\)s|%)")


def mismatch(message: Message) -> str | None:
    """Why a translation would break or change its message when filled in — a lone ``%`` (Python reads ``100% s`` as a
    placeholder), a placeholder the message has not, one it leaves out, a ``{name}`` meant as ``%(name)s`` — with what to
    write; None when it is fine (or untranslated)."""
    ids = [message.id] if isinstance(message.id, str) else [str(i) for i in message.id]
    written = message.string or ()
    strings = [s for s in ([written] if isinstance(written, str) else [str(s) for s in written]) if s]
    wanted = set(PLACEHOLDER.findall(ids[-1]))
    for text in strings:
        if LONE_PERCENT.search(text):
            return "a lone % starts a placeholder: write %% for a percent sign"
        found = set(PLACEHOLDER.findall(text))
        if unknown := sorted(found - wanted):
            return f"%({unknown[0]})s is not in the message: use only {', '.join(f'%({n})s' for n in sorted(wanted)) or 'no placeholder'}"
        if braced := sorted(set(re.findall(r"\{(\w+)\}", text)) & (wanted - found)):
            return f"{{{braced[0]}}} is not a placeholder here: write %({braced[0]})s"
        if len(ids) == 1 and (missing := sorted(wanted - found)):
            return f"%({missing[0]})s is left out: the reader would lose it; write it into the translation"
    return None


def catalog_problems(team: Path | None) -> list[str]:
    """Each of a team's catalog entries that would break or change its message, located (file:line: msgid: why); such
    an entry is left out when the words are compiled, so the shipped translation stands in for it."""
    found = []
    for language in LANGUAGES if team else ():
        po = catalog(team / "locale", language) if team else None
        if po is None or not po.is_file():
            continue
        for message in read_po(io.BytesIO(po.read_bytes()), locale=language, domain=DOMAIN):
            if message.id and (why := mismatch(message)):
                first = message.id if isinstance(message.id, str) else message.id[0]
                found.append(f'{po}:{message.lineno}: msgid "{first}": {why}')
    return found


def _compile(po: bytes, language: str) -> Translations:
    """A ``.po`` file as translations, compiled in memory (fuzzy entries left out, as ``pybabel compile`` does, and any
    entry that would break its message: :func:`mismatch`)."""
    messages = read_po(io.BytesIO(po), locale=language, domain=DOMAIN)
    for message in list(messages):
        if message.id and mismatch(message):
            messages.delete(message.id, message.context)
    compiled = io.BytesIO()
    write_mo(compiled, messages)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def fingerprint(sources: Catalogs) -> str:
    """Every catalog's content: what a cached page or PDF in another language depends on."""
    digest = hashlib.sha256()
    for whose, language, data in sources:
        digest.update(f"\0{whose}/{language}\0".encode() + data)
    return digest.hexdigest()
