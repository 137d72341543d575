"""Every file dealbrief writes, named in one place: a deal's PDFs, its pages and charts in the site, the site's assets.

A leaf module: the format (which ids a deal may have), the pages, the PDFs and the adapters all name files through it,
so no two of them can disagree about a name.
"""

from __future__ import annotations

# A deal's PDFs are named by its id and these suffixes; no id may end in one (see deal.validate.bad_deal_id), or deal
# `alpha-handoff`'s Executive Summary would be named like deal `alpha`'s internal handoff checklist.
DOCUMENT_SUFFIXES = {"summary": "", "handoff": "-handoff", "value": "-value", "revision": "-revision"}

PDF_FOLDER = "pdf/"  # in the site
CHART = "cashflow.svg"  # a deal's cash-flow chart, beside its pages (and beside the document a PDF is made from)
VALUE_CHART = "value.svg"  # a won deal's value realized against promised
CSS = "assets/dealbrief.css"
SCRIPT = "assets/dealbrief.js"  # the dashboard's sorting and filters
CRM_FILE = "deals.csv"  # every valid deal's figures for a CRM import (dealbrief.output.crm), offered on the dashboard


def pdf_name(deal_id: str, kind: str) -> str:
    """The file name of a deal's PDF of ``kind``: summary, handoff, value (the Value Report) or revision."""
    return f"{deal_id}{DOCUMENT_SUFFIXES[kind]}.pdf"


def pdf_names(deal_id: str, value: bool = False, revision: bool = False) -> tuple[str, ...]:
    """The file names of a deal's Executive Summary and Handoff checklist PDFs, its Value Report's (``value``), and its
    revision's (``revision``: the summary edited since it was sent, not sent)."""
    kinds = ("summary", "handoff", *(["value"] if value else []), *(["revision"] if revision else []))
    return tuple(pdf_name(deal_id, kind) for kind in kinds)


def deal_folder(deal_id: str) -> str:
    """A deal's pages in the site."""
    return f"deals/{deal_id}/"
