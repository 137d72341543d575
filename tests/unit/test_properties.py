"""Properties over the whole valid range: the engine's conventions hold, no valid deal crashes an output, and
no mangled file crashes the loader (hypothesis; ``DEALBRIEF_FUZZ_EXAMPLES`` sets the fuzzers' example count).
"""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dealbrief.deal.model import Commit, Deal
from dealbrief.engine.compute import PRECISION, compute, present_value
from dealbrief.engine.config import Config
from dealbrief.engine.pipeline import Analysed, analyse, analyse_all, analyse_bytes

from ..conftest import CLEAN, IN_CI, ROOT, mutate, write_deal

FUZZ_EXAMPLES = int(os.environ.get("DEALBRIEF_FUZZ_EXAMPLES", "150"))

# --- the engine, property by property -------------------------------------------------------------------------------

money = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False)
ratio = st.decimals(min_value=Decimal("0.01"), max_value=1, places=2)


@st.composite
def deals(draw: Any) -> Deal:
    years = draw(st.integers(1, 6))
    drivers = [
        {
            "id": f"d{i}",
            "name": f"Driver {i}",
            "annual": draw(st.one_of(money, st.lists(money, min_size=years, max_size=years))),
            "realization": draw(ratio),
            "ramp": draw(st.lists(ratio, min_size=years, max_size=years)),
        }
        for i in range(draw(st.integers(1, 4)))
    ]
    data = {
        "dealbrief": 1,
        "customer": "C",
        "title": "T",
        "stage": "discovery",
        "team": {"se": "a", "ae": "b"},
        "baseline": {"problem": "p"},
        "value": drivers,
        "costs": {
            "subscription": draw(money),
            "billing": draw(st.sampled_from(["in-advance", "in-arrears"])),
            "one_time": [{"name": "Setup", "amount": draw(money)}],
            "recurring": [{"name": "Run", "amount": draw(money)}],
        },
        "finance": {"horizon_years": years, "discount_rate": draw(st.decimals(min_value=0, max_value=Decimal("0.3"), places=3))},
    }
    return Deal.model_validate(data)


rates = st.decimals(min_value=Decimal("0.0001"), max_value=10, places=4)


@st.composite
def commitments(draw: Any) -> Deal:
    """A deal priced by a committed spend, with any usage, rates, rollover and billing."""
    deal = draw(deals())
    years = deal.finance.horizon_years
    usage = st.decimals(min_value=0, max_value=10_000_000, places=0)
    commit = {
        "unit": "credits",
        "amount": draw(money),
        "rate": draw(rates),
        "overage_rate": draw(st.one_of(st.none(), rates)),
        "usage": draw(st.one_of(usage, st.lists(usage, min_size=years, max_size=years))),
        "rollover": draw(st.booleans()),
    }
    costs = deal.costs.model_copy(update={"subscription": None, "commit": Commit.model_validate(commit)})
    return deal.model_copy(update={"costs": costs})


PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=IN_CI)


@PROPERTY
@given(deals())
def test_npv_is_pv_benefits_minus_pv_costs_and_roi_has_its_sign(deal: Deal) -> None:
    case = compute(deal)
    with localcontext(PRECISION):  # compare at the engine's own precision
        assert case.npv == case.pv_benefits - case.pv_costs
    assert case.pv_costs == present_value(case.costs, case.rate) and case.pv_benefits == present_value(case.benefits, case.rate)
    if case.roi is not None:
        assert (case.roi > 0) == (case.npv > 0) and (case.roi < 0) == (case.npv < 0)


@PROPERTY
@given(deals(), money.filter(lambda m: m > 0))
def test_more_cost_never_shortens_payback(deal: Deal, extra: Decimal) -> None:
    dearer = deal.model_copy(
        update={
            "costs": deal.costs.model_copy(
                update={"one_time": [*deal.costs.one_time, type(deal.costs.one_time[0])(name="More", amount=extra)]}
            )
        }
    )
    before, after = compute(deal).payback_months, compute(dearer).payback_months
    assert (before is None and after is None) or after is None or (before is not None and after >= before)


