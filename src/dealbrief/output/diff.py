"""``dealbrief diff``: what a change does to each business case, as Markdown for a pull request.

The old versions are read through git (``git cat-file``), the new ones from the
working tree; both go through the same pipeline, and the figures a CFO or a
deal desk would ask about are compared: not a diff of the YAML, a diff of the case.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..deal.load import MAX_BYTES, parse, read
from ..deal.model import MONEY, Deal, marked_fields
from ..engine.config import Config
from ..engine.history import History
from ..engine.pipeline import Report, analyse_bytes
from ..errors import DealbriefError, InvalidDeal, Problem, dotted
from ..fmt import Formatter, month_count
from .render import escape

MAX_KEYS = 25


@dataclass(frozen=True)
class Figure:
    """A figure the diff compares: its label, where it comes from, and how it is shown."""

    label: str
    value: Callable[[Report], Any]
    kind: str  # money | percent | months | count | codes
    applies: Callable[[Report], bool] = lambda report: True  # a figure only some deals have is left out for the others


def _won(report: Report) -> bool:
    return report.progress is not None


FIGURES = [
    Figure("Total cost", lambda r: r.case.total_costs, "money"),
    Figure("Annual savings", lambda r: r.case.annual_benefit, "money"),
    Figure("NPV", lambda r: r.case.npv, "money"),
    Figure("ROI", lambda r: r.case.roi, "percent"),
    Figure("Payback", lambda r: r.case.payback_months, "months"),
    Figure("Break-even realization", lambda r: r.case.break_even_realization, "percent"),
    Figure("Open blocking questions", lambda r: len(r.review.open_blocking), "count"),
    Figure("Findings", lambda r: tuple(sorted({f.code for f in r.review.findings})), "codes"),
    Figure("Value promised to date", lambda r: r.progress.promised_to_date if r.progress else None, "money", _won),
    Figure("Value realized to date", lambda r: r.progress.realized_to_date if r.progress else None, "money", _won),
    Figure("Share of the promise realized", lambda r: r.progress.ratio if r.progress else None, "percent", _won),
]


@dataclass(frozen=True)
class Change:
    """One deal file that was added, removed, renamed or changed."""

    kind: str  # added | removed | renamed | changed
    before: Report | None
    after: Report | None
    before_raw: bytes | InvalidDeal | None
    after_raw: bytes | InvalidDeal | None


def git(top: Path, *args: str, data: bytes | None = None) -> bytes:
    done = subprocess.run(["git", *args], cwd=top, input=data, capture_output=True, check=False)
    if done.returncode:
        raise DealbriefError(f"git {' '.join(args)}: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def default_base(top: Path) -> tuple[str, str]:
    """The commit to compare with when none is named, and how it was chosen: the merge base with ``origin/main``, else with
    the current branch's upstream, else ``HEAD`` (a branch with no remote would otherwise show every deal as added)."""
    upstream = _quiet(top, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}")
    for ref in ("origin/main", upstream):
        if ref and (base := _quiet(top, "merge-base", ref, "HEAD")):
            return base, f"{ref} (merge base {base[:12]})"
    return _quiet(top, "rev-parse", "HEAD") or "HEAD", "HEAD (no origin/main and no upstream branch: your uncommitted changes)"


def _quiet(top: Path, *args: str) -> str | None:
    try:
        return git(top, *args).decode().strip() or None
    except DealbriefError:
        return None


