"""The computed figures as JSON-ready data (``show --json``): the key figures as :mod:`dealbrief.engine.figures` has them,
the rest rounded by the same rule (:func:`dealbrief.fmt.plain`); ``Decimal`` values, written as exact JSON numbers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..engine.figures import plain_figures, revision_figures
from ..engine.pipeline import Analysed
from ..engine.scenarios import Scenario, scale_scenarios
from ..fmt import plain


def money(value: Decimal) -> Decimal | None:
    return plain(value, "money")


def ratio(value: Decimal | None) -> Decimal | None:
    return plain(value, "percent")


def figures(report: Analysed) -> dict[str, Any]:
    """The keys the manual lists for ``show --json``, for one valid deal; the scale scenarios are empty unless it is sold per
    unit, the usage scenarios unless it is priced by a committed spend (they have its expected spend and unused too).

    The business case is the customer's (once sent, the version sent); a revision's figures are beside it, under
    ``revision``."""
    deal, review, case = report.deal, report.review, report.customers.case
    key = plain_figures(report)
    return {
        "id": report.id,
        "currency": deal.currency,
        "stage": deal.stage,
        "pv_costs": money(case.pv_costs),
        "pv_benefits": money(case.pv_benefits),
        "npv": key["npv"],
        "roi": key["roi"],
        "payback_months": key["payback_months"],
        "total_costs": key["total_costs"],
        "total_benefits": money(case.total_benefits),
        "annual_benefit": key["annual_benefit"],
        "break_even_realization": key["break_even_realization"],
        "cost_of_delay": money(case.cost_of_delay),
        "value_to_price": key["value_to_price"],
        "discount": key["discount"],
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
        "open_blocking_questions": key["open_blocking_questions"],
        "annual_price": key["annual_price"],
        "contract_value": key["contract_value"],
        "annual_contract_value": key["annual_contract_value"],
        "commitment": commitment(report),
        "realization": realization(report),
        "revision": revision(report),
        "scale_scenarios": [scenario(s) for s in scale_scenarios(deal, report.case)],
        "usage_scenarios": [
            {**scenario(s), "expected_spend": money(s.case.expected_spend), "unused": money(s.case.unused)}
            for s in scale_scenarios(deal, report.case, "usage")
        ],
    }


def scenario(s: Scenario) -> dict[str, Any]:
    """A scale or usage scenario as tools read it: its units a year (bought, or used) and the case at that scale."""
    return {
        "label": s.label,
        "units": [u.normalize() for u in s.units],  # a year, for each contract year
        "annual_price": money(s.case.annual_price),
        "annual_benefit": money(s.case.annual_benefit),
        "npv": money(s.case.npv),
        "roi": ratio(s.case.roi),
        "payback_months": plain(s.case.payback_months, "months"),
        "contract_value": money(s.case.contract_value),
    }


def commitment(report: Analysed) -> dict[str, Any] | None:
    """A committed spend drawn down year by year, and what the customer is expected to spend; None without one."""
    deal, case = report.customers.deal, report.customers.case
    if deal.costs.commit is None:
        return None
    rows = case.drawdown
    return {
        "unit": deal.costs.commit.unit,
        "expected_spend": money(case.expected_spend),
        "overage": money(case.overage),
        "unused": money(case.unused),
        "years": [
            {
                "committed": money(r.committed),
                "usage": r.usage.normalize(),
                "used": money(r.used),
                "unused": money(r.unused),
                "carried": money(r.carried),
                "overage_units": plain(r.overage_units, "money"),
                "overage": money(r.overage),
            }
            for r in rows
        ],
    }


def revision(report: Analysed) -> dict[str, Any] | None:
    """A deal edited since the version sent: the date it was sent, and the revision's figures (not sent)."""
    figures = revision_figures(report)
    if figures is None or report.deal.sent is None:
        return None
    return {"sent": report.deal.sent.date.isoformat(), "sent_file_hash": report.deal.sent.file_hash, "figures": figures}


def realization(report: Analysed) -> dict[str, Any] | None:
    """A won deal's value realized against the promise, to date and per period; None without measured value to show."""
    progress = report.progress
    if progress is None:
        return None
    key = plain_figures(report)
    return {
        "promised_to_date": key["promised_to_date"],
        "realized_to_date": key["realized_to_date"],
        "ratio": key["realized_share"],
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
