"""Every output of a deal the format accepts — pages, dashboard, JSON, terminal, chart — made from generated deals at the
edges of what the format allows: none may crash. (An integration of every output: its deals come from the unit tests'
strategy.)"""

from __future__ import annotations

import io
import json
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from rich.console import Console

from dealbrief.engine.config import Config
from dealbrief.engine.pipeline import analyse_bytes
from dealbrief.output.pages import deal_pages
from dealbrief.output.render import Renderer
from dealbrief.output.show_json import figures
from dealbrief.output.terminal import render
from dealbrief.text import printable_json

from ..conftest import IN_CI, ExactDumper
from ..unit.test_properties import FUZZ_EXAMPLES, extreme_deals


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=IN_CI)
@given(extreme_deals())
def test_a_deal_check_accepts_never_crashes_an_output(data: dict[str, Any]) -> None:
    report = analyse_bytes(yaml.dump(data, Dumper=ExactDumper, sort_keys=False).encode(), "deals/extreme.yaml", Config())
    if not report.valid:
        assert all(p.line >= 1 for p in report.problems)
        return
    assert report.case and report.deal
    renderer = Renderer()
    deal_pages(report, renderer)
    renderer.dashboard([report], lambda r: "x")
    json.loads(printable_json(figures(report)))
    render(report, Console(file=io.StringIO(), width=120))
    renderer.chart(report)
