"""The chart's SVG as Typst drawing commands, so Typst sets its labels as its own text.

Typst can embed the SVG, but it then lays out every ``<text>`` itself through its SVG library, which costs about as
much as the rest of the page; drawn with Typst's own shapes and text, the same chart costs a fraction of that, in the
document's font, with its labels searchable in the PDF.  Only what ``chart.svg.j2`` draws is translated (rectangles,
lines, polylines, circles, straight-edged paths, text); a team's chart that uses anything else is embedded as an image.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree

SVG = "{http://www.w3.org/2000/svg}"
NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
STRAIGHT = re.compile(r"(?:[ML]\s*-?[0-9.]+[ ,]\s*-?[0-9.]+\s*)+Z?")
IMAGE = "cashflow-image.svg"  # where the chart goes when it cannot be drawn: the document shows it as an image
WIDTH = "0.88"  # of the text width, as the document sets its images


def typst_chart(svg: bytes) -> str:
    """``#include``-able Typst that draws ``svg``, scaled to the document's image width; or shows it as an image."""
    try:
        root = ElementTree.fromstring(svg)
        width, height = float(root.get("width", "")), float(root.get("height", ""))
        parts = [_shape(element, float(root.get("font-size", "11"))) for element in root]
    except (ElementTree.ParseError, ValueError):
        parts = [None]
    if None in parts:
        return f'#image("{IMAGE}", width: {float(WIDTH) * 100:g}%)\n'
    body = "\n  ".join(part for part in parts if part)
    return (
        f"#layout(size => align(center, scale({WIDTH} * size.width / {width:g}pt * 100%, reflow: true,\n"
        f"  box(width: {width:g}pt, height: {height:g}pt, {{\n  {body}\n  }}))))\n"
    )


def _shape(element: ElementTree.Element, size: float) -> str | None:
    """One SVG element as a Typst ``place``; ``""`` for what draws nothing; None for what is not translated."""
    tag, number = element.tag.removeprefix(SVG), lambda key: float(element.get(key, "0"))
    if tag in ("title", "desc"):
        return ""
    if tag == "rect":
        return (
            f"place(top + left, dx: {number('x'):g}pt, dy: {number('y'):g}pt, rect(width: {number('width'):g}pt, "
            f"height: {number('height'):g}pt, radius: {number('rx'):g}pt, fill: {_paint(element, 'fill')}, stroke: {_stroke(element)}))"
        )
    if tag == "line":
        start, end = f"({number('x1'):g}pt, {number('y1'):g}pt)", f"({number('x2'):g}pt, {number('y2'):g}pt)"
        return f"place(top + left, line(start: {start}, end: {end}, stroke: {_stroke(element)}))"
    if tag == "polyline":
        points = _points(element.get("points", ""))
        steps = ", ".join(f"curve.line({point})" for point in points[1:])
        return f"place(top + left, curve(stroke: {_stroke(element)}, curve.move({points[0]}), {steps}))" if points else ""
    if tag == "circle":
        radius = number("r")
        return (
            f"place(top + left, dx: {number('cx') - radius:g}pt, dy: {number('cy') - radius:g}pt, "
            f"circle(radius: {radius:g}pt, fill: {_paint(element, 'fill')}))"
        )
    if tag == "path" and STRAIGHT.fullmatch(element.get("d", "").strip()):
        return f"place(top + left, polygon(fill: {_paint(element, 'fill')}, {', '.join(_points(element.get('d', '')))}))"
    if tag == "text" and not list(element):
        return _text(element, size)
    return None


def _text(element: ElementTree.Element, size: float) -> str:
    """A label placed as the SVG places it: its baseline at ``y`` (moved by ``dy`` ems), anchored at its start, middle or end."""
    share = {"end": "1", "middle": "0.5"}.get(element.get("text-anchor", "start"), "0")
    shift = float(element.get("dy", "0em").removesuffix("em")) * size
    weight = ', weight: "bold"' if element.get("font-weight") == "bold" else ""
    label = (element.text or "").replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    paint = _paint(element, "fill").replace("none", "black")  # SVG text without a fill is black
    body = f'text(size: {size:g}pt, fill: {paint}, top-edge: "cap-height", bottom-edge: "baseline"{weight}, "{label}")'
    x, y = float(element.get("x", "0")), float(element.get("y", "0")) + shift
    placed = f"place(top + left, dx: {x:g}pt - {share} * m.width, dy: {y:g}pt - m.height, label)"
    return f"context {{ let label = {body}; let m = measure(label); {placed} }}"


def _points(text: str) -> list[str]:
    numbers = NUMBER.findall(text)
    return [f"({x}pt, {y}pt)" for x, y in zip(numbers[::2], numbers[1::2], strict=False)]


def _paint(element: ElementTree.Element, key: str) -> str:
    colour = element.get(key, "none")
    if not re.fullmatch("#[0-9a-fA-F]{6}", colour):
        return "none"
    opacity = element.get(f"{key}-opacity")
    return f'rgb("{colour}").transparentize({100 - float(opacity) * 100:g}%)' if opacity else f'rgb("{colour}")'


def _stroke(element: ElementTree.Element) -> str:
    paint = _paint(element, "stroke")
    return "none" if paint == "none" else f"{float(element.get('stroke-width', '1')):g}pt + {paint}"
