"""``dealbrief preview ID``: one deal's pages, its PDFs and the dashboard, rebuilt within a moment of each save.

``mkdocs serve`` rebuilds every page after any edit — 3,000 pages at 1,000 deals — because MkDocs cannot rebuild one.
The preview builds, with the repository's own ``mkdocs.yml``, theme and plugin, only the deal being edited (its three
pages and two PDFs) and the dashboard (every deal's figures; a deal file that did not change is not read again), and
serves the result at ``http://127.0.0.1:PORT/``.  What it leaves out, it says: search finds the previewed deal only, and
the dashboard's links to the other deals lead nowhere until ``make site``.
"""

from __future__ import annotations

import functools
import logging
import os
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from . import background
from .engine.pipeline import DEALS_DIR, Memo
from .errors import DealbriefError
from .mkdocs_plugin import DealbriefPlugin

POLL = 0.1  # seconds between looks at the deal files, templates and settings


def build(config_file: Path, site_dir: Path, deal_id: str, memo: Memo, process: ProcessPoolExecutor) -> None:
    """One build of the preview into ``site_dir`` (put in place in one step, so a page is never served half-written)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    config = load_config(str(config_file), site_dir=str(site_dir))
    config.validation.links.not_found = logging.DEBUG  # the dashboard links to every deal; the preview builds one
    config.plugins.on_startup(command="build", dirty=False)
    plugin = config.plugins["dealbrief"]
    assert isinstance(plugin, DealbriefPlugin)  # the repository's mkdocs.yml names it (checked before serving)
    plugin.preview(deal_id, memo, process)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()


def stamps(folders: list[Path]) -> dict[Path, tuple[int, int]]:
    """Each file's time and size under ``folders``: what a save changes."""
    found = {}
    for folder in folders:
        for path in folder.rglob("*") if folder.is_dir() else [folder]:
            try:
                status = path.stat()
            except OSError:
                continue
            found[path] = (status.st_mtime_ns, status.st_size)
    return found


def watched(config_file: Path) -> list[Path]:
    """What a rebuild depends on: the deals, the settings, and the team's templates."""
    from .engine.config import CONFIG_FILE, load_config

    root = config_file.parent
    try:
        team = load_config(root).templates
    except DealbriefError:  # dealbrief.toml saved half-typed: the next build says what is wrong; keep watching
        team = None
    return [p for p in (root / DEALS_DIR, root / CONFIG_FILE, config_file, team) if p and p.exists()]


def changes(config_file: Path, before: dict[Path, tuple[int, int]]) -> Iterator[None]:
    """Yield whenever a watched file has changed since ``before`` (taken before the first build), then since the last time."""
    while True:
        time.sleep(POLL)
        now = stamps(watched(config_file))
        if now != before:
            before = now
            yield None


def serve(deal_id: str, port: int, config_file: Path, say: Callable[[str], None]) -> None:
    """Build, serve, and rebuild on every save until interrupted."""
    deal = config_file.parent / DEALS_DIR / f"{deal_id}.yaml"
    if not deal.is_file():
        raise DealbriefError(f"no deal '{deal_id}' in {DEALS_DIR}/")
    if not 0 <= port <= 65535:
        raise DealbriefError(f"--port {port} is not a port: use 1 to 65535, or 0 to pick a free one")
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    signal.signal(signal.SIGTERM, _stop)  # stopped like Ctrl+C: the background process and the server end cleanly
    with tempfile.TemporaryDirectory(prefix="dealbrief-preview-") as folder:
        site = Path(folder) / "site"
        site.mkdir()
        try:
            server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_Quiet, directory=str(site)))
        except OSError as exc:
            raise DealbriefError(f"cannot serve on port {port} ({exc.strerror}): choose another with --port, or 0 for a free one") from None
        memo: Memo = {}
        process, serving = background.new_process(), False
        try:
            started, before = time.perf_counter(), stamps(watched(config_file))  # a save during the first build is not missed
            try:
                build(config_file, site, deal_id, memo, process)
            except Exception as exc:  # mkdocs.yml, the theme or a plugin: MkDocs says which
                raise DealbriefError(f"the preview could not be built: {exc}") from None
            threading.Thread(target=server.serve_forever, daemon=True).start()
            serving = True
            address = f"http://127.0.0.1:{server.server_address[1]}/"
            say(f"previewing {deal_id} at {address}deals/{deal_id}/ (built in {time.perf_counter() - started:.1f} s); Ctrl+C stops")
            say("search finds this deal only; the dashboard's links to other deals lead nowhere until `make site`")
            for _ in changes(config_file, before):
                started = time.perf_counter()
                try:
                    build(config_file, site, deal_id, memo, process)
                    gone = "" if deal.is_file() else f"; {DEALS_DIR}/{deal_id}.yaml is gone, so its pages are too, until it is back"
                    say(f"rebuilt in {time.perf_counter() - started:.1f} s: reload the page{gone}")
                except Exception as exc:  # a bad edit is reported; the previous pages stay served
                    say(f"not rebuilt: {exc}")
        except KeyboardInterrupt:
            pass
        finally:
            if serving:
                server.shutdown()  # waits for the serving loop, so only once it runs
            server.server_close()
            process.shutdown()


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


class _Quiet(SimpleHTTPRequestHandler):
    """Serves the preview's folder to this machine's browser only, without a log line per request.

    Listening on 127.0.0.1 is not enough: a web page open in the same browser can point its own domain at 127.0.0.1
    (DNS rebinding) and read the internal pages as its own.  Only requests addressed to ``127.0.0.1:PORT`` or
    ``localhost:PORT`` are answered, and a folder is never listed.
    """

    def send_head(self) -> Any:  # every GET and HEAD passes here first
        port = self.server.server_address[1]  # type: ignore[index]  # an IPv4 (host, port): serve() binds 127.0.0.1
        if self.headers.get("Host", "").lower() not in (f"127.0.0.1:{port}", f"localhost:{port}"):
            self.send_error(HTTPStatus.MISDIRECTED_REQUEST, f"this preview answers only http://127.0.0.1:{port}/")
            return None
        return super().send_head()

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        self.send_error(HTTPStatus.NOT_FOUND)

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # a reload always shows the newest build
        super().end_headers()
