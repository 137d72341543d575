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


def default_base(top: Path) -> str:
    """The merge base with ``origin/main``, or ``HEAD`` where there is no such branch."""
    try:
        base = git(top, "merge-base", "origin/main", "HEAD").decode().strip()
    except DealbriefError:
        return "HEAD"
    return git(top, "rev-parse", "--short=12", base).decode().strip()


def changes(deals: Path, base: str | None, config: Config) -> tuple[str, list[Change]]:
    """Every deal file that differs between ``base`` and the working tree; the base as named."""
    top = Path(git(deals if deals.is_dir() else Path("."), "rev-parse", "--show-toplevel").decode().strip())
    folder = deals.resolve().relative_to(top.resolve()).as_posix() if deals.exists() else deals.as_posix()
    base = base or default_base(top)
    git(top, "rev-parse", "--verify", f"{base}^{{commit}}")
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
    return base, found


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


def markdown(base: str, found: list[Change]) -> str:
    """The pull-request summary: a table per deal of the figures that moved, and the input keys that changed."""
    lines = [f"## Business case changes against `{base}`", ""]
    if not found:
        return "\n".join([*lines, "No deal changed.", ""])
    for change in found:
        lines += _section(change)
    return "\n".join(lines)


def _section(change: Change) -> list[str]:
    before, after = change.before, change.after
    name = (before or after).id  # type: ignore[union-attr]
    title = f"{before.id} → {after.id}" if change.kind == "renamed" and before and after else name
    lines = [f"### {escape(title)} ({change.kind})", ""]
    for report, when in ((before, "before"), (after, "after")):
        if report and not report.valid:
            lines.append(f"- Invalid {when} the change: {len(report.problems)} problem(s), first: {escape(report.problems[0])}")
    rows = _rows(before if before and before.valid else None, after if after and after.valid else None)
    if rows:
        lines += ["", "| Figure | Before | After | Change |", "|:--|--:|--:|--:|", *rows]
    elif change.kind in ("changed", "renamed"):
        lines.append("No computed figure moved.")
    inputs = _inputs(change) if change.kind in ("changed", "renamed") else []
    if inputs:
        more = [f"- and {len(inputs) - MAX_KEYS} more"] if len(inputs) > MAX_KEYS else []
        lines += ["", "Inputs changed:", "", *inputs[:MAX_KEYS], *more]
    return [*lines, ""]


def _rows(before: Report | None, after: Report | None) -> list[str]:
    rows = []
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
        rows.append(
            f"| {figure.label} | {_show(old, figure.kind, deal, before is None)} | {_show(new, figure.kind, deal, after is None)} "
            f"| {_delta(old, new, figure.kind, deal) if before and after else ''} |"
        )
    return rows


def _show(value: Any, kind: str, deal: Any, absent: bool) -> str:
    if absent:
        return "—"
    f = Formatter(deal.currency, deal.locale)
    if kind == "money":
        return "—" if value is None else escape(f.money(value))
    if kind == "percent":
        return escape(f.pct(value, 1))
    if kind == "months":
        return escape(f.months(value))
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
        return sign + escape(f.money(abs(difference)))
    if kind == "percent":
        return f"{sign}{escape(f.num(abs(difference) * 100))} pp"
    if kind == "months":
        return sign + escape(month_count(abs(difference), deal.locale))
    return f"{sign}{abs(difference)}"


def _inputs(change: Change) -> list[str]:
    """Each key whose value differs between the two versions, with its old and new values (money in each version's currency)."""
    old, new = _flat(change.before_raw), _flat(change.after_raw)
    shown = []
    for key in sorted(set(old) | set(new)):
        if old.get(key) != new.get(key):
            before, after = (_value(key, raw, report) for raw, report in ((old, change.before), (new, change.after)))
            shown.append(f"- {escape(key)}: {before} → {after}")
    return shown


def _value(key: str, values: dict[str, Any], report: Report | None) -> str:
    if key not in values:
        return "—"
    value, deal = values[key], report.deal if report else None
    if deal is not None and re.sub(r"\[\d+\]$", "", key) in _money_keys(deal) and isinstance(value, int | Decimal):
        return escape(Formatter(deal.currency, deal.locale).amount(Decimal(value)))
    return escape(value.isoformat() if hasattr(value, "isoformat") else value)


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
