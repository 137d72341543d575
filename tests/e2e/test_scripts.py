"""Every script a deal may be written in prints: no box where a character should be, no page read backwards.

The check is made from the PDF itself: a character no font has is drawn as glyph 0 (``.notdef``) of a
composite font, which :func:`blank_glyphs` counts.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import typst
from babel import Locale
from babel.localedata import locale_identifiers
from babel.numbers import get_currency_symbol, get_territory_currencies, list_currencies
from pypdf import PdfReader

from dealbrief.content_cache import Cache
from dealbrief.engine.config import Config
from dealbrief.engine.pipeline import analyse_all
from dealbrief.fmt import Formatter
from dealbrief.output.render import Renderer
from dealbrief.pdf.export import export_reports
from dealbrief.pdf.fonts import families, folders
from dealbrief.pdf.worker import blank_glyphs
from dealbrief.writing import unsupported_locale

from ..conftest import CLEAN, mutate, write_deal

# A customer's name in each script the PDFs print, with a locale that writes in it.
NAMES = {
    "ja_JP": "株式会社ノースウィンド物流",
    "zh_CN": "北风物流有限公司",
    "zh_TW": "北風物流股份有限公司",
    "ko_KR": "노스윈드 물류 주식회사",
    "th_TH": "บริษัท นอร์ทวินด์ โลจิสติกส์ จำกัด",
    "lo_LA": "ບໍລິສັດ ນອດວິນ ຂົນສົ່ງ",
    "km_KH": "ក្រុមហ៊ុន ណតវីន ដឹកជញ្ជូន",
    "my_MM": "နော့သ်ဝင်း ထောက်ပံ့ပို့ဆောင်ရေး",
    "ar_SA": "شركة الرياح الشمالية للخدمات اللوجستية",
    "fa_IR": "شرکت باد شمال",
    "ur_PK": "نارتھ ونڈ لاجسٹکس",
    "he_IL": "נורתווינד לוגיסטיקה בעמ",
    "hi_IN": "नॉर्थविंड लॉजिस्टिक्स प्राइवेट लिमिटेड",
    "bn_BD": "নর্থউইন্ড লজিস্টিকস লিমিটেড",
    "ta_IN": "நார்த்விண்ட் லாஜிஸ்டிக்ஸ்",
    "te_IN": "నార్త్\u200cవిండ్ లాజిస్టిక్స్",  # the joiner is part of how Telugu is written
    "am_ET": "ኖርዝዊንድ ሎጂስቲክስ",
    "el_GR": "Βόρειος Άνεμος Εφοδιαστική Α.Ε.",
    "ru_RU": "ООО «Нортвинд Логистика»",
    "hy_AM": "Նորթվինդ Լոջիստիքս",
    "ka_GE": "ნორთვინდ ლოჯისტიკა",
    "vi_VN": "Công ty Cổ phần Hậu cần Gió Bắc",
    "de_DE": "Nordwind Logistik GmbH & Co. KG — „Straße“",
}


def compiler(root: Path) -> typst.Compiler:
    return typst.Compiler(root=str(root), font_paths=typst.Fonts(include_system_fonts=False, font_paths=list(folders())))


def typst_text(text: str, locale: str) -> str:
    quoted = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'#text(font: ({families(locale)}))[#"{quoted}"]'


def blanks(root: Path, source: str) -> int:
    (root / "main.typ").write_text(source, encoding="utf-8")
    return blank_glyphs(compiler(root).compile(input=str(root / "main.typ"), format="pdf"))


def test_a_missing_glyph_is_counted(tmp_path: Path) -> None:
    assert blanks(tmp_path, typst_text("Launch 🚀 now", "en_US")) == 1  # no font has a rocket
    assert blanks(tmp_path, typst_text("Launch now", "en_US")) == 0


def accepted_locales() -> list[str]:
    pattern = re.compile(r"[a-z]{2,3}(_[A-Z]{2})?")  # what the deal format accepts
    return [i for i in locale_identifiers() if pattern.fullmatch(i) and unsupported_locale(i) is None]


def figures_and_dates(locale: str) -> str:
    """Everything the pages and PDFs print in a deal's locale: money in its own currency, ratios, months and dates."""
    territory = Locale.parse(locale).territory
    currencies = get_territory_currencies(territory, date(2026, 1, 1)) if territory else []
    f = Formatter(currencies[0] if currencies else "USD", locale, isolate=True)
    shown = [f.money(Decimal("-1234567.5")), f.amount(Decimal("3.25")), f.pct(Decimal("0.655"), 1), f.num(Decimal("19.8"))]
    shown += [f.months(Decimal("19.8")), f.times(Decimal("2.4"))]
    shown += [f.month(date(2026, month, 1)) for month in range(1, 13)] + [f.day(date(2026, month, 15)) for month in range(1, 13)]
    return " · ".join(shown)


