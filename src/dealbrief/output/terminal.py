"""``dealbrief show``: the business case in the terminal, the CFO's three answers on top.

Deal text reaches rich only as :class:`~rich.text.Text` made by :func:`plain` — never as a string rich
would read as markup (``[link=…]`` prints a terminal hyperlink) — and made :func:`printable` first.
"""

from __future__ import annotations

import io
import shutil
import sys
from decimal import Decimal

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..engine.pipeline import Analysed
from ..engine.scenarios import scale_scenarios
from ..fmt import Formatter, columns
from ..text import printable, without_commands
from .diff import revision


def plain(value: object, style: str = "") -> Text:
    """Text shown exactly as written: no markup, no control characters."""
    return Text(printable(str(value)), style=style)


def answers(report: Analysed) -> list[tuple[str, str]]:
    """The CFO's three questions, answered in one line each: as the customer has them (once sent, the version sent)."""
    deal, case = report.deal, report.customers.case
    f = Formatter(deal.currency, deal.locale)
    one_time = f", including {f.money(case.one_time_costs)} one-time" if case.one_time_costs else ""
    when = f" ({f.month(case.payback_date)})" if case.payback_date else ""
    saves = f"{f.money(case.annual_benefit)} a year"
    if case.full_from != 1:  # a ramp: the year it is reached, and what the horizon holds
        reached = f"a year from year {case.full_from}" if case.full_from else "a year once fully rolled out"
        reached = reached if case.ramps_up else f"in year {case.years}"
        saves = f"{f.money(case.annual_benefit)} {reached} ({f.money(case.total_benefits)} over {case.years} years)"
    return [
        (
            "What does it cost?",
            f"{f.money(case.total_costs)} over {case.years} years{one_time}; {f.money(case.annual_cost)} a year once running",
        ),
        (
            "What does it save?",
            f"{saves}, risk-adjusted; NPV {f.money(case.npv)} at {f.rate(case.rate)}",
        ),
        ("When is the return?", f"payback {f.months(case.payback_months)}{when}; ROI {f.pct(case.roi)}"),
    ]


def figures_table(title: str, headings: list[str], rows: list[tuple[str, list[str], str]], width: int) -> Table | Group:
    """A table of figures: the labels and headings wrap when the terminal is narrow, a figure never does and is never cut.
    Widths are terminal cells (an East Asian wide character, as in ``￥60,000,000``, takes two).

    When the figures alone are wider than the terminal, each row is shown as a list of heading and figure instead.
    """
    widths = [  # a figure never wraps, a heading wraps between its words
        max([cell_len(cells[i]) for _, cells, _ in rows if i < len(cells)] + [cell_len(word) for word in heading.split()])
        for i, heading in enumerate(headings)
    ]
    label = max([8] + [cell_len(word) for name, _, _ in rows for word in name.split()])
    unwrapped = [max(w, cell_len(heading)) for w, heading in zip(widths, headings, strict=True)]
    if 1 + label + sum(w + 2 for w in unwrapped) <= width:  # each column is padded by 2, the table's edge by 1
        widths = unwrapped
    room = width - 1 - sum(w + 2 for w in widths)
    if room < label:
        return Group(plain(title, "italic"), *(part for row in rows for part in _record(headings, *row)))
    table = Table(title=plain(title), title_justify="left", box=box.SIMPLE_HEAD, collapse_padding=True, pad_edge=False)
    table.add_column("", overflow="fold", min_width=label, max_width=room)
    for heading, exactly in zip(headings, widths, strict=True):
        table.add_column(plain(heading), justify="right", min_width=exactly, max_width=exactly)
    for name, cells, style in rows:
        table.add_row(plain(name, style), *(Text(printable(cell), style=style, no_wrap=True) for cell in cells))
    return table


def _record(headings: list[str], name: str, cells: list[str], style: str) -> tuple[Text, Table]:
    """One row of a figures table as its label, then a heading and a figure a line."""
    record = Table.grid(padding=(0, 2))
    record.add_column(overflow="fold")
    record.add_column(justify="right", no_wrap=True)
    for heading, cell in zip(headings, cells, strict=False):
        record.add_row(plain(heading), Text(printable(cell), style=style))
    return plain(name, style or "bold"), record


