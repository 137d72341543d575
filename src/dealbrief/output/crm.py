"""``dealbrief export``: one row per valid deal for a CRM import (Salesforce Data Loader, ``sf data upsert bulk
--external-id``, HubSpot), keyed by the deal id.

Plain values for machines: decimal numbers without locale formatting (money to the cent, ratios to four places),
ISO dates, UTF-8 with a header row, a fixed column order.  Only what a sales leader's CRM should hold: the figures and
stage a summary already shows, the count of open blocking questions — never the commercial notes, the handoff answers,
the questions' or findings' texts, the scale scenarios or the deal team's internal names.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import yaml

from ..engine.history import last_changes
from ..engine.pipeline import Report
from ..fmt import exact

FORMULA_START = re.compile(r"(?:^|(?<=[;\t\r\n]))(?=\"*[=+\-@\t\r])")  # where a spreadsheet cell would start a formula

COLUMNS = (
    "deal_id",
    "stage",
    "customer",
    "currency",
    "annual_contract_value",
    "total_contract_value",
    "total_cost",
    "annual_benefit",
    "npv",
    "roi",
    "payback_months",
    "open_blocking_questions",
    "summary_url",
    "file_hash",
    "last_commit",
    "last_commit_date",
)


@exact
def _decimal(value: Decimal | None, places: str) -> str:
    return "" if value is None else str(value.quantize(Decimal(places), rounding=ROUND_HALF_UP))


def rows(reports: Iterable[Report], site_url: str | None, commits: dict[str, tuple[str, str]]) -> list[dict[str, str]]:
    """A row per valid deal, in the order of ``COLUMNS``; ``commits`` maps a deal file to its last commit and its date."""
    found = []
    for report in reports:
        deal, case, review = report.deal, report.case, report.review
        if not (deal and case and review and report.digest):
            continue
        commit, day = commits.get(report.file, ("", ""))
        found.append(
            {
                "deal_id": report.id,
                "stage": deal.stage,
                "customer": deal.customer,
                "currency": deal.currency,
                "annual_contract_value": _decimal(case.contract_value / case.years, "0.01"),
                "total_contract_value": _decimal(case.contract_value, "0.01"),
                "total_cost": _decimal(case.total_costs, "0.01"),
                "annual_benefit": _decimal(case.annual_benefit, "0.01"),
                "npv": _decimal(case.npv, "0.01"),
                "roi": _decimal(case.roi, "0.0001"),
                "payback_months": _decimal(case.payback_months, "0.01"),
                "open_blocking_questions": str(len(review.open_blocking)),
                "summary_url": f"{site_url.rstrip('/')}/deals/{report.id}/" if site_url else "",
                "file_hash": report.digest[:12],
                "last_commit": commit,
                "last_commit_date": day,
            }
        )
    return found


def as_csv(found: list[dict[str, str]]) -> str:
    """RFC 4180 CSV with a header row; a text cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in found:
        writer.writerow({key: _inert(value) if key in ("customer",) else value for key, value in row.items()})
    return out.getvalue()


def as_json(found: list[dict[str, str]]) -> str:
    return json.dumps(found, ensure_ascii=False, indent=2) + "\n"


def _inert(text: str) -> str:
    """A customer name a spreadsheet could run as a formula, made text: a ``'`` before each = + - @ (or tab or carriage
    return, or quotes before one) that would start a cell — at the start, or after a ``;``, a tab or a line break, where a spreadsheet that
    splits on another separator than the comma (Excel in de_DE or fr_FR; a tab-separated import) would start one."""
    return FORMULA_START.sub("'", text)


def last_commits(files: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Each deal file's last commit and its date (ISO), from one ``git log`` per folder; nothing outside git."""
    found: dict[str, tuple[str, str]] = {}
    by_folder: dict[Path, list[str]] = {}
    for file in files:
        by_folder.setdefault(Path(file).resolve().parent, []).append(file)
    for folder, names in by_folder.items():
        latest = {name: tuple(stamp.partition(" ")[::2]) for name, stamp in last_changes(folder, "%H %cs").items()}
        for name in names:
            found[name] = latest.get(Path(name).name, ("", ""))
    return found


def site_url(mkdocs_yml: Path) -> str | None:
    """``site_url`` from ``mkdocs.yml`` (its Python tags, which only MkDocs can read, are skipped)."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        config: Any = yaml.load(mkdocs_yml.read_text(encoding="utf-8"), Loader=Loader)
    except (OSError, yaml.YAMLError):
        return None
    value = config.get("site_url") if isinstance(config, dict) else None
    return value if isinstance(value, str) and value.startswith(("https://", "http://")) else None