@PROPERTY
@given(deals(), st.decimals(min_value=0, max_value=1, places=3))
def test_realization_scales_benefits_linearly(deal: Deal, scale: Decimal) -> None:
    full, scaled = compute(deal), compute(deal, scale)
    with localcontext(PRECISION):
        for a, b in zip(full.benefits, scaled.benefits, strict=True):
            assert abs(b - a * scale) < Decimal("1e-20")
    assert full.costs == scaled.costs


@PROPERTY
@given(deals())
def test_break_even_realization_gives_zero_npv(deal: Deal) -> None:
    case = compute(deal)
    if case.break_even_realization is None:
        return
    uniform = deal.model_copy(update={"value": [d.model_copy(update={"realization": case.break_even_realization}) for d in deal.value]})
    # realization is validated ≤ 1 on input; the engine itself takes any value
    assert abs(compute(uniform).npv) < Decimal("1e-15") * max(case.pv_costs, 1)


@PROPERTY
@given(deals(), st.randoms())
def test_driver_order_does_not_matter(deal: Deal, rng: Any) -> None:
    shuffled = list(deal.value)
    rng.shuffle(shuffled)
    a, b = compute(deal), compute(deal.model_copy(update={"value": shuffled}))
    assert (a.costs, a.benefits, a.npv, a.roi, a.payback_months, a.break_even_realization) == (
        b.costs,
        b.benefits,
        b.npv,
        b.roi,
        b.payback_months,
        b.break_even_realization,
    )


@PROPERTY
@given(deals())
def test_no_float_sneaks_in(deal: Deal) -> None:
    case = compute(deal)
    values = [v for v in vars(case).values() if not isinstance(v, tuple | dict | int | type(None))]
    values += [*case.costs, *case.benefits, *(v for line in case.cost_lines + case.benefit_lines for v in line.values)]
    assert values and all(isinstance(v, Decimal) for v in values if not hasattr(v, "isoformat")), values


@PROPERTY
@given(commitments())
def test_a_commitment_is_drawn_down_and_never_lost_twice(deal: Deal) -> None:
    """Each year, what was available is drawn, lost or carried, never more; usage beyond it is overage at the overage
    rate; nothing is carried past the term; the customer pays at least the commitment and never less than its usage."""
    case, commit = compute(deal), deal.costs.commit
    assert commit is not None
    carried = Decimal(0)
    with localcontext(PRECISION):
        for row in case.drawdown:
            rate = commit.rate * (1 + (deal.costs.escalator or 0)) ** (row.year - 1)
            assert row.available == row.committed + carried
            assert row.used + row.unused + row.carried == row.available and min(row.used, row.unused, row.carried) >= 0
            assert row.used == min(row.usage * rate, row.available)
            assert abs((row.used / rate + row.overage_units) - row.usage) < Decimal("1e-20") * max(row.usage, 1)
            assert row.overage_units >= 0 and (row.overage_units == 0 or row.used == row.available)
            carried = row.carried
        assert case.drawdown[-1].carried == 0 and case.expected_spend >= case.contract_value
        assert case.unused == sum((row.unused for row in case.drawdown), Decimal(0))


@PROPERTY
@given(commitments())
def test_rollover_never_costs_more_and_more_usage_never_lowers_the_spend(deal: Deal) -> None:
    commit = deal.costs.commit
    assert commit is not None

    def spend(**changes: Any) -> Decimal:
        changed = deal.costs.model_copy(update={"commit": commit.model_copy(update=changes)})
        return compute(deal.model_copy(update={"costs": changed})).expected_spend

    assert spend(rollover=True) <= spend(rollover=False)
    usage = commit.usage if isinstance(commit.usage, tuple) else (commit.usage,) * deal.finance.horizon_years
    assert spend(usage=tuple(u * 2 for u in usage)) >= spend(usage=usage)


# --- the whole valid range: nothing a valid deal holds can crash the engine or any output ---------------------------

