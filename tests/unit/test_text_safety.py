"""Deal text stays data: every text field reached by the corpus, control and invisible characters refused however they
are written, output names that cannot collide, and ``show`` handing deal text to rich as plain text."""

from __future__ import annotations

import io
import re
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel
from rich.console import Console

from dealbrief.artifacts import deal_folder, pdf_names
from dealbrief.deal.load import parse
from dealbrief.deal.model import Deal
from dealbrief.deal.validate import bad_deal_id
from dealbrief.engine.compute import compute
from dealbrief.engine.config import Config
from dealbrief.engine.lint import review
from dealbrief.engine.pipeline import Analysed, analyse_all, analyse_bytes
from dealbrief.output.render import environment
from dealbrief.output.terminal import render

from ..conftest import CLEAN, ROOT, mutate, write_deal
from ..hostile import CORPUS, ESCAPES, FORGED, TEXT_PATHS, escaped, with_text


def text_fields(model: type[BaseModel] = Deal, prefix: str = "") -> Iterator[str]:
    """Every free-text field of the model (lists and mappings as ``*``), read from its types."""
    for name, field in model.model_fields.items():
        yield from _text_in(field.annotation, field.metadata, prefix + name)


def _text_in(annotation: Any, metadata: list[Any], path: str) -> Iterator[str]:
    origin = get_origin(annotation)
    if annotation is str:
        yield from [path] if any(getattr(m, "max_length", None) == 4000 for m in metadata) else []
    elif origin is Annotated:
        base, *more = get_args(annotation)
        yield from _text_in(base, more, path)
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield from text_fields(annotation, path + ".")
    elif origin in (Union, types.UnionType):
        for option in get_args(annotation):
            yield from _text_in(option, metadata, path)
    elif origin in (list, dict):
        yield from _text_in(get_args(annotation)[-1], [], path + ".*")


def test_the_corpus_reaches_every_text_field() -> None:
    written = {re.sub(r"\.(\d+|economic-buyer)(?=\.|$)", ".*", path) for path in TEXT_PATHS}
    assert written == set(text_fields())
    report = analyse_bytes(yaml.safe_dump(with_text(lambda path: "§")).encode(), "deals/x.yaml", Config())
    assert report.valid, report.problems


def outputs(deal_id: str) -> list[str]:
    """Every file of the site named after a deal."""
    folder = deal_folder(deal_id)
    pages = ("index.md", "handoff.md", "numbers.md", "value.md", "cashflow.svg", "value.svg")
    return [folder + page for page in pages] + [f"pdf/{n}" for n in pdf_names(deal_id, True, True)]


ids = st.from_regex(r"[a-z0-9][a-z0-9-]{0,40}", fullmatch=True)


@given(st.lists(st.one_of(ids, ids.map(lambda i: i + "-handoff"), ids.map(lambda i: i + "-value")), min_size=2, max_size=6, unique=True))
def test_no_two_deals_share_an_output_file(deal_ids: list[str]) -> None:
    usable = [i for i in deal_ids if bad_deal_id(i) is None]
    names = [name for deal_id in usable for name in outputs(deal_id)]
    assert len(names) == len(set(names))