def test_every_accepted_locale_prints_its_figures_and_dates(tmp_path: Path) -> None:
    locales = accepted_locales()
    assert len(locales) > 800 and {"ja_JP", "ar_SA", "th_TH", "zh", "hi_IN", "ru_RU"} <= set(locales)
    if blanks(tmp_path, "\n\n".join(typst_text(figures_and_dates(locale), locale) for locale in locales)):
        unprinted = [locale for locale in locales if blanks(tmp_path, typst_text(figures_and_dates(locale), locale))]
        pytest.fail(f"these locales' figures or dates print boxes: {unprinted}")


def test_every_currency_symbol_prints(tmp_path: Path) -> None:
    symbols = {get_currency_symbol(code, locale) for locale in accepted_locales() for code in list_currencies()}
    assert blanks(tmp_path, typst_text(" ".join(sorted(symbols)), "en_US")) == 0


@pytest.mark.parametrize("locale", ["gu_IN", "si_LK", "bo_CN", "chr_US", "ab_GE"])
def test_a_locale_the_fonts_cannot_write_is_refused(run, locale: str) -> None:
    report = run({"locale": locale})
    [problem] = report.problems
    assert problem.key == "locale" and "format this deal's figures and dates with another locale" in problem.message


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("scripts")
    (folder / "deals").mkdir()
    for locale, name in NAMES.items():
        territory = Locale.parse(locale).territory
        currency = get_territory_currencies(territory, date(2026, 1, 1))[0]
        changes = {"customer": name, "locale": locale, "currency": currency, "value.0.name": f"{name}: shorter outages"}
        write_deal(folder / "deals", mutate(CLEAN, changes), locale.lower().replace("_", "-"))
    reports = analyse_all([folder / "deals"], Config())
    assert all(r.valid for r in reports), [r.problems for r in reports if not r.valid]
    cache = Cache(folder / "cache")
    outcome = export_reports(reports, Renderer(), folder / "pdf", cache=cache)
    assert outcome.failed == {}
    return folder / "pdf", {locale.lower().replace("_", "-"): name for locale, name in NAMES.items()}


@pytest.mark.parametrize("locale", NAMES)
def test_a_deal_in_each_script_prints_every_character(exported: tuple[Path, dict[str, str]], locale: str) -> None:
    folder, _ = exported
    deal_id = locale.lower().replace("_", "-")
    for name in (f"{deal_id}.pdf", f"{deal_id}-handoff.pdf"):
        assert blank_glyphs((folder / name).read_bytes()) == 0, name
    assert len(PdfReader(folder / f"{deal_id}.pdf").pages) == 1


@pytest.mark.parametrize("locale", ["ar_SA", "he_IL", "fa_IR"])
def test_a_right_to_left_locale_does_not_turn_the_page_around(exported: tuple[Path, dict[str, str]], locale: str) -> None:
    """The summary is an English document with the locale's figures in it: it starts at the left, in English order."""
    folder, _ = exported
    page = PdfReader(folder / f"{locale.lower().replace('_', '-')}.pdf").pages[0]
    starts: dict[str, float] = {}
    page.extract_text(visitor_text=lambda text, cm, tm, font, size: starts.setdefault(text.strip(), tm[4]) if text.strip() else None)
    left = [x for text, x in starts.items() if text.startswith(("Executive Summary", "The Baseline Problem", "What it costs"))]
    assert left and all(x < 80 for x in left), starts  # the left margin, not the right
    assert "The Baseline Problem" in page.extract_text() and "melborP" not in page.extract_text()


def test_a_character_no_font_has_fails_its_pdf_naming_it(tmp_path: Path) -> None:
    (tmp_path / "deals").mkdir()
    write_deal(tmp_path / "deals", mutate(CLEAN, {"value.0.name": "Shorter outages 🚀"}), "rocket")
    reports = analyse_all([tmp_path / "deals"], Config())
    cache = Cache(tmp_path / "cache")
    outcome = export_reports(reports, Renderer(), tmp_path / "pdf", cache=cache)
    assert outcome.failed == {"rocket.pdf": "no font has 🚀 (U+1F680) (in value[0].name): remove it from the deal, or write it out"}
    assert (tmp_path / "pdf" / "rocket-handoff.pdf").is_file()  # the handoff does not show the driver's name
    assert not (tmp_path / "pdf" / "rocket.pdf").exists()
