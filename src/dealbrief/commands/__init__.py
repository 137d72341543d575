"""The ``dealbrief`` commands, a module each: ``dealbrief.cli`` assembles them into one parser and is the one error boundary.

A command module has the texts of its ``--help`` (``HELP``, ``DESCRIPTION``, ``EPILOG``), ``options(parser)`` adding its
arguments, and ``run(args) -> int``, its exit code (:class:`Command`).  A command that prints in more than one format
has ``FORMATS``, each format's name mapped to a function from what the command computed to the text it prints: its
``--format`` offers ``choices=tuple(FORMATS)`` (``show --json`` picks the ``json`` one), and ``run`` calls
``FORMATS[args.format](...)``.  A renderer slow to import (rich, Jinja, Typst) is imported inside the function that uses
it, so building the parser stays quick.
"""

from __future__ import annotations

import argparse
import sys
from typing import Protocol

from ..text import loggable, without_commands

EXIT_CODES = "Exit codes: 0 fine, 1 error findings (any finding with --strict), 2 unusable input or usage."
ID_HELP = "the deal id (the file name in deals/ without .yaml)"


class Command(Protocol):
    """What ``dealbrief.cli`` reads from a command module; the command is named after its module."""

    __name__: str

    @property
    def HELP(self) -> str: ...

    @property
    def DESCRIPTION(self) -> str: ...

    @property
    def EPILOG(self) -> str | None: ...

    def options(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace) -> int: ...


def say(*lines: object, error: bool = False, annotations: bool = False, styled: bool = False) -> None:
    """Print each of ``lines`` as one line, made :func:`loggable`: the one way this command line writes to a terminal or a log.

    A line break inside a line is shown as ``\\n``, so no text can start a line of its own; only ``annotations``
    (``check --format github``) may be workflow commands.  ``styled`` lines hold the terminal's colour codes, put there
    by a renderer that made each text in them printable (``show``'s layout): they are kept, and only workflow commands
    are taken out.
    """
    made = (without_commands(str(line)) if styled else loggable(str(line), annotations) for line in lines)
    print("\n".join(made), file=sys.stderr if error else sys.stdout, flush=True)
