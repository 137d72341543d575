"""``dealbrief diff``: what a change does to each business case, as Markdown for a pull request.

The old versions are read through git (``git cat-file``), the new ones from the
working tree; both go through the same pipeline, and the figures a CFO or a
deal desk would ask about are compared: not a diff of the YAML, a diff of the case.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import fmt
from ..deal.load import MAX_BYTES, parse, read
from ..deal.model import MONEY, RATE, Deal, marked_fields
from ..engine.config import Config
from ..engine.figures import KEY_FIGURES, KeyFigure, of_the_case, plain, value_of
from ..engine.history import History
from ..engine.pipeline import Analysed, Invalid, Report, analyse_bytes
from ..errors import DealbriefError, InvalidDeal, Problem, dotted
from ..fmt import Formatter, month_count
from ..git import GitError, git
from .render import escape

MAX_KEYS = 25


# Every key figure, then the rules that found something: the figures a CFO, a deal desk or a reviewer asks about.
FINDINGS = KeyFigure("findings", "Findings", "codes", lambda r: tuple(sorted({f.code for f in r.review.findings})))
REOPENED = KeyFigure(
    "reopened", "Questions reopened (stale answers)", "codes", lambda r: tuple(q.id for q in r.review.questions if q.stale)
)
FIGURES = (*KEY_FIGURES, FINDINGS, REOPENED)
# What a revision is compared on: the business case's own figures (not the deal's questions, findings or value measured).
CASE_FIGURES = tuple(f for f in KEY_FIGURES if of_the_case(f))


@dataclass(frozen=True)
class Change:
    """One deal file that was added, removed, renamed or changed."""

    kind: str  # added | removed | renamed | changed
    before: Report | None
    after: Report | None
    before_raw: bytes | InvalidDeal | None
    after_raw: bytes | InvalidDeal | None


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
    except GitError:
        return None


def changes(deals: Path, base: str | None, config: Config) -> tuple[str, str, list[Change]]:
    """Every deal file that differs between ``base`` and the working tree; the base as the user named it (or how the
    default was chosen), its commit, and the changes."""
    top = Path(git(deals if deals.is_dir() else Path("."), "rev-parse", "--show-toplevel").decode("utf-8", "surrogateescape").strip())
    folder = deals.resolve().relative_to(top.resolve()).as_posix() if deals.exists() else deals.as_posix()
    base, named = (base, base) if base else default_base(top)
    commit = _quiet(top, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}")
    if commit is None:
        raise DealbriefError(f"no commit '{base}' in this repository: give a branch, a tag or a commit to --base (git fetch first?)")
    old = _blobs(top, base, _listed(top, base, folder))
    new = {p.relative_to(top).as_posix(): _read(p) for p in sorted((top / folder).glob("*.yaml"))}  # as the build reads them
    renamed = _renames(top, base, folder, old, new)
    history = History(top / folder)

    def report(raw: bytes | InvalidDeal | None, path: str) -> Report | None:
        if isinstance(raw, InvalidDeal):
            return Invalid(Path(path).stem, path, tuple(raw.problems))
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


def _listed(top: Path, base: str, folder: str) -> list[str]:
    """The deal files at ``base``: the ``*.yaml`` files directly in ``folder``, as the build reads them (not in subfolders)."""
    entries = git(top, "ls-tree", "-z", base, "--", f"{folder}/").decode("utf-8", "surrogateescape").split("\0")
    listed = [entry.split("\t", 1) for entry in entries if entry]  # "<mode> <type> <object>\t<path>"
    return [path for meta, path in listed if meta.split()[1] == "blob" and path.endswith(".yaml") and "\n" not in path]  # cat-file: lines


def _read(path: Path) -> bytes | InvalidDeal:
    try:
        return read(path, path.as_posix())
    except InvalidDeal as exc:
        return exc


def _blobs(top: Path, base: str, paths: list[str]) -> dict[str, bytes | InvalidDeal]:
    """The content of ``paths`` at ``base``, read by one ``git cat-file`` rather than one ``git show`` each.

    Blobs over the size limit are not read at all (their size is asked first).
    """
    sizes = git(
        top, "cat-file", "--batch-check=%(objectsize)", data="".join(f"{base}:{p}\n" for p in paths).encode("utf-8", "surrogateescape")
    ).split()
    too_big = {p for p, size in zip(paths, sizes, strict=True) if int(size) > MAX_BYTES}
    blobs: dict[str, bytes | InvalidDeal] = {
        p: InvalidDeal([Problem(p, 1, 1, "", f"file is over {MAX_BYTES:,} bytes, the most a deal file may be")]) for p in too_big
    }
    paths = [p for p in paths if p not in too_big]
    out = git(top, "cat-file", "--batch", data="".join(f"{base}:{p}\n" for p in paths).encode("utf-8", "surrogateescape"))
    at = 0
    for path in paths:
        header_end = out.index(b"\n", at)
        size = int(out[at:header_end].split()[2])
        blobs[path] = out[header_end + 1 : header_end + 1 + size]
        at = header_end + 1 + size + 1
    return blobs


def _renames(top: Path, base: str, folder: str, old: dict[str, Any], new: dict[str, Any]) -> dict[str, str]:
    """Old path → new path: what git sees as renamed between two deal files, and any removed file whose exact content reappears.

    A deal moved into a subfolder is removed (the build no longer reads it), not renamed.
    """
    pairs: dict[str, str] = {}
    status = git(top, "diff", "-M", "--name-status", "-z", base, "--", folder).decode("utf-8", "surrogateescape").split("\0")
    for index, entry in enumerate(status):
        if entry.startswith("R") and index + 2 < len(status) and status[index + 1] in old and status[index + 2] in new:
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
    plain: tuple[Any, Any]  # for tools: decimals (as engine.figures.plain rounds them), counts or rule codes (None where absent)
    difference: Any  # for tools: after − before, or the codes added and removed; None where they cannot be compared


@dataclass(frozen=True)
class Edited:
    """One input whose value differs: as shown (money in each version's currency) and as the deal file has it."""

    key: str
    before: str
    after: str
    plain: tuple[Any, Any]  # for tools: null, true/false, numbers, date strings (None where absent)


@dataclass(frozen=True)
class DealDiff:
    """What one changed deal file does to its case: its figures that moved, and each input's old and new value."""

    title: str
    kind: str
    problems: list[str]  # a version that is invalid, said once
    currency: tuple[str | None, str | None]  # each valid version's currency (None where absent or invalid)
    figures: list[Moved]
    inputs: list[Edited]
    more_inputs: int  # inputs left out after MAX_KEYS

    @property
    def currency_note(self) -> str | None:
        """Why money figures have no change: amounts in two currencies are not subtracted."""
        old, new = self.currency
        return f"Currency changed: {old} → {new}; money figures are not compared (n/a)" if old and new and old != new else None


def summarise(found: list[Change]) -> list[DealDiff]:
    """Every changed deal as a :class:`DealDiff`: the one model the three formats print."""
    diffs = []
    for change in found:
        before, after = change.before, change.after
        either = after or before
        assert either is not None  # a change has a version on one side at least
        name = either.id
        title = f"{before.id} → {after.id}" if change.kind == "renamed" and before and after else name
        problems = [
            f"invalid {when} the change: {len(report.problems)} problem(s), first: {report.problems[0]}"
            for report, when in ((before, "before"), (after, "after"))
            if report and not report.valid
        ]
        inputs = _inputs(change) if change.kind in ("changed", "renamed") else []
        old, new = (report if isinstance(report, Analysed) else None for report in (before, after))
        currency = (_currency(old), _currency(new))
        diffs.append(DealDiff(title, change.kind, problems, currency, _rows(old, new), inputs[:MAX_KEYS], max(0, len(inputs) - MAX_KEYS)))
    return diffs


def _currency(report: Analysed | None) -> str | None:
    return report.deal.currency if report else None


def markdown(base: str, found: list[Change]) -> str:
    """For a pull request (GitHub renders it): a table per deal of the figures that moved, and the inputs that changed."""
    lines = [f"## Business case changes against {_inert(base)}", ""]
    if not found:
        return "\n".join([*lines, "No deal changed.", ""])
    for deal in summarise(found):
        lines += [f"### {_inert(deal.title)} ({deal.kind})", ""]
        lines += [f"- {_inert(problem[0].upper() + problem[1:])}" for problem in deal.problems]
        lines += [f"- {_inert(deal.currency_note)}"] if deal.currency_note else []
        if deal.figures:
            lines += ["", "| Figure | Before | After | Change |", "|:--|--:|--:|--:|"]
            lines += [f"| {m.label} | {_inert(m.before)} | {_inert(m.after)} | {_inert(m.change)} |" for m in deal.figures]
        elif deal.kind in ("changed", "renamed"):
            lines.append("No computed figure moved.")
        if deal.inputs:
            lines += ["", "Inputs changed:", "", *(f"- {_inert(i.key)}: {_inert(i.before)} → {_inert(i.after)}" for i in deal.inputs)]
            lines += [f"- and {deal.more_inputs} more"] if deal.more_inputs else []
        lines.append("")
    return "\n".join(lines)


def _inert(value: Any) -> str:
    """Deal text for a pull-request comment: :func:`escape`, and no ``@name`` GitHub would notify or ``#12`` it would
    link (a backslash does not stop either): a zero-width space after each ``@`` and ``#``, as Dependabot writes them."""
    return escape(value).replace("\\@", "@&#8203;").replace("\\#", "#&#8203;")


def as_json(base: str, commit: str, found: list[Change]) -> dict[str, Any]:
    """For tools: the same model, each figure with its shown and plain values."""
    return {
        "base": {"ref": base, "commit": commit},
        "deals": [
            {
                "deal": deal.title,
                "change": deal.kind,
                "problems": deal.problems,
                "currency": {"before": deal.currency[0], "after": deal.currency[1]},
                "figures": [
                    {
                        "label": m.label,
                        "before": m.plain[0],
                        "after": m.plain[1],
                        "change": m.difference,
                        "shown": [m.before, m.after, m.change],
                    }
                    for m in deal.figures
                ],
                "inputs": [{"key": i.key, "before": i.plain[0], "after": i.plain[1], "shown": [i.before, i.after]} for i in deal.inputs],
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
        if deal.currency_note:
            console.print(plain(f"  {deal.currency_note}"))
        if deal.figures:
            table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
            table.add_column(plain("Figure"), justify="left")
            for heading in ("Before", "After", "Change"):
                table.add_column(plain(heading), justify="right")
            for m in deal.figures:
                table.add_row(plain(m.label), plain(m.before), plain(m.after), plain(m.change))
            console.print(table)
        elif deal.kind in ("changed", "renamed"):
            console.print(plain("  No computed figure moved."))
        for i in deal.inputs:
            console.print(plain(f"  {i.key}: {i.before} → {i.after}"))
        if deal.more_inputs:
            console.print(plain(f"  and {deal.more_inputs} more inputs"))
    return out.getvalue().rstrip("\n")


def _rows(before: Analysed | None, after: Analysed | None, figures: tuple[KeyFigure, ...] = FIGURES) -> list[Moved]:
    rows: list[Moved] = []
    either = after or before
    if either is None:
        return rows
    deal = either.deal
    for figure in figures:
        if figure.won and not any(r.progress for r in (before, after) if r):  # a figure only won deals have
            continue
        if figure.committed and not any(r.case.drawdown for r in (before, after) if r):  # only deals with a commitment
            continue
        old = value_of(figure, before) if before else None
        new = value_of(figure, after) if after else None
        if figure is REOPENED and not (old or new):  # a list of what a change reopened: nothing to say when it is empty
            continue
        plain_old, plain_new = plain(old, figure.kind), plain(new, figure.kind)
        old_deal, new_deal = (before.deal if before else deal), (after.deal if after else deal)
        if before and after and plain_old == plain_new and _comparable(figure.kind, old_deal, new_deal):
            continue  # a move too small to show is no move
        change, difference = _change(plain_old, plain_new, figure.kind, old_deal, new_deal) if before and after else ("", None)
        rows.append(
            Moved(
                figure.label,
                _show(old, figure.kind, old_deal, before is None),
                _show(new, figure.kind, new_deal, after is None),
                change,
                (plain_old, plain_new),
                difference,
            )
        )
    return rows


def _show(value: Any, kind: str, deal: Any, absent: bool) -> str:
    if absent:
        return "—"
    f = Formatter(deal.currency, deal.locale)
    if kind == "money":
        return "—" if value is None else f.money(value)
    if kind == "percent":
        return f.pct(value, 1)
    if kind == "times":
        return f.times(value)
    if kind == "months":
        return f.months(value)
    if kind == "codes":
        return ", ".join(value) or "none"
    return str(value)


def _change(old: Any, new: Any, kind: str, old_deal: Deal, deal: Deal) -> tuple[str, Any]:
    """The change between the plain values as shown and for tools (so after − before is the change, exactly); "n/a" and
    None where there is no difference to take: a figure one version lacks, or amounts in two currencies (USD 100 before
    and EUR 90 after did not fall by 10 of anything)."""
    if kind == "codes":
        added, gone = sorted(set(new) - set(old)), sorted(set(old) - set(new))
        return ", ".join([*(f"+{c}" for c in added), *(f"−{c}" for c in gone)]), {"added": added, "removed": gone}
    if old is None or new is None or not _comparable(kind, old_deal, deal):
        return "n/a", None
    difference = new - old
    return _delta(Decimal(difference), kind, deal), difference


def _comparable(kind: str, old_deal: Deal, new_deal: Deal) -> bool:
    """Can the two versions' values of a figure be subtracted? Not amounts of money in two currencies."""
    return kind != "money" or old_deal.currency == new_deal.currency


def _delta(difference: Decimal, kind: str, deal: Deal) -> str:
    """The change as people read it: signed, never ``−$0`` — a move of cents shows its cents, one too small to show a
    tenth is ``±0``."""
    f, size = Formatter(deal.currency, deal.locale), abs(difference)
    shown_size = size * 100 if kind == "percent" else size
    if kind != "money" and fmt.rounded(shown_size, Decimal("0.1")) == 0:
        difference = Decimal(0)
    sign = "+" if difference > 0 else "−" if difference < 0 else "±"
    if kind == "money":
        return sign + (f.money(size) if fmt.whole(size) else f.amount(size))
    if kind == "percent":
        return f"{sign}{f.num(shown_size)} pp"
    if kind == "times":
        return sign + f.times(size)
    if kind == "months":
        return sign + month_count(size, deal.locale)
    return f"{sign}{size}"


def _inputs(change: Change) -> list[Edited]:
    """Each key whose value differs between the two versions, with its old and new values (money in each version's currency).

    Nothing when a version cannot be read as YAML: that version is reported as invalid, not every input as added or removed.
    """
    old, new = _flat(change.before_raw), _flat(change.after_raw)
    if old is None or new is None:
        return []
    edited = []
    for key in sorted(set(old) | set(new)):
        if key not in old or key not in new or old[key] != new[key]:
            shown = [_value(key, raw, report) for raw, report in ((old, change.before), (new, change.after))]
            edited.append(Edited(key, shown[0], shown[1], (_typed(old.get(key)), _typed(new.get(key)))))
    return edited


def _value(key: str, values: dict[str, Any], report: Report | None) -> str:
    if key not in values:
        return "—"
    value, deal = values[key], report.deal if isinstance(report, Analysed) else None
    if deal is not None and re.sub(r"\[\d+\]$", "", key) in _money_keys(deal) and isinstance(value, int | Decimal):
        return Formatter(deal.currency, deal.locale).amount(Decimal(value))
    value = _typed(value)
    return json.dumps(value) if value is None or isinstance(value, bool) else str(value)  # null, true, false as YAML writes them


def _typed(value: Any) -> Any:
    """An input's value for JSON: null, true/false and numbers as they are (a decimal exact); dates as ISO text."""
    return value.isoformat() if isinstance(value, date) else value


def _money_keys(deal: Deal) -> set[str]:
    return {dotted(path) for marker in (MONEY, RATE) for path, _ in marked_fields(deal, marker)}


def _flat(raw: bytes | InvalidDeal | None) -> dict[str, Any] | None:
    """Every leaf of the deal file by its dotted key; None if it cannot be read as YAML."""
    if not isinstance(raw, bytes):
        return None
    try:
        document = parse(raw, "deal")
    except InvalidDeal:
        return None
    if document.problems:
        return None
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


@dataclass(frozen=True)
class Revision:
    """A deal edited since the version sent, in what the summary shows: that version's date and hash, the figures that moved."""

    sent: date
    digest: str
    figures: list[Moved]


def revision(report: Analysed) -> Revision | None:
    """What moved since the version the CFO received, if the deal is a revision of it."""
    if not (report.revised and report.sent and report.deal.sent):
        return None
    return Revision(report.deal.sent.date, report.sent.report.digest, _rows(report.sent.report, report, CASE_FIGURES))
