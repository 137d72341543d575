"""`dealbrief diff` in real temporary git repositories, run as a user runs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from ..conftest import DEALBRIEF, ROOT

NORTHWIND = "northwind-incident-analytics"


def sh(repo: Path, *args: str) -> str:
    return subprocess.run(args, cwd=repo, capture_output=True, text=True, check=True).stdout


def diff(repo: Path, *args: str, form: str = "markdown") -> str:
    done = subprocess.run(
        [DEALBRIEF, "diff", "--format", form, *args],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "100"},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    sh(tmp_path, "git", "init", "-q", "-b", "main")
    sh(tmp_path, "git", "config", "user.email", "se@example.com")
    sh(tmp_path, "git", "config", "user.name", "SE")
    shutil.copytree(ROOT / "deals", tmp_path / "deals")
    sh(tmp_path, "git", "add", "-A")
    sh(tmp_path, "git", "commit", "-qm", "deals")
    return tmp_path


def edit(repo: Path, deal: str, old: str, new: str) -> None:
    path = repo / "deals" / f"{deal}.yaml"
    text = path.read_text()
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new))


def test_no_change(repo: Path) -> None:
    out = diff(repo)
    assert out.startswith("## Business case changes against HEAD \\(no origin\\/main and no upstream branch") and "No deal changed." in out


def test_changed_volume_moves_the_figures(repo: Path) -> None:
    edit(repo, NORTHWIND, "volume_per_unit: 0.0725", "volume_per_unit: 0.0875")  # 29 → 35 a year at 400 agents
    out = diff(repo)
    assert f"### {NORTHWIND.replace('-', chr(92) + '-')} (changed)" in out
    assert "| Annual savings | \\$1\\,080\\,480 | \\$1\\,279\\,200 | \\+\\$198\\,720 |" in out
    assert "| NPV | \\$884\\,815 |" in out and "| Payback | 19\\.8 months |" in out
    assert "| Total cost |" not in out  # cost did not move: no row
    assert out.rstrip().endswith("Inputs changed:\n\n- value\\[0\\]\\.volume\\_per\\_unit: 0\\.0725 → 0\\.0875")


def test_new_deal(repo: Path) -> None:
    shutil.copy(ROOT / "tests" / "examples" / "hostile" / "deals" / "hostile-text.yaml", repo / "deals" / "hostile-text.yaml")
    out = diff(repo)
    assert "### hostile\\-text (added)" in out
    assert "| Total cost | — | \\$6\\,025 |  |" in out  # with its commitment's overage
    assert "<script>" not in out and "javascript:" not in out.replace("javascript\\:", "")


def test_removed_deal(repo: Path) -> None:
    (repo / "deals" / "fjord-freight-route-planning.yaml").unlink()
    out = diff(repo)
    assert "### fjord\\-freight\\-route\\-planning (removed)" in out
    assert "| NPV | £614\\,513 | — |  |" in out


def test_renamed_file(repo: Path) -> None:
    (repo / "deals" / "fjord-freight-route-planning.yaml").rename(repo / "deals" / "fjord-freight.yaml")
    out = diff(repo)
    assert "### fjord\\-freight\\-route\\-planning → fjord\\-freight (renamed)" in out
    assert "No computed figure moved." in out
    assert "(added)" not in out and "(removed)" not in out


def test_committed_changes_against_a_base_ref(repo: Path) -> None:
    sh(repo, "git", "checkout", "-qb", "feature")
    edit(repo, NORTHWIND, "price: 1125", "price: 950")
    sh(repo, "git", "commit", "-qam", "price")
    assert "No deal changed." in diff(repo)
    out = diff(repo, "--base", "main")
    assert out.startswith("## Business case changes against main\n")
    assert "| Findings | DB102\\, DB104 | DB102\\, DB104\\, DB107 | \\+DB107 |" in out  # 24 % off list: beyond the floor
    assert "- costs\\.units\\.price: \\$1\\,125 → \\$950" in out


def test_merge_base_with_origin_main_is_the_default(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    sh(tmp_path, "git", "clone", "-q", str(repo), str(clone))
    sh(clone, "git", "config", "user.email", "se@example.com")
    sh(clone, "git", "config", "user.name", "SE")
    edit(clone, NORTHWIND, "volume_per_unit: 0.0725", "volume_per_unit: 0.075")
    sh(clone, "git", "commit", "-qam", "volume")
    out = diff(clone)
    base = sh(clone, "git", "merge-base", "origin/main", "HEAD").strip()[:12]
    assert f"against origin\\/main \\(merge base {base}\\)" in out and "(changed)" in out


def test_without_origin_main_the_branchs_upstream_is_the_base(repo: Path, tmp_path: Path) -> None:
    """A remote not called origin: comparing with HEAD alone would hide the committed price change."""
    clone = tmp_path / "clone"
    sh(tmp_path, "git", "clone", "-q", "-o", "company", str(repo), str(clone))
    sh(clone, "git", "config", "user.email", "se@example.com")
    sh(clone, "git", "config", "user.name", "SE")
    edit(clone, NORTHWIND, "price: 1125", "price: 950")
    sh(clone, "git", "commit", "-qam", "price")
    out = diff(clone, form="text")
    base = sh(clone, "git", "merge-base", "company/main", "HEAD").strip()[:12]
    assert out.startswith(f"Business case changes against company/main (merge base {base})")
    assert "costs.units.price: $1,125 → $950" in out


def test_the_terminal_format_is_plain_text_and_json_is_for_tools(repo: Path) -> None:
    edit(repo, NORTHWIND, "volume_per_unit: 0.0725", "volume_per_unit: 0.0875")
    text = diff(repo, form="text")
    assert "\\" not in text and "|" not in text  # no Markdown escapes, no table pipes
    assert any(line.split() == ["Annual", "savings", "$1,080,480", "$1,279,200", "+$198,720"] for line in text.splitlines())
    assert "value[0].volume_per_unit: 0.0725 → 0.0875" in text
    data = json.loads(diff(repo, form="json"), parse_float=Decimal)  # exact numbers: money to the cent, as show --json has it
    assert data["base"]["commit"] == sh(repo, "git", "rev-parse", "HEAD").strip()
    [deal] = data["deals"]
    assert (deal["deal"], deal["change"]) == (NORTHWIND, "changed")
    savings = next(f for f in deal["figures"] if f["label"] == "Annual savings")
    assert (str(savings["before"]), str(savings["after"]), savings["shown"]) == (
        "1080480.00",
        "1279200.00",
        ["$1,080,480", "$1,279,200", "+$198,720"],
    )
    volume = {"key": "value[0].volume_per_unit", "before": Decimal("0.0725"), "after": Decimal("0.0875"), "shown": ["0.0725", "0.0875"]}
    assert deal["inputs"] == [volume]


def test_invalid_versions_are_reported_not_crashed(repo: Path) -> None:
    edit(repo, NORTHWIND, "stage: technical-win", "stage: won")
    out = diff(repo)
    assert (
        "- Invalid after the change\\: 1 problem\\(s\\)\\, first\\: deals\\/northwind\\-incident\\-analytics\\.yaml\\:6\\:1\\: stage" in out
    )


def test_outside_git_is_a_clear_error(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "deals", tmp_path / "deals")
    done = subprocess.run([DEALBRIEF, "diff"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stderr.startswith("dealbrief: git rev-parse --show-toplevel: fatal: not a git repository")


def test_a_currency_change_never_subtracts_amounts_in_two_currencies(repo: Path) -> None:
    edit(repo, NORTHWIND, "currency: USD", "currency: EUR")
    out = diff(repo)
    assert "- Currency changed\\: USD → EUR\\; money figures are not compared \\(n\\/a\\)" in out
    assert "| Total cost | \\$1\\,500\\,000 | €1\\,500\\,000 | n\\/a |" in out  # the same number in another currency: it moved
    assert "| NPV | \\$884\\,815 | €884\\,815 | n\\/a |" in out
    assert out.rstrip().endswith("Inputs changed:\n\n- currency: USD → EUR")
    assert "| ROI |" not in out  # a ratio does not depend on the currency: it did not move
    [deal] = json.loads(diff(repo, form="json"), parse_float=Decimal)["deals"]
    assert deal["currency"] == {"before": "USD", "after": "EUR"}
    npv = next(f for f in deal["figures"] if f["label"] == "NPV")
    assert (npv["before"], npv["after"], npv["change"]) == (Decimal("884814.73"), Decimal("884814.73"), None)
    assert npv["shown"] == ["$884,815", "€884,815", "n/a"]


def test_the_change_of_each_figure_is_given_to_tools(repo: Path) -> None:
    edit(repo, NORTHWIND, "price: 1125", "price: 950")
    [deal] = json.loads(diff(repo, form="json"), parse_float=Decimal)["deals"]
    assert deal["currency"] == {"before": "USD", "after": "USD"}
    changes = {f["label"]: f["change"] for f in deal["figures"]}
    assert str(changes["Total cost"]) == "-210000.00" and changes["Open blocking questions"] == 1
    prices = ("Contract value", "Annual contract value", "Annual price", "Discount off list", "Value to price")
    # every computed figure that moved: 400 agents at $175 less a year, off a list price of $1,250
    assert {label: str(changes[label]) for label in prices} == {
        "Contract value": "-210000.00",
        "Annual contract value": "-70000.00",
        "Annual price": "-70000.00",
        "Discount off list": "0.1400",
        "Value to price": "0.4423",
    }
    assert changes["Findings"] == {"added": ["DB107"], "removed": []}


def test_deals_are_the_files_directly_in_deals_as_the_build_reads_them(repo: Path) -> None:
    (repo / "deals" / "archive").mkdir()
    shutil.copy(repo / "deals" / f"{NORTHWIND}.yaml", repo / "deals" / "archive" / "old-deal.yaml")
    sh(repo, "git", "add", "-A")
    sh(repo, "git", "commit", "-qm", "an archived deal: not built")
    assert "No deal changed." in diff(repo)  # the base's subfolder is not listed as removed
    sh(repo, "git", "mv", "deals/fjord-freight-route-planning.yaml", "deals/archive/")
    out = diff(repo)
    assert "### fjord\\-freight\\-route\\-planning (removed)" in out and "(renamed)" not in out and "old\\-deal" not in out


def test_an_unreadable_new_version_is_invalid_not_every_input_removed(repo: Path) -> None:
    edit(repo, NORTHWIND, "stage: technical-win", "stage: [technical-win")
    out = diff(repo)
    assert "- Invalid after the change\\: 1 problem\\(s\\)\\, first\\: deals\\/northwind\\-incident\\-analytics\\.yaml" in out
    assert "Inputs changed" not in out and "→ —" not in out
    [deal] = json.loads(diff(repo, form="json"))["deals"]
    assert deal["inputs"] == [] and deal["currency"] == {"before": "USD", "after": None}


def test_inputs_keep_their_types_in_json(repo: Path) -> None:
    edit(repo, NORTHWIND, "engaged: false", "engaged: true")
    edit(repo, NORTHWIND, "      answer: null", "      answer: Mapped with procurement")
    edit(repo, NORTHWIND, "quantity: 400", "quantity: 410")
    [deal] = json.loads(diff(repo, form="json"))["deals"]
    inputs = {i["key"]: (i["before"], i["after"], i["shown"]) for i in deal["inputs"]}
    assert inputs["stakeholders.economic_buyer.engaged"] == (False, True, ["false", "true"])
    assert inputs["handoff.questions[0].answer"] == (None, "Mapped with procurement", ["null", "Mapped with procurement"])
    assert inputs["costs.units.quantity"] == (400, 410, ["400", "410"])
    assert "- stakeholders\\.economic\\_buyer\\.engaged: false → true" in diff(repo)


def test_the_comment_mentions_nobody_and_links_no_issue(repo: Path) -> None:
    """GitHub notifies an @name and links a #12 in a comment even when backslash-escaped: they get a zero-width space."""
    from markdown_it import MarkdownIt

    edit(repo, NORTHWIND, "title: Incident analytics platform", 'title: "Ask @octocat about #12"')
    out = diff(repo)
    assert "@octocat" not in out and "#12" not in out and "@&#8203;octocat" in out and "#&#8203;12" in out
    assert "Ask @\u200boctocat about #\u200b12" in MarkdownIt("commonmark").render(out)  # as a reader sees it


def test_a_base_that_names_no_commit_is_a_clear_error(repo: Path) -> None:
    done = subprocess.run([DEALBRIEF, "diff", "--base", "nope-ref"], cwd=repo, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (
        2,
        "dealbrief: no commit 'nope-ref' in this repository: give a branch, a tag or a commit to --base (git fetch first?)\n",
    )
