"""MkDocs events for the manual (``docs/mkdocs.yml``): they only connect MkDocs to ``docs/reference.py``.

- ``<!-- reference: NAME -->`` in a page becomes that reference's Markdown, generated from the code at build time;
- snippets (``--8<-- "path"``) are read from the repository root, whatever folder MkDocs runs in, and a missing one
  fails the build.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"^<!-- reference: ([a-z-]+) -->$", re.M)


def _reference() -> Any:
    spec = importlib.util.spec_from_file_location("dealbrief_docs_reference", Path(__file__).with_name("reference.py"))
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def on_config(config: Any) -> Any:
    snippets = config.mdx_configs.setdefault("pymdownx.snippets", {})
    snippets["base_path"] = [str(ROOT)]
    snippets["check_paths"] = True
    for watched in ("src/dealbrief", "web", "deals", "tests/examples"):
        config.watch.append(str(ROOT / watched))
    return config


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    if not MARKER.search(markdown):
        return markdown
    pages = _reference().PAGES

    def generated(match: re.Match[str]) -> str:
        name = match[1]
        if name not in pages:
            known = ", ".join(f"<!-- reference: {n} -->" for n in pages)
            raise PluginError(f"{page.file.src_uri}: no reference '{name}'; write one of: {known}")
        return str(pages[name]())

    return MARKER.sub(generated, markdown)