def changes(deals: Path, base: str | None, config: Config) -> tuple[str, str, list[Change]]:
    """Every deal file that differs between ``base`` and the working tree; the base as the user named it (or how the
    default was chosen), its commit, and the changes."""
    top = Path(git(deals if deals.is_dir() else Path("."), "rev-parse", "--show-toplevel").decode().strip())
    folder = deals.resolve().relative_to(top.resolve()).as_posix() if deals.exists() else deals.as_posix()
    base, named = (base, base) if base else default_base(top)
    commit = git(top, "rev-parse", "--verify", f"{base}^{{commit}}").decode().strip()
    listed = git(top, "ls-tree", "-r", "-z", "--name-only", base, "--", folder).decode().split("\0")
    old = _blobs(top, base, [p for p in listed if p.endswith(".yaml") and "\n" not in p])  # cat-file reads lines
    new = {p.relative_to(top).as_posix(): _read(p) for p in sorted((top / folder).glob("*.yaml"))}
    renamed = _renames(top, base, folder, old, new)
    history = History(top / folder)

    def report(raw: bytes | InvalidDeal | None, path: str) -> Report | None:
        if isinstance(raw, InvalidDeal):
            return Report(Path(path).stem, path, tuple(raw.problems))
        return None if raw is None else analyse_bytes(raw, path, config, history)  # a won deal's promise: in its history

    found: list[Change] = []
    try:
        for path in sorted(set(old) | set(new)):
            target = renamed.get(path, path)
            before, after = old.get(path), new.get(target)
            if path in renamed.values() or (path == target and before == after):
                continue
            kind = "renamed" if path != target else "added" if before is None else "removed" if after is None else "changed"
            found.append(Change(kind, report(before, path), report(after, target), before, after))
    finally:
        history.close()
    return named, commit, found


def _read(path: Path) -> bytes | InvalidDeal:
    try:
        return read(path, path.as_posix())
    except InvalidDeal as exc:
        return exc


def _blobs(top: Path, base: str, paths: list[str]) -> dict[str, bytes | InvalidDeal]:
    """The content of ``paths`` at ``base``, read by one ``git cat-file`` rather than one ``git show`` each.

    Blobs over the size limit are not read at all (their size is asked first).
    """
    sizes = git(top, "cat-file", "--batch-check=%(objectsize)", data="".join(f"{base}:{p}\n" for p in paths).encode()).split()
    too_big = {p for p, size in zip(paths, sizes, strict=True) if int(size) > MAX_BYTES}
    blobs: dict[str, bytes | InvalidDeal] = {
        p: InvalidDeal([Problem(p, 1, 1, "", f"file is over {MAX_BYTES:,} bytes, the most a deal file may be")]) for p in too_big
    }
    paths = [p for p in paths if p not in too_big]
    out = git(top, "cat-file", "--batch", data="".join(f"{base}:{p}\n" for p in paths).encode())
    at = 0
    for path in paths:
        header_end = out.index(b"\n", at)
        size = int(out[at:header_end].split()[2])
        blobs[path] = out[header_end + 1 : header_end + 1 + size]
        at = header_end + 1 + size + 1
    return blobs


def _renames(top: Path, base: str, folder: str, old: dict[str, Any], new: dict[str, Any]) -> dict[str, str]:
    """Old path → new path: what git sees as renamed, and any removed file whose exact content reappears."""
    pairs: dict[str, str] = {}
    status = git(top, "diff", "-M", "--name-status", "-z", base, "--", folder).decode().split("\0")
    for index, entry in enumerate(status):
        if entry.startswith("R") and index + 2 < len(status):
            pairs[status[index + 1]] = status[index + 2]
    removed = [p for p in old if p not in new and p not in pairs]
    added = [p for p in new if p not in old and p not in pairs.values()]
    for path in removed:
        twin = next((p for p in added if new[p] == old[path]), None)
        if twin:
            pairs[path] = twin
            added.remove(twin)
    return pairs


@dataclass(frozen=True)
class Moved:
    """One figure of a deal's case before and after, as shown (in each version's currency), with its plain values."""

    label: str
    before: str
    after: str
    change: str
    plain: tuple[Any, Any]  # for tools: decimal strings, counts or rule codes (None where absent)


@dataclass(frozen=True)
class DealDiff:
    """What one changed deal file does to its case: its figures that moved, and each input's old and new value."""

    title: str
    kind: str
    problems: list[str]  # a version that is invalid, said once
    figures: list[Moved]
    inputs: list[tuple[str, str, str]]  # key, old value, new value
    more_inputs: int  # inputs left out after MAX_KEYS


