"""`dealbrief show` in any terminal: a figure is never cut, however narrow the window."""

from __future__ import annotations

import io

import pytest
from rich.cells import cell_len
from rich.console import Console

from dealbrief.engine.config import Config
from dealbrief.engine.pipeline import analyse
from dealbrief.engine.scenarios import scale_scenarios
from dealbrief.fmt import Formatter
from dealbrief.output.terminal import render

from ..conftest import ROOT


@pytest.mark.parametrize("deal", ["deals/northwind-incident-analytics.yaml", "tests/examples/hostile/deals/hostile-text.yaml"])
@pytest.mark.parametrize("width", range(40, 201, 4))
def test_every_figure_is_shown_whole_at_any_width(deal: str, width: int) -> None:
    report = analyse(ROOT / deal, Config())
    assert report.deal and report.case
    out = io.StringIO()
    render(report, Console(file=out, width=width, highlight=False))
    lines = out.getvalue().splitlines()
    assert max(cell_len(line) for line in lines) <= width
    f, case = Formatter(report.deal.currency, report.deal.locale), report.case
    figures = [f.money(v) for v in (*case.costs, *case.benefits, *case.net, case.total_net, case.pv_costs, case.npv)]
    figures += [f.money(s.case.contract_value) for s in scale_scenarios(report.deal, case)]
    figures += [f.months(s.case.payback_months) for s in scale_scenarios(report.deal, case)]
    text = "\n".join(lines)
    assert [figure for figure in figures if figure not in text] == []


@pytest.mark.parametrize("width", range(40, 201, 8))
def test_a_yen_deal_in_japan_is_never_cut_at_any_width(tmp_path, width: int) -> None:
    """A full-width ￥ takes two terminal cells: measured in cells, no answer, figure or id is ever cut off (no "…")."""
    text = (ROOT / "deals" / "northwind-incident-analytics.yaml").read_text(encoding="utf-8")
    japanese = text.replace("currency: USD", "currency: JPY").replace("locale: en_US", "locale: ja_JP\nlanguage: en")
    (tmp_path / "deals").mkdir()
    (tmp_path / "deals" / "northwind-jp.yaml").write_text(japanese, encoding="utf-8")
    report = analyse(tmp_path / "deals" / "northwind-jp.yaml", Config())
    assert report.deal and report.case and report.deal.currency == "JPY"
    out = io.StringIO()
    render(report, Console(file=out, width=width, highlight=False))
    shown = out.getvalue()
    assert "…" not in shown and max(cell_len(line) for line in shown.splitlines()) <= width
    f = Formatter("JPY", "ja_JP")
    for figure in (f.money(report.case.total_costs), f.money(report.case.npv), f.money(report.case.contract_value)):
        assert figure in shown, (figure, width)
