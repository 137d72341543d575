"""The cash-flow chart is the same bytes whatever the order it is drawn in, and in a fresh process (no cache of one
process decides what another draws)."""

from __future__ import annotations

import subprocess
import sys

from dealbrief.engine.config import Config
from dealbrief.engine.pipeline import analyse_all
from dealbrief.output.render import Renderer

from ..conftest import ROOT


def test_same_input_same_bytes_in_any_order_and_any_process() -> None:
    reports = [r for r in analyse_all([ROOT / "deals", ROOT / "tests" / "examples" / "hostile" / "deals"], Config()) if r.case]
    first = [Renderer().chart(r) for r in reports]
    assert [Renderer().chart(r) for r in reversed(reports)] == first[::-1]
    draw = (
        "import sys; from pathlib import Path; from dealbrief.engine.pipeline import analyse; from dealbrief.engine.config import Config; "
        "from dealbrief.output.render import Renderer; sys.stdout.write(Renderer().chart(analyse(Path(sys.argv[1]), Config())))"
    )
    fresh = subprocess.run([sys.executable, "-c", draw, str(ROOT / "deals" / f"{reports[0].id}.yaml")], capture_output=True, text=True)
    assert fresh.stdout == first[0], fresh.stderr
