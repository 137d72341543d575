"""An answer holds for the facts it answered: a price cut after the deal desk approved a discount reopens its question.

The deal: the clean deal priced at a 200,000 subscription against a 250,000 list price (20.0 % off list), beyond the
deal desk's 15 % floor, so DB107 asks `price-defense`; the AE answers it, and the handoff meeting is held.
"""

from __future__ import annotations

import json
import os
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from dealbrief.cli import main
from dealbrief.engine.config import Config
from dealbrief.engine.pipeline import Report, analyse

from ..conftest import CLEAN, ExactDumper, mutate

PRICED = {
    "costs.list_price": 250000,
    "commercial.discount_floor": 0.15,
    "handoff": {"meeting": date(2026, 8, 20), "answers": {"price-defense": "Deal desk approved 20 % (DD-4411)"}},
}


def git(folder: Path, *args: str, day: str = "2026-11-02") -> None:
    stamp = f"{day}T12:00:00Z"
    people = {f"GIT_{who}_{what}": value for who in ("AUTHOR", "COMMITTER") for what, value in (("NAME", "T"), ("EMAIL", "t@example.com"))}
    environment = {**os.environ, **people, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True, env=environment)


@pytest.fixture
def deal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """``deal(changes, commit=day)`` writes the priced deal with ``changes`` (committing it on ``day`` if given) and analyses it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "deals").mkdir()
    git(tmp_path, "init", "-q", "-b", "main")
    path = tmp_path / "deals" / "acme.yaml"

    def write(changes: dict[str, Any] | None = None, commit: str | None = None) -> Report:
        data = mutate(CLEAN, {**PRICED, **(changes or {})})
        path.write_text(yaml.dump(data, Dumper=ExactDumper, sort_keys=False, allow_unicode=True), encoding="utf-8")
        if commit:
            git(tmp_path, "add", "-A")
            git(tmp_path, "commit", "-qm", "edit", day=commit)
        return analyse(path, Config())

    return write


def question(report: Report, question_id: str = "price-defense") -> Any:
    assert report.review
    return next(q for q in report.review.questions if q.id == question_id)


def test_an_answer_closes_its_question_while_its_facts_hold(deal) -> None:
    report = deal(commit="2026-11-02")
    assert question(report).answered and report.review and report.review.gate == "passed"
    later = deal({"recommendation": "Proceed now."}, commit="2026-11-05")  # an edit that moves none of its facts
    assert question(later).answered and later.review and later.review.gate == "passed"


def test_a_price_cut_after_the_answer_reopens_the_question_and_the_gate(
    deal, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # show's table on one line a row
    deal(commit="2026-11-02")
    cut = deal({"costs.subscription": 183250}, commit="2026-11-09")  # 26.7 % off list
    price = question(cut)
    assert not price.answered and price.answer == "Deal desk approved 20 % (DD-4411)"
    assert price.stale == "answered for 20.0% off list on 2026-11-02; now 26.7% off list"
    assert cut.review and cut.review.gate == "open" and price in cut.review.open_blocking
    finding = next(f for f in cut.review.findings if f.code == "DB107")
    assert finding.severity == "question" and finding.message.startswith(price.stale + ": answer again. The proposed price is 26.7%")
    assert main(["check"]) == 0  # an open question is not an error…
    out = capsys.readouterr().out
    assert "answered for 20.0% off list on 2026-11-02; now 26.7% off list" in out and "1 open blocking question" in out
    assert main(["show", "acme"]) == 0
    assert "stale (answered for 20.0% off list on 2026-11-02" in " ".join(capsys.readouterr().out.replace("│", " ").split())


def test_an_uncommitted_price_cut_reopens_it_too(deal) -> None:
    deal(commit="2026-11-02")
    assert not question(deal({"costs.subscription": 183250})).answered  # the answer was written for the committed facts


def test_answering_again_closes_it(deal) -> None:
    deal(commit="2026-11-02")
    deal({"costs.subscription": 183250}, commit="2026-11-09")
    again = {"handoff.answers.price-defense": "Deal desk approved 26.7 % (DD-4502)"}
    assert question(deal(again)).answered  # written in the working tree: it holds for the working tree's facts
    assert question(deal(again, commit="2026-11-10")).answered


def test_an_answer_written_before_its_question_was_asked_does_not_close_it(deal) -> None:
    """Answered while the discount was within the floor: no question then, so nothing it could have answered."""
    deal({"costs.subscription": 220000}, commit="2026-11-02")  # 12 % off list: no question
    cut = question(deal({"costs.subscription": 183250}, commit="2026-11-09"))
    assert not cut.answered
    assert cut.stale == "answered on 2026-11-02, before this question was asked; now 26.7% off list and a floor of 15.0%"


def test_a_change_of_wording_or_language_never_reopens_an_answer(deal) -> None:
    deal(commit="2026-11-02")
    german = deal({"locale": "de_DE", "currency": "EUR"}, commit="2026-11-09")  # every phrase of the question said otherwise
    assert question(german).text.startswith("The proposed price is 20,0\u00a0%") and question(german).answered


def test_a_custom_question_reworded_reopens_its_answer(deal) -> None:
    custom = {"handoff.questions": [{"ask": "Is procurement on board?", "answer": "Yes, PO route agreed"}]}
    deal(custom, commit="2026-11-02")
    reworded = deal({"handoff.questions": [{"ask": "Is procurement on board for three years?", "answer": "Yes, PO route agreed"}]})
    custom_question = question(reworded, "custom-1")
    assert not custom_question.answered and reworded.review and reworded.review.gate == "open"
    assert [(f.code, f.key) for f in reworded.review.findings if f.code == "DB122"] == [("DB122", "handoff.questions[0]")]


def test_without_a_history_answers_cannot_be_checked_and_it_is_said_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "deals").mkdir()
    for name in ("one", "two"):
        data = mutate(CLEAN, PRICED)
        (tmp_path / "deals" / f"{name}.yaml").write_text(yaml.dump(data, Dumper=ExactDumper, sort_keys=False), encoding="utf-8")
    assert main(["check"]) == 0
    err = capsys.readouterr().err
    assert err.count("answers cannot be checked against the facts they answered") == 1


# --- sending is a gate ------------------------------------------------------------------------------------------------------


def test_sent_refuses_while_a_blocking_question_is_open_or_stale(deal, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "deals" / "acme.yaml"
    deal(commit="2026-11-02")
    deal({"costs.subscription": 183250}, commit="2026-11-09")
    before = path.read_bytes()
    assert main(["sent", "acme", "--date", "2026-11-10"]) == 1
    err = capsys.readouterr().err
    assert "question price-defense (deal-desk) is stale: answered for 20.0% off list on 2026-11-02" in err
    assert "not sent: the summary goes out only once the handoff gate has passed; nothing was written" in err
    assert path.read_bytes() == before
    deal({"costs.subscription": 183250, "handoff.answers": {}}, commit="2026-11-10")
    assert main(["sent", "acme", "--date", "2026-11-10"]) == 1
    assert "question price-defense (deal-desk) is open" in capsys.readouterr().err


def test_sent_refuses_without_a_handoff_meeting_or_with_an_error(deal, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deal({"handoff.meeting": None}, commit="2026-11-02")
    assert main(["sent", "acme", "--date", "2026-11-10"]) == 1
    assert "handoff.meeting: no handoff meeting is recorded" in capsys.readouterr().err
    deal({"poc.results.0.after": 5}, commit="2026-11-03")  # missed its target of 4 hours: DB109, an error
    assert main(["sent", "acme", "--date", "2026-11-10"]) == 1
    assert "missed its target: 5 hours against 4 [error DB109 result-regressed]" in capsys.readouterr().err
    deal(commit="2026-11-04")
    assert main(["sent", "acme", "--date", "2026-11-10"]) == 0
    assert "stage: summary-sent" in (tmp_path / "deals" / "acme.yaml").read_text()


def test_diff_lists_the_questions_a_change_reopens(deal, capsys: pytest.CaptureFixture[str]) -> None:
    deal(commit="2026-11-02")
    deal({"costs.subscription": 183250})
    assert main(["diff", "--base", "HEAD", "--format", "json"]) == 0
    changed = json.loads(capsys.readouterr().out)["deals"][0]["figures"]
    reopened = next(f for f in changed if f["label"] == "Questions reopened (stale answers)")
    assert (reopened["before"], reopened["after"], reopened["change"]["added"]) == ([], ["price-defense"], ["price-defense"])


def test_the_scale_answer_holds_for_the_units_and_the_money_they_move(deal) -> None:
    """The clean deal priced per agent: 400 planned, 10 tested; the AE answered for that plan. A lower price per agent moves
    the money a downgrade would cost: the answer no longer holds. A price per agent that is the same again holds."""
    per_unit = {
        "poc.scale.tested": 10,
        "costs.subscription": None,
        "costs.list_price": None,
        "costs.units": {"unit": "agents", "price": 500, "quantity": 400},
    }
    answered = {**per_unit, "handoff.answers": {"scale-commitment": "Written commitment coming with the PO"}}
    deal(answered, commit="2026-11-02")
    scale = question(deal(answered), "scale-commitment")
    assert scale.answered and any(f.key == "contract" for f in scale.facts)
    moved = question(deal({**answered, "costs.units.price": 450}, commit="2026-11-09"), "scale-commitment")
    assert not moved.answered and "a contract of $600,000" in str(moved.stale) and "a contract of $540,000" in str(moved.stale)


def test_an_edit_after_sending_reopens_questions_for_the_revision_not_a_db105_error(deal, capsys: pytest.CaptureFixture[str]) -> None:
    """The version sent passed its gate; a price cut since reopens price-defense for the revision (which cannot be sent
    until it is answered again), and is no error: the summary that went out is the one whose gate passed."""
    deal(commit="2026-11-02")
    assert main(["sent", "acme", "--date", "2026-11-03"]) == 0
    capsys.readouterr()
    sent = yaml.safe_load(Path("deals/acme.yaml").read_text())["sent"]
    cut = deal({"stage": "summary-sent", "sent": sent, "costs.subscription": 183250}, commit="2026-11-09")
    assert cut.revised and cut.review and cut.review.gate == "open" and not question(cut).answered
    assert [f.code for f in cut.review.findings if f.severity == "error"] == []
    assert main(["check"]) == 0 and "1 open blocking question" in capsys.readouterr().out
    assert main(["sent", "acme", "--date", "2026-11-10", "--replace"]) == 1  # the revision waits for its answer


# --- found by an outside attack ----------------------------------------------------------------------------------------


def test_an_answer_typed_as_a_date_or_a_number_goes_stale_too(deal) -> None:
    """YAML reads `2026-11-02` as a date and `20` as a number; validation takes them as the text typed, and so does the history."""
    for typed in ("2026-11-02", "20"):
        answered = {"handoff.answers.price-defense": None}
        deal(answered, commit="2026-11-01")
        path = Path("deals/acme.yaml")
        path.write_text(path.read_text().replace("price-defense: null", f"price-defense: {typed}"))
        git(Path.cwd(), "commit", "-qam", "answered", day="2026-11-02")
        assert question(deal_as_is()).answered
        text = path.read_text().replace("subscription: 200000", "subscription: 183250")
        path.write_text(text)
        git(Path.cwd(), "commit", "-qam", "cut", day="2026-11-09")
        assert not question(deal_as_is()).answered, typed


def deal_as_is() -> Report:
    return analyse(Path("deals/acme.yaml"), Config())


def test_an_answer_from_one_branch_does_not_hold_for_a_price_cut_on_another(deal, tmp_path: Path) -> None:
    deal({"handoff.answers": {}}, commit="2026-11-01")
    git(tmp_path, "checkout", "-qb", "answer")
    deal(commit="2026-11-02")  # answered for 20.0 % off list
    git(tmp_path, "checkout", "-q", "main")
    git(tmp_path, "checkout", "-qb", "cut")
    deal({"handoff.answers": {}, "costs.subscription": 183250}, commit="2026-11-03")
    git(tmp_path, "checkout", "-q", "main")
    git(tmp_path, "merge", "-q", "--no-edit", "answer", day="2026-11-04")
    git(tmp_path, "merge", "-q", "--no-edit", "cut", day="2026-11-05")
    merged = deal_as_is()
    assert merged.deal and merged.deal.costs.subscription == 183250 and merged.deal.handoff.answers
    assert question(merged).stale == "answered for 20.0% off list on 2026-11-02; now 26.7% off list"


def test_renaming_the_deal_file_keeps_a_stale_answer_stale(deal, tmp_path: Path) -> None:
    deal(commit="2026-11-02")
    deal({"costs.subscription": 183250}, commit="2026-11-09")
    git(tmp_path, "mv", "deals/acme.yaml", "deals/acme-freight.yaml")
    git(tmp_path, "commit", "-qm", "renamed", day="2026-11-10")
    renamed = analyse(tmp_path / "deals" / "acme-freight.yaml", Config())
    assert question(renamed).stale == "answered for 20.0% off list on 2026-11-02; now 26.7% off list"


def test_an_answer_first_written_in_an_invalid_version_cannot_hold(deal, tmp_path: Path) -> None:
    deal({"titel": "a typo: this version is no valid deal"}, commit="2026-11-02")
    cut = question(deal({"costs.subscription": 183250}, commit="2026-11-09"))
    assert not cut.answered and str(cut.stale).startswith("answered on 2026-11-02 in a version that is no valid deal")


def test_in_a_shallow_clone_answers_cannot_be_checked_and_it_is_said(deal, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deal(commit="2026-11-02")
    deal({"costs.subscription": 183250}, commit="2026-11-09")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{tmp_path}", str(clone)], check=True, capture_output=True)
    os.chdir(clone)
    assert main(["check"]) == 0
    assert "this clone is shallow, so answers cannot be checked against the facts they answered" in capsys.readouterr().err


def test_a_number_typed_otherwise_is_the_same_fact(deal) -> None:
    """400 and 400.0 planned agents are one number: retyping it reopens nothing."""
    scale = {"poc.scale.tested": 10, "handoff.answers.scale-commitment": "PO for 400 agents in signature"}
    deal(scale, commit="2026-11-02")
    assert question(deal({**scale, "poc.scale.planned": Decimal("400.0")}, commit="2026-11-03"), "scale-commitment").answered


def test_a_stale_answers_message_is_deal_text_never_markup_or_control(deal, capsys: pytest.CaptureFixture[str]) -> None:
    """The stale message quotes the question's own words: on the handoff page they are escaped like any deal text, and
    a forged workflow command never starts a line of check's output (control characters never reach a valid deal)."""
    from dealbrief.output.render import Renderer

    from ..hostile import CORPUS, FORGED

    hostile = f"{CORPUS[0]} {CORPUS[2]}\n{FORGED}"
    deal({"handoff.questions": [{"ask": "Is procurement on board?", "answer": "Yes"}]}, commit="2026-11-02")
    reworded = deal({"handoff.questions": [{"ask": f"Is procurement on board? {hostile}", "answer": "Yes"}]})
    assert question(reworded, "custom-1").stale
    page = Renderer().handoff(reworded)
    assert "<script>" not in page and "](javascript:" not in page and "\\<script\\>" in page
    main(["check"])
    shown = capsys.readouterr().out
    assert "DB122" in shown and not any(line.startswith("::") for line in shown.splitlines())


