"""A team's reporting currency: the dashboard's pipeline total and the CRM export's converted twins, by hand — two
currencies with a rate, one without (named, never silently left out)."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from dealbrief.engine.config import load_config
from dealbrief.engine.reporting import Reporting
from dealbrief.errors import DealbriefError
from dealbrief.fmt import money
from dealbrief.output import crm, dashboard
from dealbrief.output.render import Renderer

from ..conftest import CLEAN, mutate, write_deal

USD = Reporting("USD", {"EUR": D("1.08")}, date(2026, 12, 1))


@pytest.fixture
def three(tmp_path: Path) -> list:
    """The clean deal (USD 200,000 a year), the same in euros, and in pounds (no rate); a customer named as typed."""
    from dealbrief.engine.config import Config
    from dealbrief.engine.pipeline import analyse

    folder = tmp_path / "deals"
    folder.mkdir()
    deals = {
        "acme": {},
        "mueller": {"currency": "EUR", "locale": "de_DE", "customer": "Müller Logistik GmbH"},
        "sakura": {"currency": "GBP", "locale": "en_GB", "customer": "株式会社さくら銀行"},
    }
    return [analyse(write_deal(folder, mutate(CLEAN, changes), deal_id), Config()) for deal_id, changes in deals.items()]


def test_the_pipeline_total_in_the_reporting_currency_worked_by_hand(three: list) -> None:
    """Annual contract value: $200,000 + €200,000 × 1.08 = $416,000; NPV: the clean deal's NPV × (1 + 1.08), as both
    deals have the same figures in their own currency; the pounds have no rate: left out, and said."""
    npv = three[0].case.npv
    assert three[1].case.npv == npv  # the same deal in euros
    total = dashboard.pipeline(three, USD)["total"]
    assert total["currency"] == "USD" and total["count"] == 2
    assert total["acv"] == "$416,000" and total["npv"] == money(npv * D("2.08"), "USD", "en_US")
    assert total["left_out"] == [("GBP", 1)] and total["rates_date"] == date(2026, 12, 1)
    page = Renderer().dashboard(three, lambda r: f"deals/{r.id}/", USD)
    shown = money(npv * D("2.08"), "USD", "en_US").replace("$", "\\$").replace(",", "\\,")  # Markdown-escaped
    assert f"| **All, in USD** | **2** | **\\$416\\,000** | **{shown}** |" in page
    said = "Converted into USD at the rates in `dealbrief.toml` of 2026-12-01; not converted, for want of a rate: GBP (1 deal)."
    assert said in page.replace("\\", "")  # as read, once Markdown's escapes are gone
    assert dashboard.pipeline(three)["total"] is None and "All, in" not in Renderer().dashboard(three, lambda r: "x")


def test_the_crm_export_gives_each_amount_converted_beside_the_deals_own(three: list) -> None:
    rows = {row["deal_id"]: row for row in crm.rows(three, None, {}, USD)}
    assert rows["mueller"]["currency"] == "EUR" and rows["mueller"]["annual_contract_value"] == D("200000.00")
    assert rows["mueller"]["annual_contract_value_reporting"] == D("216000.00")  # 200,000 × 1.08
    assert rows["acme"]["annual_contract_value_reporting"] == D("200000.00") and rows["acme"]["reporting_currency"] == "USD"
    assert rows["sakura"]["annual_contract_value_reporting"] is None  # no rate: empty, never a wrong figure
    assert {row["reporting_rates_date"] for row in rows.values()} == {"2026-12-01"}
    assert rows["acme"]["technical_win_date"] == "2026-08-15" and rows["acme"]["sent_date"] is None and rows["acme"]["stale_questions"] == 0


def test_the_excel_csv_has_a_byte_order_mark_and_reads_back_as_salesforce_and_hubspot_load_it(three: list) -> None:
    """Data Loader and HubSpot: UTF-8, a header row of the fields, one row per record, a unique external id."""
    data = crm.as_csv(crm.rows(three, "https://deals.acme.com/", {}, USD), excel=True).encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data and b";" not in data.split(b"\r\n")[0]
    table = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert list(table[0]) == list(crm.COLUMNS) and len(table) == 3
    assert len({row["deal_id"] for row in table}) == 3  # the external id upserts key on
    assert [row["customer"] for row in table] == ["Acme Freight", "Müller Logistik GmbH", "株式会社さくら銀行"]
    assert table[1]["npv_reporting"] == format(round(three[1].case.npv * D("1.08"), 2), "f")
    assert not crm.as_csv([]).startswith(crm.BOM)  # the plain CSV has none: tools read it as is


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            'currency = "USD"\nrates = {YEN = 0.0067}\nrates_date = 2026-12-01',
            "reporting: 'YEN' is not the ISO 4217 code of a currency in use; did you mean JPY?",
        ),
        ('currency = "USD"\nrates = {EUR = 1.08}', "reporting.rates_date: say the day the rates are from"),
        ('currency = "USD"\nrates = {EUR = 0}\nrates_date = 2026-12-01', "reporting.rates.EUR: expected one EUR in USD, a number above 0"),
        ("rates = {EUR = 1.08}\nrates_date = 2026-12-01", "reporting.currency: name the currency the rates convert into"),
    ],
)
def test_a_reporting_setting_that_cannot_convert_is_a_clear_error(tmp_path: Path, toml: str, message: str) -> None:
    (tmp_path / "dealbrief.toml").write_text(f"[reporting]\n{toml}\n")
    with pytest.raises(DealbriefError, match=message.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")):
        load_config(tmp_path)