def summarise(found: list[Change]) -> list[DealDiff]:
    """Every changed deal as a :class:`DealDiff`: the one model the three formats print."""
    diffs = []
    for change in found:
        before, after = change.before, change.after
        name = (before or after).id  # type: ignore[union-attr]
        title = f"{before.id} → {after.id}" if change.kind == "renamed" and before and after else name
        problems = [
            f"invalid {when} the change: {len(report.problems)} problem(s), first: {report.problems[0]}"
            for report, when in ((before, "before"), (after, "after"))
            if report and not report.valid
        ]
        inputs = _inputs(change) if change.kind in ("changed", "renamed") else []
        figures = _rows(before if before and before.valid else None, after if after and after.valid else None)
        diffs.append(DealDiff(title, change.kind, problems, figures, inputs[:MAX_KEYS], max(0, len(inputs) - MAX_KEYS)))
    return diffs


def markdown(base: str, found: list[Change]) -> str:
    """For a pull request (GitHub renders it): a table per deal of the figures that moved, and the inputs that changed."""
    lines = [f"## Business case changes against {escape(base)}", ""]
    if not found:
        return "\n".join([*lines, "No deal changed.", ""])
    for deal in summarise(found):
        lines += [f"### {escape(deal.title)} ({deal.kind})", ""]
        lines += [f"- {escape(problem[0].upper() + problem[1:])}" for problem in deal.problems]
        if deal.figures:
            lines += ["", "| Figure | Before | After | Change |", "|:--|--:|--:|--:|"]
            lines += [f"| {m.label} | {escape(m.before)} | {escape(m.after)} | {escape(m.change)} |" for m in deal.figures]
        elif deal.kind in ("changed", "renamed"):
            lines.append("No computed figure moved.")
        if deal.inputs:
            lines += ["", "Inputs changed:", "", *(f"- {escape(key)}: {escape(old)} → {escape(new)}" for key, old, new in deal.inputs)]
            lines += [f"- and {deal.more_inputs} more"] if deal.more_inputs else []
        lines.append("")
    return "\n".join(lines)


def as_json(base: str, commit: str, found: list[Change]) -> dict[str, Any]:
    """For tools: the same model, each figure with its shown and plain values."""
    return {
        "base": {"ref": base, "commit": commit},
        "deals": [
            {
                "deal": deal.title,
                "change": deal.kind,
                "problems": deal.problems,
                "figures": [
                    {"label": m.label, "before": m.plain[0], "after": m.plain[1], "shown": [m.before, m.after, m.change]}
                    for m in deal.figures
                ],
                "inputs": [{"key": key, "before": old, "after": new} for key, old, new in deal.inputs],
                "more_inputs": deal.more_inputs,
            }
            for deal in summarise(found)
        ],
    }


def terminal(base: str, found: list[Change], width: int) -> str:
    """For people at a terminal: plain tables, nothing escaped (deal text shown as text, never as markup)."""
    import io

    from rich import box
    from rich.console import Console
    from rich.table import Table

    from .terminal import plain

    out = io.StringIO()
    console = Console(file=out, width=width, highlight=False, force_terminal=False)
    console.print(plain(f"Business case changes against {base}", "bold"))
    if not found:
        console.print(plain("No deal changed."))
    for deal in summarise(found):
        console.print()
        console.print(plain(f"{deal.title} ({deal.kind})", "bold"))
        for problem in deal.problems:
            console.print(plain(f"  {problem}"))
        if deal.figures:
            table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
            for heading, justify in (("Figure", "left"), ("Before", "right"), ("After", "right"), ("Change", "right")):
                table.add_column(plain(heading), justify=justify)  # type: ignore[arg-type]
            for m in deal.figures:
                table.add_row(plain(m.label), plain(m.before), plain(m.after), plain(m.change))
            console.print(table)
        elif deal.kind in ("changed", "renamed"):
            console.print(plain("  No computed figure moved."))
        for key, old, new in deal.inputs:
            console.print(plain(f"  {key}: {old} → {new}"))
        if deal.more_inputs:
            console.print(plain(f"  and {deal.more_inputs} more inputs"))
    return out.getvalue().rstrip("\n")