def _share(part: Decimal, whole: Decimal) -> Decimal | None:
    return part / whole if whole > 0 else None


def show(report: Analysed) -> str:
    """The business case as the terminal (or a log) will show it: rich lays it out, then each line is checked.

    rich wraps long lines, and a wrap may start a line with deal text: no line may be a CI workflow command.
    """
    terminal = sys.stdout.isatty()
    out = io.StringIO()
    console = Console(file=out, force_terminal=terminal, width=shutil.get_terminal_size().columns, highlight=False)
    render(report, console)
    return "\n".join(without_commands(line) for line in out.getvalue().rstrip("\n").split("\n"))


def render(report: Analysed, console: Console) -> None:
    """The CFO's answers as the customer has them (once sent, the version sent; a revision's moves beside them), then the
    detail of the deal as it stands — the revision's, said so — for the SE and the AE."""
    deal, case, review = report.deal, report.case, report.review
    f = Formatter(deal.currency, deal.locale)
    of_the_revision = " (the revision, not sent)" if report.revised else ""
    key_figures = Table.grid(padding=(0, 2))
    key_figures.add_column(overflow="fold")  # a narrow terminal wraps the answers, never cuts a figure off
    key_figures.add_column(overflow="fold", ratio=1)
    for question, answer in answers(report):
        key_figures.add_row(plain(question, "bold"), plain(answer))
    console.print(Panel(key_figures, title=plain(f"{deal.customer} — {deal.title}"), subtitle=plain(f"{report.id} · {deal.stage}")))
    if edited := revision(report):
        rows = [(m.label, [m.before, m.after, m.change], "") for m in edited.figures]
        title = f"Revision, not sent: edited since the version sent {f.day(edited.sent)}"
        if rows:
            console.print(figures_table(title, ["Sent", "Revision", "Change"], rows, console.width))
        else:
            console.print(plain(f"{title}, in what the summary says; no figure moved"))
        console.print(plain(f"Once it is approved and sent: dealbrief sent {report.id} --replace"))

    flows = [
        (name, [f.money(v) for v in (*values, total, pv)], "")
        for name, values, total, pv in (
            ("Costs", case.costs, case.total_costs, case.pv_costs),
            ("Benefits", case.benefits, case.total_benefits, case.pv_benefits),
            ("Net", case.net, case.total_net, case.npv),
        )
    ]
    console.print(figures_table(f"Cash flow{of_the_revision}", [*columns(case.years), "Total", "Present value"], flows, console.width))
    lines = [(line.name, [f.money(line.total)], "") for line in case.cost_lines]  # each price element and cost
    console.print(figures_table(f"What it costs, line by line{of_the_revision}", [f"Over {case.years} years"], lines, console.width))

    facts = Table.grid(padding=(0, 2))
    facts.add_column(overflow="fold")
    facts.add_column(overflow="fold", ratio=1)
    for label, value in (
        ("Break-even realization", f.pct(case.break_even_realization)),
        ("Cost of delay", f"{f.money(case.cost_of_delay)} per month, at year {case.years}'s benefit and cost"),
        ("Value to price", f.times(case.value_to_price)),
        ("Discount off list", f.pct(case.discount, 1)),
        ("Contract value", f"{f.money(case.contract_value)} over {case.years} years"),
    ):
        facts.add_row(label, plain(value))
    console.print(Panel(facts, title=f"Price defense (internal){of_the_revision}", title_align="left"))
    if case.drawdown and deal.costs.commit:
        unit, drawn = deal.costs.commit.unit, case.drawdown
        yearly = [
            ("Committed", [f.money(r.committed) for r in drawn], ""),
            (f"Usage ({unit})", [f.num(r.usage) for r in drawn], ""),
            ("Drawn", [f.money(r.used) for r in drawn], ""),
            ("Unused (lost)", [f.money(r.unused) for r in drawn], ""),
            *([("Carried", [f.money(r.carried) for r in drawn], "")] if deal.costs.commit.rollover else []),
            ("Overage", [f.money(r.overage) for r in drawn], ""),
        ]
        console.print(figures_table(f"The commitment, year by year{of_the_revision}", columns(case.years)[1:], yearly, console.width))
        spend = f"{f.money(case.expected_spend)} over {case.years} year{'s' * (case.years > 1)} (overage {f.money(case.overage)})"
        console.print(plain(f"Expected spend: {spend}; unused commitment: {f.money(case.unused)}"))
    scenarios = scale_scenarios(deal, case)
    if scenarios and deal.costs.units:
        headings = [deal.costs.units.unit, "Price a year", "NPV", "ROI", "Payback", "Contract"]
        rows = []
        for row in scenarios:
            shown = [f.yearly(row.units), f.money(row.case.annual_price), f.money(row.case.npv), f.pct(row.case.roi)]
            rows.append((row.label, [*shown, f.months(row.case.payback_months), f.money(row.case.contract_value)], ""))
        console.print(figures_table(f"Scale: what a downgrade does (internal){of_the_revision}", headings, rows, console.width))
    usage = scale_scenarios(deal, case, "usage")
    if usage and deal.costs.commit:
        headings = [f"{deal.costs.commit.unit} a year", "Spend", "Unused", "Benefit a year", "NPV", "ROI", "Payback"]
        rows = []
        for row in usage:
            money = [f.money(row.case.expected_spend), f.money(row.case.unused), f.money(row.case.annual_benefit), f.money(row.case.npv)]
            shown = [f.yearly(row.units), *money, f.pct(row.case.roi), f.months(row.case.payback_months)]
            rows.append((row.label, shown, ""))
        console.print(figures_table(f"Usage: what a shortfall does (internal){of_the_revision}", headings, rows, console.width))
    if report.promise_problem:
        console.print(plain(f"Value realized: the promise cannot be read: {report.promise_problem}", "red"))
    elif report.progress and report.progress.periods:
        progress, headings = report.progress, ["Promised", "Realized", "Progress"]
        periods = [
            (p.label, [f.money(p.promised), f.money(p.realized), f.pct(_share(p.realized, p.promised))], "") for p in progress.periods
        ]
        title = f"Value realized, by period, against the promise sent {f.day(progress.sent)}"
        console.print(figures_table(title, headings, periods, console.width))
        drivers = [(d.name, [f.money(d.promised), f.money(d.realized), f.pct(d.ratio)], "") for d in progress.drivers]
        drivers.append(("To date", [f.money(progress.promised_to_date), f.money(progress.realized_to_date), f.pct(progress.ratio)], "bold"))
        console.print(figures_table(f"Value realized, by driver, through {progress.periods[-1].label}", headings, drivers, console.width))
        for d in progress.drivers:
            if d.not_measured:
                console.print(plain(f"Not measured: {d.name} in {', '.join(d.not_measured)} (left out of its promise to date)"))
        if progress.next_period and progress.next_review:
            due = f"{progress.next_period}, figures due {f.day(progress.next_review)}"
            console.print(plain(f"Next review: {due}; collected by {progress.owner}"))
    gate = "[green]passed[/]" if review.gate == "passed" else "[red]open[/]"
    questions = Table(title=Text.from_markup(f"Handoff questions — gate {gate}"), title_justify="left", show_lines=False)
    for column in ("", "id", "owner", "question", "answer"):
        questions.add_column(column, overflow="fold")
    for q in review.questions:
        mark = "✔" if q.answered else ("✘" if q.blocking else "·")
        answer = f"stale ({q.stale}): {q.answer}" if q.stale else q.answer or ("open" if q.blocking else "")
        questions.add_row(mark, plain(q.id), plain(q.owner), plain(q.text), plain(answer))
    if review.questions:
        console.print(questions)
    for finding in review.findings:
        where = f"{report.file}:{finding.line}:{finding.column}"
        console.print(plain(f"{where}: {finding.severity} {finding.code} {finding.slug}: {finding.logged()}"))
