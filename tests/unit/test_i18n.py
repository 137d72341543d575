"""The customer's language: catalogs complete and current, the deal's language, plurals, a team's own catalog."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from dealbrief.engine.config import Config
from dealbrief.engine.pipeline import analyse
from dealbrief.fmt import month_count, months
from dealbrief.i18n import LANGUAGES, SOURCE, catalog, catalog_problems, catalogs, language_of, translations
from dealbrief.output.render import Renderer

from ..conftest import ROOT

SHIPPED = [language for language in LANGUAGES if language != SOURCE]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> set:
    """The messages in the code and templates now, extracted as `make translations` does (Jinja errors not silenced)."""
    pot = tmp_path_factory.mktemp("pot") / "dealbrief.pot"
    arguments = [
        "pybabel",
        "extract",
        "-F",
        str(ROOT / "babel.cfg"),
        "-k",
        "N_",
        "--no-location",
        "--omit-header",
        "-o",
        str(pot),
        str(ROOT),
    ]
    assert CommandLineInterface().run(arguments) in (None, 0)
    with pot.open("rb") as source:
        return {message.id for message in read_po(source) if message.id}


@pytest.mark.parametrize("language", SHIPPED)
def test_every_message_is_translated_and_no_catalog_is_stale(extracted: set, language: str) -> None:
    with catalog(catalogs(), language).open("rb") as source:
        messages = read_po(source, locale=language)
    ids = {message.id for message in messages if message.id}
    assert ids == extracted, f"{language} is stale against the code and templates: run `make translations`, then translate"
    for message in messages:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings) and not message.fuzzy, f"{language}: no translation for {message.id!r}"
    problems = [(message.id, errors) for message, errors in messages.check()]
    assert problems == [], problems  # each translation keeps its placeholders


def test_a_deal_is_read_in_its_locales_language_unless_it_says_otherwise(run) -> None:
    assert [
        language_of(run(changes).deal) for changes in ({}, {"locale": "de_DE"}, {"locale": "ja_JP"}, {"locale": "de_DE", "language": "fr"})
    ] == [
        "en",
        "de",
        "en",
        "fr",
    ]


def test_a_locale_without_a_catalog_is_said_in_check(run) -> None:
    assert [(f.code, f.severity, f.key) for f in run({"locale": "ja_JP"}).review.findings] == [("DB119", "warning", "locale")]
    assert run({"locale": "ja_JP", "language": "en"}).review.findings == ()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", ["1 Monat", "2 Monate", "14,1 Monate", "unter 0,1 Monate"]),
        ("fr", ["1 mois", "2 mois", "14,1 mois", "moins de 0,1 mois"]),
        ("es", ["1 mes", "2 meses", "14,1 meses", "menos de 0,1 meses"]),
        ("en", ["1 month", "2 months", "14.1 months", "under 0.1 months"]),
    ],
)
def test_months_follow_each_languages_plural_rule(language: str, expected: list[str]) -> None:
    locale, t = {"de": "de_DE", "fr": "fr_FR", "es": "es_ES", "en": "en_US"}[language], translations(language)
    shown = [month_count(Decimal(1), locale, t), month_count(Decimal(2), locale, t), months(Decimal("14.08"), locale, t)]
    assert [*shown, months(Decimal("0.01"), locale, t)] == expected


def test_a_teams_catalog_overrides_a_shipped_message(run, tmp_path: Path) -> None:
    team = tmp_path / "our-templates"
    po = catalog(team / "locale", "de")
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=utf-8\\n"\n\nmsgid "The Baseline Problem"\nmsgstr "Die Lage heute"\n'
    )
    report = run({"locale": "de_DE"})
    ours, shipped = Renderer(team).summary(report, None), Renderer().summary(report, None)
    assert "## Die Lage heute" in ours and "## Die Ausgangslage" in shipped
    assert "## Der nachgewiesene Nutzen" in ours  # every other message still the shipped one
    assert Renderer(team).fingerprint != Renderer().fingerprint  # pages and PDFs made with the old catalog are not reused
    before = Renderer(team)
    po.write_text(po.read_text().replace("Die Lage heute", "Die Lage jetzt"))  # saved while a preview or `mkdocs serve` runs
    after = Renderer(team)  # the next build's
    assert "## Die Lage jetzt" in after.summary(report, None) and after.fingerprint != before.fingerprint
    assert "## Die Lage heute" in before.summary(report, None)  # a build says what its cache key says, from the same bytes


@pytest.mark.parametrize(
    ("msgstr", "why"),
    [
        ("Rendite %(roi)s – 100% sicher", "a lone % starts a placeholder: write %% for a percent sign"),
        ("Rendite %(rendite)s", "%(rendite)s is not in the message: use only %(roi)s"),
        ("Rendite {roi}", "{roi} is not a placeholder here: write %(roi)s"),
        ("Rendite", "%(roi)s is left out: the reader would lose it; write it into the translation"),
    ],
)
def test_a_teams_catalog_entry_that_would_break_its_message_is_located_and_the_shipped_words_stand_in(
    run, tmp_path: Path, msgstr: str, why: str
) -> None:
    """Ordinary German (``100% sicher``) once made every PDF an internal error: now `check` and the build name the entry,
    and the summary is rendered with the shipped words for it — never a traceback."""
    team = tmp_path / "our-templates"
    po = catalog(team / "locale", "de")
    po.parent.mkdir(parents=True)
    header = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=utf-8\\n"\n\n'
    po.write_text(f'{header}#, python-format\nmsgid "Return on investment %(roi)s"\nmsgstr "{msgstr}"\n', encoding="utf-8")
    assert catalog_problems(team) == [f'{po}:5: msgid "Return on investment %(roi)s": {why}']
    summary = Renderer(team).summary(run({"locale": "de_DE"}), None)
    assert "Rendite (ROI) " in summary  # the shipped translation, filled in
    assert catalog_problems(None) == [] and catalog_problems(tmp_path / "no-templates") == []


def test_the_german_example_has_no_english_word_of_ours() -> None:
    """Every message of the English templates that the German summary would show, none left in English."""
    report = analyse(ROOT / "deals" / "alder-health-claims-automation.yaml", Config())
    german = Renderer().summary(report, "cashflow.svg") + Renderer().value(report, "value.svg")
    english = analyse_english(report)
    for phrase in (
        "What it costs",
        "over 5 years",
        "a year",
        "Net present value",
        "The Baseline Problem",
        "Validated by",
        "months",
        "Promised to date",
        "What Comes Next",
        "Your evidence",
    ):
        assert phrase in english and phrase not in german, phrase


def analyse_english(report) -> str:
    from dataclasses import replace

    assert report.deal
    english = replace(report, deal=report.deal.model_copy(update={"language": "en"}))
    return Renderer().summary(english, "cashflow.svg") + Renderer().value(english, "value.svg")