def _rows(before: Report | None, after: Report | None) -> list[Moved]:
    rows: list[Moved] = []
    deal = (after or before).deal if (after or before) else None  # type: ignore[union-attr]
    if deal is None:
        return rows
    for figure in FIGURES:
        if not any(figure.applies(r) for r in (before, after) if r):
            continue
        old = figure.value(before) if before else None
        new = figure.value(after) if after else None
        if before and after and old == new:
            continue
        old_deal, new_deal = (before.deal if before else deal), (after.deal if after else deal)
        rows.append(
            Moved(
                figure.label,
                _show(old, figure.kind, old_deal, before is None),
                _show(new, figure.kind, new_deal, after is None),
                _delta(old, new, figure.kind, new_deal) if before and after else "",
                (_plain(old, before is None), _plain(new, after is None)),
            )
        )
    return rows


def _plain(value: Any, absent: bool) -> Any:
    if absent or value is None:
        return None
    if isinstance(value, tuple):
        return list(value)
    return str(value.quantize(Decimal("0.0001"))) if isinstance(value, Decimal) else value


def _show(value: Any, kind: str, deal: Any, absent: bool) -> str:
    if absent:
        return "—"
    f = Formatter(deal.currency, deal.locale)
    if kind == "money":
        return "—" if value is None else f.money(value)
    if kind == "percent":
        return f.pct(value, 1)
    if kind == "months":
        return f.months(value)
    if kind == "codes":
        return ", ".join(value) or "none"
    return str(value)


def _delta(old: Any, new: Any, kind: str, deal: Any) -> str:
    if kind == "codes":
        added, gone = sorted(set(new) - set(old)), sorted(set(old) - set(new))
        return ", ".join([*(f"+{c}" for c in added), *(f"−{c}" for c in gone)])
    if old is None or new is None:
        return "n/a"
    difference = Decimal(new) - Decimal(old)
    sign = "+" if difference > 0 else "−" if difference < 0 else "±"
    f = Formatter(deal.currency, deal.locale)
    if kind == "money":
        return sign + f.money(abs(difference))
    if kind == "percent":
        return f"{sign}{f.num(abs(difference) * 100)} pp"
    if kind == "months":
        return sign + month_count(abs(difference), deal.locale)
    return f"{sign}{abs(difference)}"


def _inputs(change: Change) -> list[tuple[str, str, str]]:
    """Each key whose value differs between the two versions, with its old and new values (money in each version's currency)."""
    old, new = _flat(change.before_raw), _flat(change.after_raw)
    shown = []
    for key in sorted(set(old) | set(new)):
        if old.get(key) != new.get(key):
            before, after = (_value(key, raw, report) for raw, report in ((old, change.before), (new, change.after)))
            shown.append((key, before, after))
    return shown


def _value(key: str, values: dict[str, Any], report: Report | None) -> str:
    if key not in values:
        return "—"
    value, deal = values[key], report.deal if report else None
    if deal is not None and re.sub(r"\[\d+\]$", "", key) in _money_keys(deal) and isinstance(value, int | Decimal):
        return Formatter(deal.currency, deal.locale).amount(Decimal(value))
    return str(value.isoformat() if hasattr(value, "isoformat") else value)


def _money_keys(deal: Deal) -> set[str]:
    return {dotted(path) for path, _ in marked_fields(deal, MONEY)}


def _flat(raw: bytes | InvalidDeal | None) -> dict[str, Any]:
    if not isinstance(raw, bytes):
        return {}
    try:
        document = parse(raw, "deal")
    except InvalidDeal:
        return {}
    if document.problems:
        return {}
    data = document.data
    out: dict[str, Any] = {}

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{path}.{key}" if path else key)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{path}[{index}]")
        else:
            out[path] = value

    walk(data, "")
    return out
