"""The computed figures as JSON-ready data (``show --json``): decimal strings, never floats."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..engine.pipeline import Report
from ..engine.scenarios import scale_scenarios
from ..fmt import exact

CENT, BASIS_POINT = Decimal("0.01"), Decimal("0.0001")


@exact
def money(value: Decimal) -> str:
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


@exact
def ratio(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(BASIS_POINT, rounding=ROUND_HALF_UP))


def figures(report: Report) -> dict[str, Any]:
    """The keys the README lists for ``show --json``, for one valid deal; the scale scenarios are empty unless it is sold per unit."""
    deal, case, review = report.deal, report.case, report.review
    assert deal and case and review, "figures() needs a valid deal"
    return {
        "id": report.id,
        "currency": deal.currency,
        "stage": deal.stage,
        "pv_costs": money(case.pv_costs),
        "pv_benefits": money(case.pv_benefits),
        "npv": money(case.npv),
        "roi": ratio(case.roi),
        "payback_months": None if case.payback_months is None else money(case.payback_months),
        "total_costs": money(case.total_costs),
        "total_benefits": money(case.total_benefits),
        "annual_benefit": money(case.annual_benefit),
        "break_even_realization": ratio(case.break_even_realization),
        "cost_of_delay": money(case.cost_of_delay),
        "value_to_price": ratio(case.value_to_price),
        "discount": ratio(case.discount),
        "cashflow": {
            "initial": {"costs": money(case.costs[0]), "benefits": money(case.benefits[0])},
            "years": [{"costs": money(c), "benefits": money(b)} for c, b in zip(case.costs[1:], case.benefits[1:], strict=True)],
        },
        "results": [{"id": result_id, "improvement": ratio(value)} for result_id, value in case.improvements.items()],
        "questions": [{"id": q.id, "text": q.text, "blocking": q.blocking, "answered": q.answered} for q in review.questions],
        "findings": [
            {"code": f.code, "slug": f.slug, "severity": f.severity, "line": f.line, "message": f.logged()} for f in review.findings
        ],
        "handoff_gate": review.gate,
        "annual_price": money(case.annual_price),
        "contract_value": money(case.contract_value),
        "realization": realization(report),
        "scale_scenarios": [
            {
                "label": s.label,
                "units": [format(u.normalize(), "f") for u in s.units],  # a year, for each contract year
                "annual_price": money(s.case.annual_price),
                "annual_benefit": money(s.case.annual_benefit),
                "npv": money(s.case.npv),
                "roi": ratio(s.case.roi),
                "payback_months": None if s.case.payback_months is None else money(s.case.payback_months),
                "contract_value": money(s.case.contract_value),
            }
            for s in scale_scenarios(deal, case)
        ],
    }


def realization(report: Report) -> dict[str, Any] | None:
    """A won deal's value realized against the promise, to date and per period; None without measured value to show."""
    progress = report.progress
    if progress is None:
        return None
    return {
        "promised_to_date": money(progress.promised_to_date),
        "realized_to_date": money(progress.realized_to_date),
        "ratio": ratio(progress.ratio),
        "promised_total": money(progress.promised_total),
        "drivers": [
            {"id": d.id, "promised": money(d.promised), "realized": money(d.realized), "ratio": ratio(d.ratio)} for d in progress.drivers
        ],
        "unconfirmed": len(progress.unconfirmed),
        "periods": [
            {
                "period": p.label,
                "promised": money(p.promised),
                "realized": money(p.realized),
                "drivers": [
                    {"id": d, "promised": money(promised), "realized": None if realized is None else money(realized)}
                    for d, (promised, realized) in p.drivers.items()
                ],
            }
            for p in progress.periods
        ],
        "next_period": progress.next_period,
        "next_review": progress.next_review.isoformat() if progress.next_review else None,
    }
