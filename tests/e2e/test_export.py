"""`dealbrief export`: the CRM file, run as a user runs it, against a golden CSV; and the same file in the site."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from dealbrief.output.crm import COLUMNS

from ..conftest import CLEAN, DEALBRIEF, GIT_AUTHOR, ROOT, build_site, compare_golden, mutate, write_deal

GOLDEN = ROOT / "tests" / "golden" / "deals.csv"
SECRETS = ["SECRET-COMPETITOR", "SECRET-NOTE", "SECRET-COMMERCIAL-NOTE", "SECRET-QUESTION", "SECRET-ANSWER", "Dana Reyes"]


def committed_repo(folder: Path) -> Path:
    """The example deals and the hostile one, committed on a fixed date (so the golden's commit ids stay put)."""
    shutil.copytree(ROOT / "deals", folder / "deals")
    shutil.copy(ROOT / "tests" / "examples" / "hostile" / "deals" / "hostile-text.yaml", folder / "deals")
    shutil.copytree(ROOT / "web", folder / "web")
    (folder / "mkdocs.yml").write_text((ROOT / "mkdocs.yml").read_text() + "site_url: https://deals.example.com/\n")
    env = {**os.environ, **GIT_AUTHOR}
    for command in (["git", "init", "-q", "-b", "main"], ["git", "add", "deals"], ["git", "commit", "-qm", "deals"]):
        subprocess.run(command, cwd=folder, check=True, env=env)
    return folder


def export(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([DEALBRIEF, "export", *args], cwd=repo, capture_output=True, text=True, timeout=120)


def test_the_csv_matches_the_golden_file_and_holds_nothing_internal(tmp_path: Path, update_goldens: bool) -> None:
    repo = committed_repo(tmp_path)
    done = export(repo, "--out", "deals.csv")
    assert (done.returncode, done.stdout) == (0, "wrote 5 deals to deals.csv\n")
    text = (repo / "deals.csv").read_bytes().decode("utf-8")
    assert text.count("\r\n") == 6 == text.count("\n")  # RFC 4180 line ends: a header and five deals
    compare_golden(GOLDEN, text.replace("\r\n", "\n"), update_goldens)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(COLUMNS)
    northwind = next(r for r in rows if r["deal_id"] == "northwind-incident-analytics")
    assert (northwind["annual_contract_value"], northwind["total_contract_value"], northwind["npv"], northwind["roi"]) == (
        "450000.00",  # 400 agents × $1,125
        "1350000.00",
        "884814.73",
        "0.6479",
    )
    assert northwind["summary_url"] == "https://deals.example.com/deals/northwind-incident-analytics/"
    assert northwind["open_blocking_questions"] == "3" and len(northwind["last_commit"]) == 40
    assert northwind["last_commit_date"] == "2026-09-21"
    assert not [secret for secret in SECRETS if secret in text]


def test_json_has_the_same_rows(tmp_path: Path) -> None:
    repo = committed_repo(tmp_path)
    data = json.loads(export(repo, "--format", "json").stdout, parse_float=Decimal)
    assert [list(row) for row in data] == [list(COLUMNS)] * len(data)
    cells = {row["deal_id"]: row for row in csv.DictReader(io.StringIO(export(repo).stdout))}
    assert {row["deal_id"] for row in data} == set(cells)
    for row in data:  # the same figures, as exact JSON numbers (null where the CSV cell is empty)
        assert {key: "" if value is None else str(value) for key, value in row.items()} == cells[row["deal_id"]]
    northwind = next(row for row in data if row["deal_id"] == "northwind-incident-analytics")
    assert (northwind["npv"], northwind["roi"], northwind["open_blocking_questions"]) == (Decimal("884814.73"), Decimal("0.6479"), 3)


def test_a_customer_name_is_never_a_spreadsheet_formula(tmp_path: Path) -> None:
    (tmp_path / "deals").mkdir()
    write_deal(tmp_path / "deals", mutate(CLEAN, {"customer": '=HYPERLINK("http://evil.example","x")'}), "formula")
    [row] = csv.DictReader(io.StringIO(export(tmp_path).stdout))
    assert row["customer"] == '\'=HYPERLINK("http://evil.example","x")' and row["summary_url"] == "" and row["last_commit"] == ""


@pytest.mark.parametrize("separator", [";", "\t"])
def test_no_cell_is_a_formula_in_a_spreadsheet_that_splits_on_another_separator(tmp_path: Path, separator: str) -> None:
    """Excel in de_DE or fr_FR splits a .csv on ';' (and an import may split on tabs), ignoring our commas and quotes."""
    (tmp_path / "deals").mkdir()
    write_deal(tmp_path / "deals", mutate(CLEAN, {"customer": f'Acme{separator}=1+2{separator}x\n@SUM(A1){separator}"=3+4"'}), "formula")
    assert export(tmp_path, "--out", "deals.csv").returncode == 0
    text = (tmp_path / "deals.csv").read_text(encoding="utf-8")
    cells = [cell.lstrip('"') for line in text.splitlines() for cell in line.split(separator)]  # quotes mean nothing there
    assert len(cells) > 2 and not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
    inert = f"Acme{separator}'=1+2{separator}x\n'@SUM(A1){separator}'\"=3+4\""
    assert [row["customer"] for row in csv.DictReader(io.StringIO(text))] == [inert]


def test_an_invalid_deal_is_reported_and_left_out(tmp_path: Path) -> None:
    (tmp_path / "deals").mkdir()
    write_deal(tmp_path / "deals", CLEAN, "good")
    (tmp_path / "deals" / "bad.yaml").write_text("dealbrief: 1\n")
    done = export(tmp_path)
    assert done.returncode == 2 and "deals/bad.yaml" in done.stderr
    assert [r["deal_id"] for r in csv.DictReader(io.StringIO(done.stdout))] == ["good"]


def test_the_site_offers_the_same_file(tmp_path: Path) -> None:
    repo = committed_repo(tmp_path)
    site = build_site(repo)
    assert (site / "deals.csv").read_bytes().decode("utf-8") == export(repo).stdout.replace("\n", "\r\n")
    assert 'href="deals.csv"' in (site / "index.html").read_text()


def test_out_must_name_a_file_in_a_folder_that_exists(tmp_path: Path) -> None:
    (tmp_path / "deals").mkdir()
    write_deal(tmp_path / "deals", CLEAN, "good")
    (tmp_path / "exports").mkdir()
    folder = export(tmp_path, "--out", "exports")
    assert (folder.returncode, folder.stdout) == (2, "")
    assert folder.stderr == "dealbrief: --out exports is a folder: name the file to write, e.g. exports/deals.csv\n"
    missing = export(tmp_path, "--out", "nowhere/deals.csv")
    assert (missing.returncode, missing.stdout) == (2, "")
    assert missing.stderr.startswith("dealbrief: --out nowhere/deals.csv: there is no folder nowhere;") and missing.stderr.count("\n") == 1
    assert not (tmp_path / "nowhere").exists() and list((tmp_path / "exports").iterdir()) == []


def test_the_excel_csv_from_the_command_line_starts_with_a_byte_order_mark_and_converts_with_the_teams_rates(tmp_path: Path) -> None:
    repo = committed_repo(tmp_path)
    (repo / "dealbrief.toml").write_text('[reporting]\ncurrency = "USD"\nrates = {EUR = 1.08}\nrates_date = 2026-12-01\n')
    done = export(repo, "--out", "deals.csv", "--excel")
    assert done.returncode == 0, done.stderr
    data = (repo / "deals.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfdeal_id,stage,customer,currency,")  # the mark, then the comma-separated header
    rows = {row["deal_id"]: row for row in csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))}
    alder, fjord = rows["alder-health-claims-automation"], rows["fjord-freight-route-planning"]
    converted = Decimal(alder["annual_contract_value"]) * Decimal("1.08")  # from the cents: within a cent of the exact
    assert abs(Decimal(alder["annual_contract_value_reporting"]) - converted) <= Decimal("0.01")
    assert fjord["currency"] == "GBP" and fjord["npv_reporting"] == ""  # no rate for pounds: empty, never a guess
    assert alder["sent_date"] and alder["signed_date"] and len(alder["sent_file_hash"]) == 12  # a won deal's dates, the version sent
    refused = export(repo, "--format", "json", "--excel")
    assert refused.returncode == 2 and "--excel is for the CSV export" in refused.stderr
