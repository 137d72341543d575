"""The chart in the PDF: our SVG drawn with Typst's own shapes and text, or embedded when a team's chart is beyond that."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typst

from dealbrief.engine.config import Config
from dealbrief.engine.pipeline import analyse_all
from dealbrief.output.render import Renderer
from dealbrief.pdf.chart import IMAGE, typst_chart

from ..conftest import ROOT


def reports() -> list:
    return [r for r in analyse_all([ROOT / "deals", ROOT / "tests" / "examples" / "hostile" / "deals"], Config()) if r.case]


@pytest.mark.parametrize("report", reports(), ids=lambda r: r.id)
def test_every_element_of_our_chart_is_drawn_by_typst(report, tmp_path: Path) -> None:
    svg = Renderer().chart(report, font="Libertinus Serif")
    drawing = typst_chart(svg.encode())
    assert IMAGE not in drawing  # nothing had to be embedded
    shapes = len(re.findall(r"<(rect|line|polyline|circle|path|text)\b", svg))
    assert drawing.count("place(top + left") == shapes  # each element once
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert all(f'"{label}")' in drawing for label in labels)
    (tmp_path / "chart.typ").write_text(drawing)
    (tmp_path / "main.typ").write_text('#set text(font: "Libertinus Serif")\n#include "chart.typ"\n')
    assert typst.compile(str(tmp_path / "main.typ"), root=str(tmp_path), format="pdf", ignore_system_fonts=True).startswith(b"%PDF")


@pytest.mark.parametrize(
    "svg",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><ellipse cx="1" cy="1" rx="1" ry="2"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><path d="M0 0 C 1 1 2 2 3 3"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>a<tspan>b</tspan></text></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>',  # no size
        b"not svg at all",
    ],
    ids=["ellipse", "curve", "tspan", "no-size", "not-xml"],
)
def test_a_chart_beyond_the_translation_is_embedded_as_an_image(svg: bytes) -> None:
    assert typst_chart(svg) == f'#image("{IMAGE}", width: 88%)\n'


def test_a_label_cannot_become_typst_code() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text x="1" y="2">a" + eval("1") + "\\</text></svg>'
    drawing = typst_chart(svg)
    assert '"a\\" + eval(\\"1\\") + \\"\\\\")' in drawing  # one string literal, its quotes and backslash escaped


@pytest.mark.parametrize(
    ("content", "may"),
    [
        (b"[(\\000\\001\\000\\000)]TJ", True),  # glyph 0 after glyph 1
        (b"[(\\000\\000)]TJ", True),
        (b"[(\\0\\0)]TJ", True),  # the short escapes
        (b"[(\\0001)]TJ", False),  # NUL, then the digit 1: one NUL
        (b"[(\x00\x00)]TJ", True),  # raw bytes
        (b"[<0001 0000>]TJ", True),
        (b"[<00010002>]TJ", False),
        (b"[(\\000\\001\\000\\002)]TJ", False),
    ],
)
def test_the_quick_look_for_glyph_zero_never_misses_one(content: bytes, may: bool) -> None:
    from dealbrief.pdf.worker import _may_show_glyph_zero

    class Page:
        def get_contents(self):
            return type("Contents", (), {"get_data": lambda _: content})()

    assert _may_show_glyph_zero(Page()) is may