def test_the_usage_answer_holds_for_the_commitment_and_the_usage_it_was_given_for(deal) -> None:
    """A consumption deal: the AE answered who owns the usage plan for $300,000 a year at $0.80 (375,000 credits) and a
    POC at 40,000 credits a year.  A lower rate buys more credits and moves what goes unused: the answer no longer
    holds.  Another answer after the facts moved holds again; a change of recommendation moves nothing."""
    consumption = {
        "poc.start": date(2026, 8, 1),
        "poc.end": date(2026, 10, 12),
        "poc.technical_win.date": date(2026, 10, 13),
        "poc.scale": {"tested": 8000, "planned": 375000, "unit": "credits"},
        "costs": {"commit": {"unit": "credits", "amount": 300000, "rate": Decimal("0.80"), "usage": 375000}},
        "commercial.discount_floor": None,
        "handoff.meeting": date(2026, 10, 14),
        "handoff.answers": {"usage-plan": "Lee Chen owns it; monthly usage reviews"},
    }
    deal(consumption, commit="2026-11-02")
    assert question(deal({**consumption, "recommendation": "Go."}), "usage-plan").answered
    moved = question(deal({**consumption, "costs.commit.rate": Decimal("0.60")}, commit="2026-11-09"), "usage-plan")
    assert not moved.answered and "assumes 500,000 credits a year" in moved.text
    assert moved.stale == (
        "answered for a commitment that buys 375,000 credits a year and $450,000 unused at half the plan on 2026-11-02; "
        "now a commitment that buys 500,000 credits a year and $562,500 unused at half the plan"
    )
    again = {**consumption, "costs.commit.rate": Decimal("0.60"), "handoff.answers": {"usage-plan": "Lee Chen, again: monthly"}}
    assert question(deal(again, commit="2026-11-10"), "usage-plan").answered