LARGEST = Decimal("999999999999999.99")
amounts = st.one_of(
    st.sampled_from([Decimal(0), Decimal("0.000001"), Decimal("0.01"), LARGEST]),
    st.decimals(min_value=0, max_value=LARGEST, places=2),
    st.decimals(min_value=Decimal("1e-6"), max_value=1, places=6),
)
measures = st.one_of(st.sampled_from([-LARGEST, Decimal(0), LARGEST]), st.decimals(min_value=-LARGEST, max_value=LARGEST, places=3))
ratios = st.one_of(st.sampled_from([Decimal(0), Decimal(1)]), st.decimals(min_value=0, max_value=1, places=4))
days = st.one_of(
    st.sampled_from([date(1900, 1, 1), date(2200, 12, 31)]), st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
)


@st.composite
def extreme_deals(draw: Any) -> dict[str, Any]:
    years = draw(st.integers(1, 10))
    per_year = st.one_of(amounts, st.lists(amounts, min_size=years, max_size=years))
    results = [
        {
            "id": "r",
            "metric": "M",
            "unit": "u",
            "better": draw(st.sampled_from(["lower", "higher"])),
            "before": draw(measures),
            "after": draw(measures),
        }
    ]
    drivers = [
        {"id": "linked", "name": "N", "result": "r", "volume": draw(amounts), "rate": draw(amounts), "realization": draw(ratios)},
        {"id": "fixed", "name": "F", "annual": draw(per_year), "ramp": draw(st.lists(ratios, min_size=years, max_size=years))},
        {"id": "per-unit", "name": "U", "result": "r", "volume_per_unit": draw(amounts), "rate": draw(amounts)},
        {"id": "share", "name": "S", "base": draw(per_year), "share": draw(ratios)},
    ]
    counts = st.one_of(amounts, st.lists(amounts, min_size=years, max_size=years))
    return {
        "dealbrief": 1,
        "customer": "C",
        "title": "T",
        "stage": draw(st.sampled_from(["discovery", "poc", "closed-lost"])),
        "currency": draw(st.sampled_from(["USD", "EUR", "JPY", "KWD"])),
        "locale": draw(st.sampled_from(["en_US", "de_DE", "fr_CH", "ja_JP"])),
        "team": {"se": "a", "ae": "b"},
        "baseline": {"problem": "p"},
        "poc": {
            "start": (dates := sorted([draw(days), draw(days)]))[0],
            "end": dates[1],
            "results": results,
            "scale": {
                "tested": draw(amounts.filter(bool)),
                "planned": draw(amounts.filter(bool)),
                "unit": draw(st.sampled_from(["agents", "credits"])),  # credits: the POC measured consumption (DB123)
            },
        },
        "value": drivers,
        "costs": {
            "subscription": (subscription := draw(per_year)),
            "list_price": draw(st.one_of(st.none(), amounts)),
            "units": {"unit": "agents", "price": draw(amounts), "list_price": draw(amounts), "quantity": draw(counts)},
            "commit": {
                "unit": "credits",
                "amount": draw(per_year) if isinstance(subscription, list) else draw(amounts),  # a list takes no escalator
                "rate": draw(amounts.filter(bool)),
                "list_rate": draw(st.one_of(st.none(), amounts.filter(bool))),
                "overage_rate": draw(st.one_of(st.none(), amounts.filter(bool))),
                "usage": draw(counts),
                "rollover": draw(st.booleans()),
            },
            "license": {"amount": draw(amounts), "list_price": draw(amounts), "maintenance": draw(ratios)},
            "escalator": None if isinstance(subscription, list) else draw(st.one_of(st.none(), ratios)),
            "billing": draw(st.sampled_from(["in-advance", "in-arrears"])),
            "one_time": [{"name": "Setup", "amount": draw(amounts)}],
            "recurring": [{"name": "Run", "amount": draw(per_year)}],
        },
        "finance": {"horizon_years": years, "discount_rate": draw(ratios), "go_live": draw(days)},
        "commercial": {"discount_floor": draw(ratios), "commitment": {"units": draw(amounts), "status": "verbal"}},
    }


