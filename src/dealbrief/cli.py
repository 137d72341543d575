"""The ``dealbrief`` command line: a thin adapter over the pipeline, and the one error boundary.

Exit codes (the README's "The command line"): 0 fine, 1 findings at error level (or any with --strict),
2 unusable input or usage.  Run from the repository root: deals in ``deals/``.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
from datetime import date
from importlib import resources
from pathlib import Path

from . import __version__
from .deal.model import Deal
from .deal.validate import bad_deal_id
from .engine.config import load_config
from .engine.pipeline import DEALS_DIR, Analysed, analyse, analyse_all, find_deal
from .errors import DealbriefError
from .text import loggable, printable_json

LOCK_TIMEOUT = 600.0  # seconds `dealbrief pdf` waits for a build of the same repository to finish
ID_HELP = "the deal id (the file name in deals/ without .yaml)"
EPILOG = "Exit codes: 0 fine, 1 error findings (any finding with --strict), 2 unusable input or usage."


def say(*lines: object, error: bool = False, annotations: bool = False) -> None:
    """Print each of ``lines`` as one line, made :func:`loggable`: the one way this command line writes to a terminal or a log.

    A line break inside a line is shown as ``\\n``, so no text can start a line of its own; only ``annotations``
    (``check --format github``) may be workflow commands.
    """
    print("\n".join(loggable(str(line), annotations) for line in lines), file=sys.stderr if error else sys.stdout, flush=True)


def cmd_new(args: argparse.Namespace) -> int:
    if bad_deal_id(args.id):  # the same rule the file name is checked against
        raise DealbriefError(
            f"'{args.id}' is not a deal id: use lowercase letters, digits and hyphens (not a Windows device name such as con), "
            "e.g. acme-observability"
        )
    path = DEALS_DIR / f"{args.id}.yaml"
    if Path.cwd().name == DEALS_DIR.name and not DEALS_DIR.exists():  # deals/deals/ID.yaml would be read by nothing
        raise DealbriefError(f"this is the {DEALS_DIR}/ folder itself: run dealbrief from the repository root (cd ..)")
    if path.exists() or path.is_symlink():  # a link, even to nowhere: writing through it would write elsewhere
        raise DealbriefError(f"{path} already exists; edit it, or choose another id")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as new:  # "x": never through a link or over a file made meanwhile
        new.write(resources.files(__package__).joinpath("skeleton.yaml").read_text(encoding="utf-8"))
    say(f"wrote {path}: fill it in, then run `dealbrief check {path}`")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from .output import check_report

    reports = analyse_all(args.paths or [DEALS_DIR], load_config())
    render = {"text": check_report.text, "json": check_report.as_json, "github": check_report.github}[args.format]
    output = render(reports)
    if output:
        say(*output.split("\n"), annotations=args.format == "github")
    for note in sorted({r.unchecked for r in reports if isinstance(r, Analysed) and r.unchecked}):  # said once, not once a deal
        say(f"dealbrief: note: {note}", error=True)
    return check_report.exit_code(reports, args.strict)


def cmd_show(args: argparse.Namespace) -> int:
    result = analyse(find_deal(args.id), load_config())
    if not isinstance(result, Analysed):
        say(*result.problems, error=True)
        return 2
    if args.json:
        from .output.show_json import figures

        say(*printable_json(figures(result)).split("\n"))
        return 0
    from .output.terminal import show

    print(show(result))
    return 0


def cmd_pdf(args: argparse.Namespace) -> int:
    from importlib.util import find_spec

    missing = [name for name in ("typst", "pypandoc", "pypdf") if find_spec(name) is None]
    if missing:
        raise DealbriefError(f"the PDFs need {', '.join(missing)}: pip install 'dealbrief[site]'")
    from .content_cache import Cache
    from .output.render import Renderer
    from .pdf.export import export_reports, export_value_reports

    config = load_config()
    reports = [analyse(find_deal(i), config) for i in args.ids] if args.ids else analyse_all([DEALS_DIR], config)
    for report in reports:
        for problem in report.problems:
            say(problem, error=True)
    without = [r for r in reports if isinstance(r, Analysed) and not r.value_report and (args.ids or r.promise_problem)]
    if args.value:
        for report in without:
            why = report.promise_problem or "it has no realization: section (the README's After the signature)"
            say(f"dealbrief: {report.file}: no Value Report: {why}", error=True)
    cache = Cache()
    lock = cache.lock(LOCK_TIMEOUT, lambda: say("dealbrief: another build in this repository is running; waiting for it to finish"))
    try:
        export = export_value_reports if args.value else export_reports
        outcome = export(reports, Renderer(config.templates), args.out, args.paper, cache)
    finally:
        lock.release()
    for name in sorted(outcome.files):
        say(f"{args.out / name}{'' if name in outcome.exported else ' (unchanged: from the cache)'}")
    for name, message in sorted(outcome.failed.items()):
        say(f"dealbrief: {name}: {message}", error=True)
    if outcome.damaged:
        say(f"dealbrief: {len(outcome.damaged)} damaged cache entries were made again: {'; '.join(outcome.damaged)}", error=True)
    return 2 if any(r.problems for r in reports) or (args.value and without) else (1 if outcome.failed else 0)


def cmd_init(args: argparse.Namespace) -> int:
    from .scaffold import init

    written = init(args.dir, args.requirement)
    say(f"wrote {len(written)} files into {args.dir}:", *(f"  {path.relative_to(args.dir)}" for path in written))
    say(f"next: cd {args.dir} && pip install -r requirements.txt && mkdocs serve")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    import shutil

    from .output.diff import as_json, changes, markdown, terminal

    named, commit, found = changes(DEALS_DIR, args.base, load_config())
    if args.format == "json":
        output = printable_json(as_json(named, commit, found))
    elif args.format == "markdown":
        output = markdown(named, found)
    else:
        output = terminal(named, found, shutil.get_terminal_size().columns)
    say(*output.split("\n"))
    return 0


def cmd_sent(args: argparse.Namespace) -> int:
    from .sent import record_sent, uncommitted

    path = find_deal(args.id)
    if args.date > date.today():
        raise DealbriefError(f"--date {args.date} is in the future: record a summary once it has been sent")
    report = analyse(path, load_config())
    if not isinstance(report, Analysed):
        say(*report.problems, error=True)
        raise DealbriefError(f"{path} has problems: fix them (dealbrief check), commit, then record the version sent")
    if holding := _holding_the_send(report):
        say(*holding, error=True)
        if why := uncommitted(path):  # said too, so one run names everything to do
            say(f"dealbrief: {why}", error=True)
        say(f"dealbrief: {path}: not sent: the summary goes out only once the handoff gate has passed; nothing was written", error=True)
        return 1
    digest, moved_from = record_sent(path, args.date, args.replace)
    say(f"{path}: sent: {{date: {args.date.isoformat()}, file_hash: {digest}}}: the PDF made from this version prints {digest[:12]}")
    if moved_from:
        say(f"{path}: stage: {moved_from} → summary-sent")
    if report.deal.stage != "closed-won":
        say("next: commit this change; once the contract is signed, set stage: closed-won and signed: (the README's After the signature)")
    else:
        say("next: commit this change")
    return 0


def _holding_the_send(report: Analysed) -> list[str]:
    """What stops a summary from going out: the handoff meeting not held, each blocking question open or stale, each error."""
    where = report.file
    held = [f"{where}: handoff.meeting: no handoff meeting is recorded"] if report.deal.handoff.meeting is None else []
    held += [
        f"{where}:{q.line}:{q.column}: question {q.id} ({q.owner}) is {'stale: ' + q.stale if q.stale else 'open'}"
        for q in report.review.open_blocking
    ]
    errors = [f for f in report.review.findings if f.severity == "error"]
    held += [f"{where}:{f.line}:{f.column}: {f.key}: {f.logged()} [error {f.code} {f.slug}]" for f in errors]
    return held


def cmd_export(args: argparse.Namespace) -> int:
    from .content_cache import write_atomically
    from .output import crm

    if args.out:
        _writable_file(args.out)
    reports = analyse_all([DEALS_DIR], load_config())
    for report in reports:
        for problem in report.problems:
            say(problem, error=True)
    found = crm.rows(reports, crm.site_url(Path("mkdocs.yml")), crm.last_commits(r.file for r in reports if r.valid))
    output = crm.as_csv(found) if args.format == "csv" else crm.as_json(found)
    if args.out:
        write_atomically(args.out, output.encode("utf-8"))  # a CRM sync never reads half a file
        say(f"wrote {len(found)} deals to {args.out}")
    else:
        say(*output.rstrip("\r\n").replace("\r\n", "\n").split("\n"))
    return 2 if any(r.problems for r in reports) else 0


def _writable_file(path: Path) -> None:
    """``--out FILE`` names a file in a folder that exists: checked before any work, so a typo costs nothing and makes nothing."""
    if path.is_dir():
        raise DealbriefError(f"--out {path} is a folder: name the file to write, e.g. {path / 'deals.csv'}")
    if not path.parent.is_dir():
        raise DealbriefError(f"--out {path}: there is no folder {path.parent}; make it first, or name a file in an existing folder")


def cmd_rules(args: argparse.Namespace) -> int:
    from .engine.lint import RULES
    from .output import rule_list

    output = rule_list.text(RULES) if args.format == "text" else printable_json(rule_list.as_data(RULES))
    say(*output.split("\n"))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    say(*json.dumps(Deal.model_json_schema(), indent=2, ensure_ascii=False).split("\n"))
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="dealbrief",
        description="Turn a proof of concept into the CFO's business case and the AE's handoff checklist. "
        "Run it from the repository root; deals live in deals/<id>.yaml.",
        epilog=EPILOG,
    )
    top.add_argument("--version", action="version", version=f"dealbrief {__version__}")
    commands = top.add_subparsers(title="commands", metavar="COMMAND", required=True)

    new = commands.add_parser(
        "new",
        help="start a deal file from a commented skeleton",
        epilog=EPILOG,
        description="Write deals/ID.yaml, a commented skeleton at stage discovery that passes `check`.",
    )
    new.add_argument("id", metavar="ID", help="the deal id: lowercase letters, digits, hyphens (e.g. acme-observability)")
    new.set_defaults(run=cmd_new)

    check = commands.add_parser(
        "check",
        help="validate and lint deals",
        epilog=EPILOG,
        description="Validate every deal and lint its commercial risks; each problem as file:line:column.",
    )
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="deal files or folders (default: deals/)")
    check.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="text for people, json for tools, github for workflow annotations (default: text)",
    )
    check.add_argument("--strict", action="store_true", help="fail (exit 1) on any finding, warnings and open questions included")
    check.set_defaults(run=cmd_check)

    show = commands.add_parser(
        "show",
        help="show a deal's business case",
        epilog=EPILOG,
        description="The business case in the terminal: cost, savings and return first, then the "
        "cash flow, the price-defense facts, the handoff questions and findings.",
    )
    show.add_argument("id", metavar="ID", help=ID_HELP)
    show.add_argument("--json", action="store_true", help="print the computed figures as JSON (decimal strings)")
    show.set_defaults(run=cmd_show)

    pdf = commands.add_parser(
        "pdf",
        help="export the one-page Executive Summary PDFs (and the internal handoff PDFs, and won deals' Value Reports)",
        epilog=EPILOG + " A PDF that cannot be made (too long for one page, say) exits 1.",
        description="Export DEAL.pdf (the one-page Executive Summary for the CFO, marked DRAFT while "
        "the handoff gate is open), DEAL-handoff.pdf (internal) and, for a won deal with measured value, DEAL-value.pdf "
        "(the one-page Value Report, marked DRAFT while a measurement is unconfirmed) for each deal, through pandoc and "
        "Typst. Unchanged deals are taken from the cache in .cache/dealbrief/.",
    )
    pdf.add_argument("ids", nargs="*", metavar="ID", help="deal ids (default: every deal in deals/)")
    pdf.add_argument("--out", type=Path, default=Path("pdfs"), metavar="DIR", help="where to write (default: pdfs/)")
    pdf.add_argument("--paper", choices=("a4", "us-letter"), help="paper size (default: from the deal's locale)")
    pdf.add_argument(
        "--value", action="store_true", help="only the Value Reports (DEAL-value.pdf) of won deals, for the customer's business reviews"
    )
    pdf.set_defaults(run=cmd_pdf)

    preview = commands.add_parser(
        "preview",
        help="serve one deal's pages, rebuilt within a moment of each save",
        epilog=EPILOG,
        description="Build the pages and PDFs of deal ID and the dashboard with this repository's mkdocs.yml, serve them at "
        "http://127.0.0.1:PORT/, and rebuild them whenever a deal, dealbrief.toml, mkdocs.yml or a template changes — in about "
        "a second even among 1,000 deals, where `mkdocs serve` rebuilds every page. Search finds this deal only, and the "
        "dashboard's links to other deals lead nowhere until `make site`.",
    )
    preview.add_argument("id", metavar="ID", help=ID_HELP)
    preview.add_argument("--port", type=int, default=8001, help="the local port to serve on (default: 8001; 0 picks a free one)")
    preview.set_defaults(run=cmd_preview)

    init = commands.add_parser(
        "init",
        help="scaffold a new deal repository",
        epilog=EPILOG,
        description="Write a deal repository into DIR: deals/ with one example, mkdocs.yml, the GitHub workflows "
        "(CI and Pages), .pre-commit-config.yaml, .gitignore, requirements.txt and a short README. "
        "`mkdocs build --strict` passes in it straight away.",
    )
    init.add_argument("dir", metavar="DIR", type=Path, help="the new repository's folder (created; must not hold these files)")
    init.add_argument(
        "--requirement",
        metavar="SPEC",
        help="what the repository installs (default: dealbrief[site]==this version, from the package index); until a release, "
        "e.g. 'dealbrief[site] @ git+https://github.com/acme/dealbrief@v0.1.0' or a wheel's path",
    )
    init.set_defaults(run=cmd_init)

    diff = commands.add_parser(
        "diff",
        help="what a change does to each business case",
        epilog=EPILOG,
        description="For every deal added, removed, renamed or changed between REF and the working tree: each computed "
        "figure that moved (cost, savings, NPV, ROI, payback, break-even, open blocking questions, findings, value realized) "
        "and each input that changed, with its old and new value. The first line names the base.",
    )
    diff.add_argument(
        "--base",
        metavar="REF",
        help="the git ref to compare with (default: the merge base with origin/main, else with the branch's upstream, else HEAD)",
    )
    diff.add_argument(
        "--format",
        choices=("text", "markdown", "json"),
        default="text",
        help="text for the terminal, markdown for a pull request (what CI posts), json for tools (default: text)",
    )
    diff.set_defaults(run=cmd_diff)

    sent = commands.add_parser(
        "sent",
        help="record which version of a deal the CFO received (the promise)",
        epilog=EPILOG,
        description="Write `sent: {date, file_hash}` into deals/ID.yaml for its committed version: the hash its PDFs print in "
        "their footer, by which the promise is found in the git history later. Refuses a file with uncommitted changes. "
        "Moves the stage to summary-sent if it is earlier.",
    )
    sent.add_argument("id", metavar="ID", help=ID_HELP)
    sent.add_argument("--date", type=_day, default=date.today(), metavar="YYYY-MM-DD", help="when it was sent (default: today)")
    sent.add_argument("--replace", action="store_true", help="replace a version already recorded (the promise changes with it)")
    sent.set_defaults(run=cmd_sent)

    export = commands.add_parser(
        "export",
        help="every valid deal's figures for a CRM import (CSV or JSON)",
        epilog=EPILOG + " An invalid deal is reported and left out (exit 2); the others are exported.",
        description="One row per valid deal, keyed by the deal id (for Salesforce Data Loader, `sf data upsert bulk "
        "--external-id deal_id`, HubSpot imports): stage, customer, currency, annual and total contract value, total cost, "
        "annual benefit, NPV, ROI, payback months, open blocking questions, the summary's URL (site_url in mkdocs.yml), the "
        "deal file's hash and last commit. Plain decimals, ISO dates, UTF-8 with a header row; nothing internal.",
    )
    export.add_argument("--format", choices=("csv", "json"), default="csv", help="csv (default) or json")
    export.add_argument("--out", type=Path, metavar="FILE", help="write to FILE instead of printing")
    export.set_defaults(run=cmd_export)

    rules = commands.add_parser(
        "rules",
        help="list every rule: the format's checks and the commercial lint",
        description="List every rule, in the order of their codes: code, slug, phase (format: makes a deal invalid; lint: "
        "a finding or a handoff question), default severity, the question it asks, and its summary; --format json adds "
        "each rule's rationale and its passing and failing examples (changes to a clean deal).",
    )
    rules.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")
    rules.set_defaults(run=cmd_rules)

    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of the deal format",
        description="Print the JSON Schema of the deal format (checked in as schema/deal.schema.json).",
    )
    schema.set_defaults(run=cmd_schema)
    return top


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date such as 2026-11-30, found '{text}'") from None


def cmd_preview(args: argparse.Namespace) -> int:
    from .preview import serve

    find_deal(args.id)
    if not Path("mkdocs.yml").is_file():
        raise DealbriefError("no mkdocs.yml here: run dealbrief preview from the repository root (dealbrief init makes one)")
    serve(args.id, args.port, Path("mkdocs.yml").absolute(), say)
    return 0


NOT_YOURS = "; check that the folder is yours to write (a build run with sudo or in a container leaves it theirs)"
FIX = {  # what to do about the file system's refusals that a user can fix
    errno.EACCES: NOT_YOURS,
    errno.EPERM: NOT_YOURS,
    errno.EROFS: "; the folder is on a read-only file system: work in a copy of the repository",
    errno.ENOSPC: "; free some disk space, then run this again",
    errno.EEXIST: "; move it away, or choose another name",
    errno.ENOTDIR: "; a file stands where a folder should be: move it away",
    errno.ENOENT: "; check that the folder exists",
}


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except DealbriefError as exc:
        say(f"dealbrief: {exc}", error=True)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # the machine's, not the deal's: a folder that is not writable, a full disk
        where = f"{exc.filename}: " if exc.filename else ""
        say(f"dealbrief: {where}{exc.strerror or exc}{FIX.get(exc.errno or 0, '')}", error=True)
        return 2
    except Exception as exc:
        say(f"dealbrief: internal error ({type(exc).__name__}: {exc}); please report it with the deal that caused it", error=True)
        return 3


if __name__ == "__main__":
    sys.exit(main())
