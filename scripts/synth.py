"""Realistic, varied synthetic deals from a seed, for the benchmarks.

Every stage, several currencies and locales, every driver form (result × volume × rate,
a yearly amount, one amount per year), both billing modes, escalators, and a share of
deals with findings (missing basis, jargon, scale gaps, open questions, overlong ramps of
doubt) — the mix a sales organisation accumulates over the years.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

CREDITS = {"unit": "credits", "rate": 0.8, "list_rate": 1.0, "overage_rate": 1.0}  # a committed spend's terms
STAGES = ["discovery", "poc", "technical-win", "handoff", "summary-sent", "closed-won", "closed-lost"]
MARKETS = [
    ("USD", "en_US"),
    ("EUR", "de_DE"),
    ("GBP", "en_GB"),
    ("EUR", "fr_FR"),
    ("CHF", "de_CH"),
    ("JPY", "ja_JP"),
    ("CAD", "en_CA"),
    ("AUD", "en_AU"),
]
COMPANIES = [
    "Northwind",
    "Contoso",
    "Fabrikam",
    "Tailspin",
    "Wingtip",
    "Litware",
    "Adatum",
    "Proseware",
    "Alder",
    "Fjord",
    "Granite",
    "Harbor",
    "Juniper",
    "Keystone",
    "Lumen",
    "Meridian",
    "Nimbus",
    "Orchard",
    "Pinnacle",
    "Quarry",
]
SECTORS = ["Logistics", "Health", "Insurance", "Retail", "Energy", "Bank", "Foods", "Telecom", "Airlines", "Pharma"]
PRODUCTS = [
    ("Incident analytics platform", "Time to root cause per severity-1 incident", "hours", 14, 0.5, "incidents"),
    ("Claims triage automation", "Handling time per claim", "minutes", 9.5, 3.2, "claims"),
    ("Route planning and optimisation", "Planning time per route", "minutes", 40, 6, "routes"),
    ("Invoice matching", "Manual touches per invoice", "touches", 3, 0.4, "invoices"),
    ("Fraud detection", "Fraud losses per 10,000 transactions", "units", 12, 4, "batches"),
]


def deal(rng: random.Random, index: int) -> dict[str, Any]:
    """One plausible deal; about a quarter carry findings a real repository would have."""
    currency, locale = rng.choice(MARKETS)
    product, metric, unit, before, after, volume_unit = rng.choice(PRODUCTS)
    stage = rng.choice(STAGES)
    start = date(2024, 1, 1) + timedelta(days=rng.randrange(900))
    years = rng.choice([3, 3, 3, 5])
    flawed = rng.random() < 0.25
    after = round(after * rng.uniform(0.6, 1.3), 2)
    results = [
        {
            "id": "result-1",
            "metric": metric,
            "unit": unit,
            "before": before,
            "after": after,
            "target": round(after * 1.3, 2),
            "evidence": f"POC log, week {rng.randrange(2, 9)}",
        }
    ]
    value: list[dict[str, Any]] = [
        {
            "id": "proved-gain",
            "name": f"Less time spent on {volume_unit}",
            "result": "result-1",
            "volume": rng.randrange(500, 400_000),
            "volume_unit": volume_unit,
            "rate": round(rng.uniform(0.5, 120), 2),
            "basis": "Customer finance estimate",
            "realization": round(rng.uniform(0.5, 0.9), 2),
            "ramp": [0.5] + [1] * (years - 1),
        }
    ]
    form = index % 3
    if form == 1:
        value.append(
            {
                "id": "retire-tool",
                "name": "Retire the legacy tool",
                "annual": rng.randrange(20_000, 300_000, 1000),
                "basis": "Current renewal quote",
            }
        )
    elif form == 2:
        value.append(
            {
                "id": "outsourcing",
                "name": "End outsourced overflow work",
                "kind": "avoidance",
                "annual": [rng.randrange(10_000, 200_000, 1000) for _ in range(years)],
                "basis": "Outsourcing contract",
            }
        )
    price = rng.randrange(50_000, 900_000, 1000)
    planned = rng.choice([100, 400, 1000])
    data: dict[str, Any] = {
        "dealbrief": 1,
        "customer": f"{rng.choice(COMPANIES)} {rng.choice(SECTORS)} {index}",
        "title": product,
        "stage": stage,
        "currency": currency,
        "locale": locale,
        "team": {"se": "Dana Reyes", "ae": "Sam Patel"},
        "stakeholders": {
            "champion": {"name": "Lee Chen", "title": "VP Operations"},
            "validator": {"name": "Priya Nair", "title": "Lead engineer"},
            "economic_buyer": {"name": "Morgan Blake", "title": "CFO", "engaged": not flawed},
        },
        "baseline": {
            "period": "FY 2025",
            "source": "Customer system export",
            "problem": "Work is checked by hand before anyone can act on it" + (", and API latency hurts." if flawed else "."),
        },
        "poc": {
            "start": start,
            "end": start + timedelta(days=14),
            "scope": "A subset of production data",
            "scale": {"tested": rng.choice([10, 40, 100]), "planned": planned, "unit": "seats"},
        },
        "value": value if stage not in ("discovery",) else value[1:] or value,
        "costs": {
            # every other deal priced per seat, every fourth by consumption: the scale and usage scenarios are built and shown
            **(
                {"subscription": price, "list_price": round(price * rng.uniform(1.0, 1.4))}
                if index % 4 == 0
                else {"commit": {**CREDITS, "amount": price, "usage": [int(price * growth) for growth in (1, 1.25, 1.5, 1.5, 1.5)[:years]]}}
                if index % 4 == 2
                else {
                    "units": {"unit": "seats", "price": price // planned, "list_price": round(price // planned * 1.2), "quantity": planned}
                }
            ),
            "billing": rng.choice(["in-advance", "in-arrears"]),
            "one_time": [{"name": "Implementation services", "amount": rng.randrange(10_000, 150_000, 1000)}],
            "recurring": [{"name": "Administration", "amount": rng.randrange(5_000, 60_000, 1000)}],
        },
        "finance": {"horizon_years": years, "discount_rate": 0.1, "go_live": start + timedelta(days=60)},
        "recommendation": "We recommend proceeding with the rollout.",
        "commercial": {"commitment": {"units": 400, "status": rng.choice(["verbal", "written", "signed"])}, "discount_floor": 0.15},
        "handoff": {
            "meeting": start + timedelta(days=16),
            "answers": {}
            if flawed
            else {
                "scale-commitment": "Signed order form",
                "economic-buyer": "CFO review held",
                "price-defense": "Approved by the deal desk",
                "case-closes": "Scope reduced",
                "competitor-displaced": "Contract ends",
                "usage-plan": "The customer's platform lead owns it",
            },
        },
    }
    if stage == "discovery":
        data["value"] = [v for v in value if "annual" in v] or [
            {"id": "estimate", "name": "Estimated saving", "annual": rng.randrange(50_000, 500_000, 1000)}
        ]
        data["poc"] = {"start": start, "scope": "To be agreed"}
    else:
        data["poc"]["results"] = results
        data["poc"]["technical_win"] = {"date": start + timedelta(days=15), "confirmed_by": "Priya Nair"}
    if rng.random() < 0.5:
        data["costs"]["escalator"] = 0.03
    if flawed:
        data["value"][0].pop("basis", None)
    return data


def generate(folder: Path, count: int, seed: int = 7) -> list[Path]:
    """Write ``count`` deals into ``folder`` and return their paths."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / f"deal-{index:05d}.yaml"
        text = yaml.safe_dump(deal(rng, index), sort_keys=False, allow_unicode=True)
        path.write_text("# yaml-language-server: $schema=../schema/deal.schema.json\n" + text, encoding="utf-8")
        paths.append(path)
    return paths
