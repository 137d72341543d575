"""The ``dealbrief`` command line: a thin adapter over the pipeline, and the one error boundary.

Each command is a module of :mod:`dealbrief.commands`; this one assembles their parser and runs the one named.
Exit codes (the manual's Reference: The command line): 0 fine, 1 findings at error level (or any with --strict),
2 unusable input or usage.  Run from the repository root: deals in ``deals/``.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys

from . import __version__
from .commands import EXIT_CODES, Command, check, diff, export, init, new, pdf, preview, rules, schema, sent, show
from .commands import say as say  # the one way the command line writes, for the tests too
from .errors import DealbriefError

COMMANDS: tuple[Command, ...] = (new, check, show, pdf, preview, init, diff, sent, export, rules, schema)  # in --help's order


def parser() -> argparse.ArgumentParser:
    """The whole command line, each command's arguments from its module (the manual's reference is made from it)."""
    top = argparse.ArgumentParser(
        prog="dealbrief",
        description="Turn a proof of concept into the CFO's business case and the AE's handoff checklist. "
        "Run it from the repository root; deals live in deals/<id>.yaml.",
        epilog=EXIT_CODES,
    )
    top.add_argument("--version", action="version", version=f"dealbrief {__version__}")
    commands = top.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for command in COMMANDS:
        name = command.__name__.rpartition(".")[2]
        sub = commands.add_parser(name, help=command.HELP, description=command.DESCRIPTION, epilog=command.EPILOG)
        command.options(sub)
        sub.set_defaults(run=command.run)
    return top


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