def test_a_second_file_with_a_known_id_cannot_take_its_pages(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        write_deal(tmp_path / folder, mutate(CLEAN, {"customer": f"Customer {folder}"}), "acme")
    from dealbrief.output.pages import site_files
    from dealbrief.output.render import Renderer

    files = site_files(analyse_all([tmp_path / "a", tmp_path / "b"], Config()), Renderer())
    assert "Customer a" in files["deals/acme/index.md"]
    [elsewhere] = [path for path, page in files.items() if "another deal file already has the id" in page]
    assert elsewhere.startswith("deals/_invalid/")


def test_escapes_in_quoted_yaml_are_refused_like_the_characters(tmp_path: Path) -> None:
    deal = (ROOT / "deals" / "northwind-incident-analytics.yaml").read_text()
    deal = deal.replace("customer: Northwind Logistics", f"customer: {escaped('Acme' + ESCAPES)}")
    deal = deal.replace("title: Incident analytics platform", 'title: "x\\e[31m \\a \\u202e \\N \\L"')
    deal += f"{escaped('zz' + chr(10) + FORGED)}: 1\n"
    (tmp_path / "deals").mkdir()
    (tmp_path / "deals" / "acme.yaml").write_text(deal)
    [report] = analyse_all([tmp_path / "deals"], Config())
    assert [(p.key, p.message.split(":")[0]) for p in report.problems] == [
        ("customer", "text may not hold the control character U+001B"),
        ("title", "text may not hold the control character U+001B"),
        ("", "a key may not hold the control character U+000A"),
    ]


@pytest.mark.parametrize(
    ("escape", "refused"),
    [
        ("\\uFFFE", "the invisible character U+FFFE"),  # PyYAML refuses it in MkDocs' front matter, which then became Markdown
        ("\\uFFFF", "the invisible character U+FFFF"),
        ("\\U0010FFFF", "the invisible character U+10FFFF"),
        ("\\u200b", "the invisible character U+200B"),  # a zero-width answer would close a question
        ("\\u2060", "the invisible character U+2060"),
        ("\\U000E0020", "the invisible character U+E0020"),
        ("\\ufeff", "the invisible character U+FEFF"),
        ("\\ufff9", "the invisible character U+FFF9"),  # interlinear annotation: hides the text up to U+FFFB
        ("\\u206e", "the invisible character U+206E"),  # deprecated shaping control
    ],
)
def test_noncharacters_and_invisible_characters_are_refused(run: Any, escape: str, refused: str) -> None:
    report = run(yaml.safe_dump(CLEAN, sort_keys=False).replace("customer: Acme Freight", f'customer: "Acme {escape} Freight"'))
    assert [p.message for p in report.problems] == [f"text may not hold {refused}: remove it, or the escape that wrote it"]


@pytest.mark.parametrize("answer", ['" "', '"\\t"', "'   '", '"\\ufe0f"', '"\\u2800"', '"\\u0301"', '"\\u200d"'])
def test_a_blank_answer_closes_no_question(run: Any, answer: str) -> None:
    deal = yaml.safe_dump(mutate(CLEAN, {"handoff": {"answers": {"economic-buyer": "PLACEHOLDER"}}}), sort_keys=False)
    report = run(deal.replace("PLACEHOLDER", answer))
    assert [p.message for p in report.problems] == ["expected text, found only spaces or invisible characters"]


def test_show_prints_deal_text_as_text() -> None:
    """rich reads markup in plain strings (``[link=…]`` prints a terminal hyperlink); deal text is never read so."""
    question = {"id": "mine", "ask": "[link=http://evil.example]ask[/link]", "owner": "owner"}
    document = parse(yaml.safe_dump(mutate(CLEAN, {"handoff.questions": [question]})).encode(), "deals/acme.yaml")
    document.data["handoff"]["questions"][0]["owner"] = "[bold]x" + ESCAPES  # as if a control character got past the loader
    deal = Deal.model_validate(document.data)
    case = compute(deal)
    report = Analysed("acme", "deals/acme.yaml", deal=deal, case=case, review=review(document, deal, case, Config()), digest="0" * 64)
    out = io.StringIO()
    render(report, Console(file=out, force_terminal=True, width=200, color_system="standard"))
    printed = out.getvalue()
    assert not re.search(r"\x1b(?!\[[0-9;]*m)", printed)  # only rich's own colours
    assert "[link=http://evil.example]ask[/link]" in re.sub(r"\x1b\[[0-9;]*m", "", printed)
    assert "\\x1b]0;PWNED\\x07" in printed


def test_a_file_names_direction_marks_are_shown_as_escapes(tmp_path: Path) -> None:
    """A right-to-left mark at the start of a check line would turn the line around in a terminal."""
    from dealbrief.output import check_report

    (tmp_path / "deals").mkdir()
    (tmp_path / "deals" / "\u200fevil\u061c.yaml").write_text("dealbrief: 1\n")
    text = check_report.text(analyse_all([tmp_path / "deals"], Config()))
    assert "\u200f" not in text and "\u061c" not in text and "\\u200fevil\\u061c.yaml:1:1:" in text


@pytest.mark.parametrize("flt", ["e", "escape", "forceescape", "tojson", "urlize"])
def test_no_filter_a_team_template_applies_turns_deal_text_into_markup(flt: str) -> None:
    """Jinja's ``|e`` and its kin return ``Markup``, which Markdown reads as markup: in our Markdown templates each escapes
    deal text as literal Markdown instead, so a team's "| e for safety" never makes ``[pay](https://evil.example/pay)`` a
    link — in the page or in the customer's PDF."""
    import markdown

    env = environment()
    for text in [*CORPUS, "[pay](https://evil.example/pay)", "https://evil.example/pay"]:
        filtered = env.from_string(f"{{{{ text | {flt} }}}}").render(text=text)
        html = markdown.markdown(filtered)
        assert "<a" not in html and "<script" not in html and "<img" not in html and "<em>" not in html, (flt, text, html)
    assert env.from_string("{{ text | e }}").render(text="[pay](x)") == env.from_string("{{ text }}").render(text="[pay](x)")
