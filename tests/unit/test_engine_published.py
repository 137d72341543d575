"""The engine against worked examples whose answers were published by others (tests/data/published_cases.yaml).

Each example becomes a real deal file — initial costs as one-time costs, yearly costs as
recurring costs, benefits as a per-year driver — and goes through the whole pipeline.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
import yaml

from ..conftest import ROOT

CASES = yaml.safe_load((ROOT / "tests" / "data" / "published_cases.yaml").read_text(encoding="utf-8"))


def as_deal(case: dict) -> dict:
    years = case["years"]
    return {
        "dealbrief": 1,
        "customer": "Published example",
        "title": case["name"],
        "stage": "discovery",
        "team": {"se": "x", "ae": "y"},
        "baseline": {"problem": "x", "source": case["url"]},
        "value": [{"id": "benefits", "name": "Benefits", "annual": [Decimal(y["benefits"]) for y in years], "basis": case["source"]}],
        "costs": {
            "subscription": 0,
            "one_time": [{"name": "Initial", "amount": Decimal(case["initial"]["costs"])}],
            "recurring": [{"name": "Yearly", "amount": [Decimal(y["costs"]) for y in years]}],
        },
        "finance": {"horizon_years": len(years), "discount_rate": Decimal(case["discount_rate"])},
    }


def dump(data: dict) -> str:
    """YAML with decimals written as the exact numbers they are (never through float)."""

    class Dumper(yaml.SafeDumper):
        pass

    Dumper.add_representer(Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", str(v)))
    return yaml.dump(data, Dumper=Dumper, sort_keys=False)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_published_example(run, case: dict) -> None:
    report = run(dump(as_deal(case)), deal_id=case["name"])
    assert report.valid, report.problems
    computed, expected, tolerance = report.case, case["expected"], Decimal(case["tolerance"])
    for key in ("pv_costs", "pv_benefits", "npv"):
        if key in expected:
            assert abs(getattr(computed, key) - Decimal(expected[key])) <= tolerance, (key, getattr(computed, key))
    if "roi" in expected:
        published = Decimal(expected["roi"])
        assert computed.roi.quantize(published, rounding=ROUND_HALF_UP) == published
    if "payback_months" in expected:
        assert computed.payback_months == Decimal(expected["payback_months"])


def test_the_spec_figure_is_the_salesloft_study(run) -> None:
    """SPEC §6's "5496170.11" is the NPV of the SalesLoft TEI's cash flows, computed to the cent."""
    salesloft = next(c for c in CASES if c["name"] == "forrester-tei-salesloft")
    report = run(dump(as_deal(salesloft)), deal_id="salesloft")
    assert str(report.case.npv.quantize(Decimal("0.01"))) == "5496170.11"


def test_every_case_cites_its_source() -> None:
    assert len(CASES) >= 3
    assert all(c["url"].startswith("https://") and c["source"] for c in CASES)
