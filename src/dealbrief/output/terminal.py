"""``dealbrief show``: the business case in the terminal, the CFO's three answers on top.

Deal text reaches rich only as :class:`~rich.text.Text` made by :func:`plain` — never as a string rich
would read as markup (``[link=…]`` prints a terminal hyperlink) — and made :func:`printable` first.
"""

from __future__ import annotations

import io
import shutil
import sys

from rich import box
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..engine.pipeline import Report
from ..fmt import Formatter, columns
from ..text import printable, without_commands


def plain(value: object, style: str = "") -> Text:
    """Text shown exactly as written: no markup, no control characters."""
    return Text(printable(str(value)), style=style)


def answers(report: Report) -> list[tuple[str, str]]:
    """The CFO's three questions, answered in one line each."""
    deal, case = report.deal, report.case
    assert deal and case
    f = Formatter(deal.currency, deal.locale)
    one_time = f", including {f.money(case.one_time_costs)} one-time" if case.one_time_costs else ""
    when = f" ({f.month(case.payback_date)})" if case.payback_date else ""
    return [
        (
            "What does it cost?",
            f"{f.money(case.total_costs)} over {case.years} years{one_time}; {f.money(case.annual_cost)} a year once running",
        ),
        (
            "What does it save?",
            f"{f.money(case.annual_benefit)} a year, risk-adjusted; NPV {f.money(case.npv)} at {f.pct(case.rate)}",
        ),
        ("When is the return?", f"payback {f.months(case.payback_months)}{when}; ROI {f.pct(case.roi)}"),
    ]


def show(report: Report) -> str:
    """The business case as the terminal (or a log) will show it: rich lays it out, then each line is checked.

    rich wraps long lines, and a wrap may start a line with deal text: no line may be a CI workflow command.
    """
    terminal = sys.stdout.isatty()
    out = io.StringIO()
    console = Console(file=out, force_terminal=terminal, width=shutil.get_terminal_size().columns, highlight=False)
    render(report, console)
    return "\n".join(without_commands(line) for line in out.getvalue().rstrip("\n").split("\n"))


def render(report: Report, console: Console) -> None:
    deal, case, review = report.deal, report.case, report.review
    assert deal and case and review
    f = Formatter(deal.currency, deal.locale)
    key_figures = Table.grid(padding=(0, 2))
    for question, answer in answers(report):
        key_figures.add_row(plain(question, "bold"), plain(answer))
    console.print(Panel(key_figures, title=plain(f"{deal.customer} — {deal.title}"), subtitle=plain(f"{report.id} · {deal.stage}")))

    flows = Table(title="Cash flow", title_justify="left", box=box.SIMPLE_HEAD)
    flows.add_column("")
    for heading in [*columns(case.years), "Total", "Present value"]:
        flows.add_column(heading, justify="right", no_wrap=True)
    for name, values, pv in (
        ("Costs", case.costs, case.pv_costs),
        ("Benefits", case.benefits, case.pv_benefits),
        ("Net", case.net, case.npv),
    ):
        flows.add_row(name, *map(plain, map(f.money, values)), plain(f.money(sum(values))), plain(f.money(pv)))
    console.print(flows)

    facts = Table.grid(padding=(0, 2))
    for label, value in (
        ("Break-even realization", f.pct(case.break_even_realization)),
        ("Cost of delay", f"{f.money(case.cost_of_delay)} per month"),
        ("Value to price", f.times(case.value_to_price)),
        ("Discount off list", f.pct(case.discount, 1)),
    ):
        facts.add_row(label, plain(value))
    console.print(Panel(facts, title="Price defense (internal)", title_align="left"))

    gate = "[green]passed[/]" if review.gate == "passed" else "[red]open[/]"
    questions = Table(title=Text.from_markup(f"Handoff questions — gate {gate}"), title_justify="left", show_lines=False)
    for column in ("", "id", "owner", "question", "answer"):
        questions.add_column(column)
    for q in review.questions:
        mark = "✔" if q.answered else ("✘" if q.blocking else "·")
        questions.add_row(mark, plain(q.id), plain(q.owner), plain(q.text), plain(q.answer or ("open" if q.blocking else "")))
    if review.questions:
        console.print(questions)
    for f in review.findings:
        console.print(plain(f"{report.file}:{f.line}:{f.column}: {f.severity} {f.code} {f.slug}: {f.message}"))
