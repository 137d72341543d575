"""The command line is a module per command (``dealbrief.commands``), each dispatching its formats one way: ``FORMATS``."""

from __future__ import annotations

import argparse

from dealbrief.cli import COMMANDS, parser

from ..conftest import ROOT


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    [commands] = [a for a in parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(commands.choices)


def test_every_command_module_is_a_command() -> None:
    modules = {path.stem for path in (ROOT / "src" / "dealbrief" / "commands").glob("*.py") if path.stem != "__init__"}
    assert set(_subparsers()) == modules == {command.__name__.rpartition(".")[2] for command in COMMANDS}


def test_a_command_offers_exactly_the_formats_it_dispatches() -> None:
    subparsers = _subparsers()
    for command in COMMANDS:
        name = command.__name__.rpartition(".")[2]
        offered = [a for a in subparsers[name]._actions if a.dest == "format"]
        formats = getattr(command, "FORMATS", None)
        assert bool(offered) == (formats is not None), name
        for action in offered:
            values = set(action.choices) if action.choices else {action.default, action.const}  # show --json: a store_const
            assert values == set(formats or ()) and action.default in values, name
