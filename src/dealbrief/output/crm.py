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
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from ..engine.figures import as_text, key_figures, plain, plain_figures, revision_figures
from ..engine.history import last_changes
from ..engine.pipeline import Analysed, Report
from ..engine.reporting import Reporting
from ..text import printable_json

FORMULA_START = re.compile(r"(?:^|(?<=[;\t\r\n]))(?=\"*[=+\-@\t\r])")  # where a spreadsheet cell would start a formula

# A deal edited since the version sent: its columns above are the version sent's (what the customer has), these the revision's.
REVISED = {"annual_contract_value": "annual_contract_value", "total_contract_value": "contract_value", "npv": "npv", "roi": "roi"}
REVISION_COLUMNS = ("revision_sent", *(f"revision_{column}" for column in REVISED))

# Amounts also given in a team's reporting currency (with ``[reporting]`` in dealbrief.toml): each column, and its key figure.
CONVERTED = {
    "annual_contract_value": "annual_contract_value",
    "total_contract_value": "contract_value",
    "expected_spend": "expected_spend",
    "total_cost": "total_costs",
    "annual_benefit": "annual_benefit",
    "npv": "npv",
    "unused_commitment": "unused_commitment",
    "promised_to_date": "promised_to_date",
    "realized_to_date": "realized_to_date",
}

COLUMNS = (
    "deal_id",
    "stage",
    "customer",
    "currency",
    "annual_contract_value",
    "total_contract_value",
    "expected_spend",
    "unused_commitment",
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
    *REVISION_COLUMNS,
    "technical_win_date",
    "sent_date",
    "sent_file_hash",
    "signed_date",
    "stale_questions",
    "promised_to_date",
    "realized_to_date",
    "realized_share",
    "reporting_currency",
    "reporting_rates_date",
    *(f"{column}_reporting" for column in CONVERTED),
)


def rows(
    reports: Iterable[Report], site_url: str | None, commits: dict[str, tuple[str, str]], reporting: Reporting | None = None
) -> list[dict[str, Any]]:
    """A row per valid deal, in the order of ``COLUMNS`` (figures as :mod:`dealbrief.engine.figures` has them: ``Decimal``,
    a count, or None); ``commits`` maps a deal file to its last commit and its date; with a ``reporting`` currency, each
    amount's converted twin (empty for a currency without a rate)."""
    found = []
    for report in reports:
        if not isinstance(report, Analysed):
            continue
        deal = report.deal
        commit, day = commits.get(report.file, ("", ""))
        exact, key, revision = key_figures(report), plain_figures(report), revision_figures(report) or {}
        sent = deal.sent.date.isoformat() if revision and deal.sent else ""
        found.append(
            {
                "deal_id": report.id,
                "stage": deal.stage,
                "customer": deal.customer,
                "currency": deal.currency,
                "annual_contract_value": key["annual_contract_value"],
                "total_contract_value": key["contract_value"],
                "expected_spend": key["expected_spend"],
                "unused_commitment": key["unused_commitment"],
                "total_cost": key["total_costs"],
                "annual_benefit": key["annual_benefit"],
                "npv": key["npv"],
                "roi": key["roi"],
                "payback_months": key["payback_months"],
                "open_blocking_questions": key["open_blocking_questions"],
                "summary_url": f"{site_url.rstrip('/')}/deals/{report.id}/" if site_url else None,
                "file_hash": report.customers.digest[:12],  # the summary's footer: once sent, the version sent's
                "last_commit": commit or None,
                "last_commit_date": day or None,
                "revision_sent": sent or None,
                **{f"revision_{column}": revision.get(figure) for column, figure in REVISED.items()},
                "technical_win_date": deal.poc.technical_win.date.isoformat() if deal.poc.technical_win else None,
                "sent_date": deal.sent.date.isoformat() if deal.sent else None,
                "sent_file_hash": deal.sent.file_hash[:12] if deal.sent else None,  # as the summary's footer shows it
                "signed_date": deal.signed.isoformat() if deal.signed else None,
                "stale_questions": sum(1 for q in report.review.questions if q.stale),
                "promised_to_date": key["promised_to_date"],
                "realized_to_date": key["realized_to_date"],
                "realized_share": key["realized_share"],
                **_reporting(exact, deal.currency, reporting),
            }
        )
    return found


def _reporting(exact: dict[str, Any], currency: str, reporting: Reporting | None) -> dict[str, Any]:
    """The reporting currency's columns: its code, the rates' day, and each amount converted (unrounded, then rounded
    once, as money)."""
    if reporting is None:
        return {"reporting_currency": None, "reporting_rates_date": None, **{f"{column}_reporting": None for column in CONVERTED}}
    return {
        "reporting_currency": reporting.currency,
        "reporting_rates_date": reporting.rates_date.isoformat() if reporting.rates_date else None,
        **{f"{column}_reporting": plain(reporting.converted(exact[figure], currency), "money") for column, figure in CONVERTED.items()},
    }


BOM = "\ufeff"  # how Excel knows a CSV is UTF-8 (without it, Excel on a Japanese or German Windows reads the local code page)


def as_csv(found: list[dict[str, Any]], excel: bool = False) -> str:
    """RFC 4180 CSV with a header row; a text cell that a spreadsheet would run as a formula gets a leading apostrophe.
    For ``excel``, a byte-order mark first, so Excel reads 株式会社 and Müller as written."""
    out = io.StringIO()
    out.write(BOM if excel else "")
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in found:
        writer.writerow({key: _inert(value) if key == "customer" else as_text(value) for key, value in row.items()})
    return out.getvalue()


def as_json(found: list[dict[str, Any]]) -> str:
    """The rows as JSON, the figures as exact JSON numbers."""
    return printable_json(found) + "\n"


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
        latest = {name: (stamp.partition(" ")[0], stamp.partition(" ")[2]) for name, stamp in last_changes(folder, "%H %cs").items()}
        for name in names:
            found[name] = latest.get(Path(name).name, ("", ""))
    return found


PLACEHOLDER = "https://deals.example.invalid/"  # what `dealbrief init` writes until a team knows its site's address


def site_url(mkdocs_yml: Path) -> str | None:
    """The site's address: ``site_url`` from ``mkdocs.yml``; None without one, or while it is the placeholder."""
    url = written_site_url(mkdocs_yml)
    return None if url == PLACEHOLDER else url


def written_site_url(mkdocs_yml: Path) -> str | None:
    """``site_url`` as ``mkdocs.yml`` has it (its Python tags, which only MkDocs can read, are skipped)."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        config: Any = yaml.load(mkdocs_yml.read_text(encoding="utf-8"), Loader=Loader)
    except (OSError, yaml.YAMLError):
        return None
    value = config.get("site_url") if isinstance(config, dict) else None
    return value if isinstance(value, str) and value.startswith(("https://", "http://")) else None
