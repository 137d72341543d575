"""The dashboard's figures: every deal a row (with its sort keys), the open pipeline per currency and per stage in
comparable figures, the deals at commercial risk first, and the won deals' value realized.

Sums only ever add like to like: amounts per currency (across currencies only converted into a team's reporting currency,
at its rates), and per year (annual contract value) or in present value (NPV) — never totals over different horizons.
The page's sorting and filtering happen in the reader's browser (``dealbrief.js``): the page is built once, whatever the
reader chooses.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from ..deal.model import OPEN_STAGES, STAGES
from ..engine.figures import annual_contract_value, as_text, key_figures, plain_figures
from ..engine.pipeline import Analysed, Report
from ..engine.reporting import Reporting
from ..fmt import Formatter

# The dashboard's order: the open deals closest to signature first, then the closed ones.
ORDER = {stage: rank for rank, stage in enumerate([*reversed(OPEN_STAGES), *(s for s in STAGES if s not in OPEN_STAGES)])}
BAR = 240  # the pipeline chart's longest bar, in its units
SORTED = {  # the sortable columns' key figures: the page sorts by their plain values
    "acv": "annual_contract_value",
    "savings": "annual_benefit",
    "npv": "npv",
    "roi": "roi",
    "payback": "payback_months",
    "open_blocking": "open_blocking_questions",
}
FINDINGS_BASE = 10_000  # the findings column sorts by errors, then warnings, as one number (no deal has 10,000 warnings)


def order(report: Report) -> tuple[Any, ...]:
    """Invalid deals first (they need fixing), then closest to signature, then biggest NPV."""
    if not isinstance(report, Analysed):
        return (0, 0, Decimal(0), report.id)
    return (1, ORDER[report.deal.stage], -report.customers.case.npv, report.id)


def at_risk(report: Report) -> bool:
    """A technical win still open with blocking handoff questions: the deals that are lost after the proof."""
    if not isinstance(report, Analysed):
        return False
    return bool(report.review.open_blocking and report.deal.is_open and report.deal.reached("technical-win"))


def row(report: Report, link: str) -> dict[str, Any]:
    """A deal's row; ``sort`` holds the plain numbers the page sorts by (figures are shown in each deal's currency)."""
    if not isinstance(report, Analysed):
        return {"valid": False, "id": report.id, "link": link, "problems": len(report.problems)}
    deal, review, case = report.deal, report.review, report.customers.case  # the customer's case: once sent, the version sent
    f, key, plain = Formatter(deal.currency, deal.locale, isolate=True), key_figures(report), plain_figures(report)
    return {
        "valid": True,
        "link": link,
        "customer": deal.customer,
        "title": deal.title,
        "stage": deal.stage,
        "se": deal.team.se,
        "ae": deal.team.ae,
        "acv": f.money(annual_contract_value(case)),
        "savings": f.money(case.annual_benefit),
        "npv": f.money(case.npv),
        "roi": f.pct(case.roi),
        "payback": f.months(case.payback_months),
        "revision": f.money(report.case.npv) if report.revised else None,  # the NPV of the revision, not sent
        "open_blocking": key["open_blocking_questions"],
        "errors": review.count("error"),
        "warnings": review.count("warning"),
        "sort": {
            "stage": ORDER[deal.stage],
            **{column: as_text(plain[figure]) for column, figure in SORTED.items()},  # none ("") sorts last
            "findings": review.count("error") * FINDINGS_BASE + review.count("warning"),
        },
    }


def pipeline(reports: list[Report], reporting: Reporting | None = None) -> dict[str, Any]:
    """The open pipeline per currency, and per stage and currency: deals, annual contract value and NPV; with a reporting
    currency, their total in it over the currencies that have a rate, and the deals of those that have none."""
    open_deals = [r for r in reports if isinstance(r, Analysed) and r.deal.is_open]
    by_currency: dict[str, list[Analysed]] = {}
    by_stage: dict[tuple[str, str], list[Analysed]] = {}
    for r in open_deals:
        by_currency.setdefault(r.deal.currency, []).append(r)
        by_stage.setdefault((r.deal.stage, r.deal.currency), []).append(r)

    def figures(group: list[Analysed]) -> dict[str, Any]:
        money = Formatter(group[0].deal.currency, group[0].deal.locale, isolate=True).money
        cases = [r.customers.case for r in group]  # the customer's: once sent, the version sent
        return {
            "count": len(group),
            "acv": money(sum((annual_contract_value(c) for c in cases), Decimal(0))),
            "npv": money(sum((c.npv for c in cases), Decimal(0))),
        }

    stages = sorted(by_stage.items(), key=lambda item: (ORDER[item[0][0]], item[0][1]))
    return {
        "currencies": [{"currency": currency, **figures(group)} for currency, group in sorted(by_currency.items())],
        "stages": [{"stage": stage, "currency": currency, **figures(group)} for (stage, currency), group in stages],
        "total": total(open_deals, reporting) if reporting and open_deals else None,
    }


def total(deals: list[Analysed], reporting: Reporting) -> dict[str, Any]:
    """The open deals' annual contract value and NPV in the reporting currency, and the currencies left out (no rate)."""
    converted = [r for r in deals if reporting.rate(r.deal.currency) is not None]
    locale = next((r.deal.locale for r in deals if r.deal.currency == reporting.currency), "en_US")  # as its deals say it
    money = Formatter(reporting.currency, locale, isolate=True).money

    def summed(figure: Any) -> Decimal:
        return sum((reporting.converted(figure(r.customers.case), r.deal.currency) or Decimal(0) for r in converted), Decimal(0))

    left_out = Counter(r.deal.currency for r in deals if reporting.rate(r.deal.currency) is None)
    return {
        "currency": reporting.currency,
        "count": len(converted),
        "acv": money(summed(annual_contract_value)),
        "npv": money(summed(lambda case: case.npv)),
        "rates_date": reporting.rates_date,
        "left_out": sorted(left_out.items()),
    }


def stage_bars(reports: list[Report]) -> list[dict[str, Any]]:
    """The pipeline chart: open deals per stage (a count compares across currencies), nearest to signature first."""
    counts = {stage: 0 for stage in OPEN_STAGES}
    for r in reports:
        if isinstance(r, Analysed) and r.deal.is_open:
            counts[r.deal.stage] += 1
    most = max(counts.values(), default=0) or 1
    ordered = sorted(counts.items(), key=lambda item: ORDER[item[0]])
    return [{"stage": stage, "count": n, "width": round(BAR * n / most), "y": 8 + 26 * i} for i, (stage, n) in enumerate(ordered)]


def won(report: Analysed, link: str) -> dict[str, Any]:
    """A won deal's value realized: against the promise, or why there is none to compare with."""
    deal, progress, f = report.deal, report.progress, Formatter(report.deal.currency, report.deal.locale, isolate=True)
    renewal = deal.realization.renewal if deal.realization else None
    found = {"link": link, "customer": deal.customer, "title": deal.title, "renewal": f.day(renewal) if renewal else "—"}
    if progress is None:
        return {**found, "realized": "—", "ratio": "promise not found", "next_review": "—"}
    due = f"{progress.next_period}, {f.day(progress.next_review)}" if progress.next_period and progress.next_review else "—"
    return {**found, "realized": f.money(progress.realized_to_date), "ratio": f.pct(progress.ratio), "next_review": due}