# --- the loader, fuzzed ---------------------------------------------------------------------------------------------

SEEDS = [p.read_bytes() for p in sorted((ROOT / "deals").glob("*.yaml"))]
SPICE = [
    "\x00",
    "\ufeff",
    "\t",
    "\u202e",
    "\u2066",
    "&a ",
    "*a",
    "!!python/object ",
    "[" * 60,
    "{",
    "9" * 400,
    "1e999999",
    "-.inf",
    "NO",
    "0755",
    "---\n",
    "…",
    "𝔸",
    "\r",
    "'",
    '"',
    ": ",
    "- ",
    "\\",
    "%YAML 1.1\n",
]


@st.composite
def mutated(draw: Any) -> bytes:
    raw = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        action = draw(st.sampled_from(["truncate", "insert", "flip", "delete"]))
        at = draw(st.integers(0, len(raw)))
        if action == "truncate":
            raw = raw[:at]
        elif action == "insert":
            raw[at:at] = draw(st.one_of(st.sampled_from(SPICE), st.text(max_size=20))).encode("utf-8", "surrogatepass")
        elif action == "flip" and at < len(raw):
            raw[at] = draw(st.integers(0, 255))
        else:
            raw[at : at + draw(st.integers(1, 40))] = b""
    return bytes(raw)


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=IN_CI)
@given(mutated())
def test_mutated_yaml_gives_located_problems_or_a_deal(raw: bytes) -> None:
    report = analyse_bytes(raw, "deals/fuzzed.yaml", Config())
    assert isinstance(report, Analysed) or report.problems  # a deal, or at least one located problem: never neither
    for problem in report.problems:
        assert problem.file == "deals/fuzzed.yaml" and problem.line >= 1 and problem.column >= 1 and problem.message


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=IN_CI)
@given(
    st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.text(), st.floats(allow_nan=False)),
        lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
        max_leaves=30,
    )
)
def test_wrong_types_anywhere_are_located(data: Any) -> None:
    document = {**yaml.safe_load(SEEDS[0]), "costs": data} if isinstance(data, dict) else data
    raw = yaml.safe_dump(document, allow_unicode=True).encode("utf-8", "surrogatepass")
    report = analyse_bytes(raw, "deals/typed.yaml", Config())
    assert isinstance(report, Analysed) or (report.problems and all(p.line >= 1 and p.column >= 1 for p in report.problems))


# --- paths ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("Northwind", "lowercase letters"),
        ("north wind", "lowercase letters"),
        ("nоrthwind", "lowercase letters"),  # Cyrillic о
        ("-leading", "lowercase letters"),
        ("con", "reserved device name"),
        ("lpt1", "reserved device name"),
    ],
)
def test_bad_ids_are_refused(tmp_path: Path, name: str, reason: str) -> None:
    (tmp_path / f"{name}.yaml").write_text(yaml.safe_dump(mutate(CLEAN, {}), sort_keys=False))
    report = analyse(tmp_path / f"{name}.yaml", Config())
    assert not report.valid and reason in report.problems[0].message and report.problems[0].line == 1


def test_symlinked_deal_files_are_not_followed(tmp_path: Path) -> None:
    (tmp_path / "secret.yaml").write_text("dealbrief: 1\ncustomer: SECRET-OUTSIDE\n")
    (tmp_path / "deals").mkdir()
    (tmp_path / "deals" / "linked.yaml").symlink_to(tmp_path / "secret.yaml")
    [report] = analyse_all([tmp_path / "deals"], Config())
    assert [p.message for p in report.problems] == ["deal files may not be symbolic links: copy the file instead"]


def test_duplicate_ids_across_folders(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        write_deal(tmp_path / folder, CLEAN, "acme")
    first, second = analyse_all([tmp_path / "a", tmp_path / "b"], Config())
    assert first.valid and not second.valid
    assert "another deal file already has the id 'acme'" in second.problems[0].message
