"""How ``dealbrief check`` reports problems and findings: text, JSON, or GitHub annotations."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass

from ..engine.pipeline import Analysed, Report
from ..text import printable, printable_json, printable_name


@dataclass(frozen=True)
class Entry:
    """A problem or a finding, flattened for reporting."""

    file: str
    line: int
    column: int
    key: str
    severity: str
    code: str | None
    slug: str | None
    message: str


def entries(reports: list[Report]) -> Iterator[Entry]:
    for report in reports:
        for p in report.problems:
            yield Entry(p.file, p.line, p.column, p.key, "error", None, None, p.message)
        for f in report.review.findings if isinstance(report, Analysed) else ():
            yield Entry(report.file, f.line, f.column, f.key, f.severity, f.code, f.slug, f.logged())


def exit_code(reports: list[Report], strict: bool) -> int:
    """2 when a deal is unusable, 1 for an error finding (any finding with ``strict``), else 0."""
    if any(r.problems for r in reports):
        return 2
    findings = [f for r in reports if isinstance(r, Analysed) for f in r.review.findings]
    return 1 if any(strict or f.severity == "error" for f in findings) else 0


def text(reports: list[Report]) -> str:
    return "\n".join([*(_line(e) for e in entries(reports)), _summary(reports)])


def errors(reports: list[Report]) -> list[str]:
    """What ``check`` says of the problems and error findings that make it exit 1 or 2: the build logs them as warnings,
    so ``mkdocs build --strict`` fails where ``check`` does."""
    return [_line(e) for e in entries(reports) if e.severity == "error"]


def _line(e: Entry) -> str:
    where = f"{printable_name(e.file)}:{e.line}:{e.column}: " + (f"{e.key}: " if e.key else "")
    tag = f" [{e.severity} {e.code} {e.slug}]" if e.code else ""
    return printable(f"{where}{e.message}{tag}")


def _summary(reports: list[Report]) -> str:
    valid = [r.review for r in reports if isinstance(r, Analysed)]
    counts = {s: sum(review.count(s) for review in valid) for s in ("error", "warning")}
    # open blocking questions as show, the dashboard and the export count them (the SE's own included); the rules'
    # few questions that do not hold the handoff gate (after the signature) are said apart
    blocking = sum(len(review.open_blocking) for review in valid)
    later = sum(1 for review in valid for q in review.questions if q.code and not q.blocking and not q.answered)
    invalid = len(reports) - len(valid)
    parts = [f"{len(reports)} deal{'s' * (len(reports) != 1)} checked"]
    parts += [f"{invalid} invalid"] if invalid else []
    parts += [
        f"{n} {name}{'s' * (n != 1)}"
        for name, n in (
            ("error", counts["error"]),
            ("warning", counts["warning"]),
            ("open blocking question", blocking),
            ("open question", later),
        )
        if n
    ]
    return ": ".join([parts[0], ", ".join(parts[1:]) or "clean"])


def as_json(reports: list[Report]) -> str:
    return printable_json([asdict(e) for e in entries(reports)])


def github(reports: list[Report]) -> str:
    """Workflow commands, so each problem shows on its line of the pull request."""
    lines = []
    for e in entries(reports):
        level = {"error": "error", "warning": "warning"}.get(e.severity, "notice")
        title = f"{e.code} {e.slug}" if e.code else "invalid deal"
        props = f"file={_prop(e.file)},line={e.line},col={e.column},title={_prop(title)}"
        lines.append(printable(f"::{level} {props}::{_data((e.key + ': ' if e.key else '') + e.message)}"))
    return "\n".join(lines)


def _data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(value: str) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")
