"""The MkDocs plugin: connects MkDocs' events to the pipeline; the logic lives in :mod:`dealbrief.pages`.

```yaml
plugins:
  - search
  - dealbrief:
      deals_dir: deals          # default
      templates_dir: my-templates   # optional: as [templates] dir in dealbrief.toml, which every command reads
```
"""

from __future__ import annotations

import html
import os
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from . import background, publish
from .artifacts import CRM_FILE, CSS, PDF_FOLDER, SCRIPT
from .content_cache import Cache
from .engine.config import CONFIG_FILE, load_config
from .engine.pipeline import Analysed, Memo, Report, analyse_all
from .errors import DealbriefError
from .i18n import catalog_problems
from .output import check_report, crm, security
from .output.pages import PageCache, site_files
from .output.render import Renderer, default_templates
from .pdf.export import Outcome, documents
from .text import loggable

log = get_plugin_logger(__name__)

# The pages need these; pymdownx.escapeall is what keeps deal text literal, so it is never optional.
REQUIRED_EXTENSIONS: dict[str, dict[str, Any]] = {
    "pymdownx.escapeall": {"hardbreak": False, "nbsp": False},
    "tables": {},
    "attr_list": {},
    "md_in_html": {},
    "admonition": {},
    "pymdownx.tasklist": {"custom_checkbox": True},
}


class Background(File):
    """A chart or PDF that :mod:`dealbrief.background` writes straight into the site: MkDocs knows it (for links), copies nothing."""

    def copy_file(self, dirty: bool = False) -> None:
        pass


class DealbriefPluginConfig(Config):
    """The plugin's options in ``mkdocs.yml`` (see the module docstring and the manual's Reference: The site and the PDFs)."""

    deals_dir = opt.Dir(exists=False, default="deals")
    templates_dir = opt.Optional(opt.Dir(exists=True))
    pdf = opt.Type(bool, default=True)
    paper = opt.Optional(opt.Choice(["a4", "us-letter"]))
    cache_dir = opt.Dir(exists=False, default=".cache/dealbrief")
    content_security_policy = opt.Type(bool, default=True)  # off only for a site that must load something from elsewhere
    lock_timeout = opt.Type((int, float), default=600)  # seconds to wait for another build in the same repository


class DealbriefPlugin(BasePlugin[DealbriefPluginConfig]):
    """Adds every deal's pages, charts and PDFs to the site; holds the build lock; puts the site in place in one step."""

    command = ""
    site_dir = ""
    built = False
    reports: tuple[Report, ...] = ()
    assets: Future[Outcome] | None = None
    pages: PageCache | None = None
    process: ProcessPoolExecutor | None = None
    generated: frozenset[str] = frozenset()
    csp = ""
    lock: Any = None
    building = Path()
    only: str | None = None  # set by `dealbrief preview`: this deal's pages and PDFs only (the dashboard lists every deal)
    memo: Memo | None = None  # set by `dealbrief preview`: deal files unchanged since the last build are not read again

    def preview(self, deal_id: str, memo: Memo, process: ProcessPoolExecutor) -> None:
        """Build for ``dealbrief preview``: this deal's pages and PDFs only, deal files unchanged since the last build not
        read again, and one background process for every rebuild."""
        self.only, self.memo, self.process = deal_id, memo, process

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        if command == "serve":  # one background process for every rebuild
            self.process = background.new_process()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        for name, options in REQUIRED_EXTENSIONS.items():
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
            config.mdx_configs[name] = {**options, **config.mdx_configs.get(name, {})} if name != "pymdownx.escapeall" else options
        config.extra_css.append(CSS)
        config.extra_javascript.append(SCRIPT)
        self._hold_the_lock()
        if self.command == "build":  # build aside; on_shutdown puts it in place only if the build succeeded
            self.site_dir, self.built = config.site_dir, False
            for leftover in publish.leftovers(Path(self.site_dir)):  # from a killed build: no other build is running now
                if why := publish.remove(leftover):
                    log.warning(loggable(why))
            self.building = publish.building_folder(Path(self.site_dir))
            if publish.target(Path(self.site_dir)).is_file():
                raise PluginError(f"{self.site_dir} is a file, not the site's folder: move it away, then build again")
            try:
                self.building.mkdir()
            except OSError as exc:
                raise PluginError(f"cannot write beside the site ({self.building.parent}): {exc.strerror}") from None
            config.site_dir = str(self.building)
        root = Path(config.config_file_path or ".").parent
        try:
            team = load_config(root).templates
        except DealbriefError as exc:
            raise PluginError(str(exc)) from None
        if self.config.templates_dir and (team is None or Path(self.config.templates_dir).resolve() != team.resolve()):
            named = Path(os.path.relpath(self.config.templates_dir, root)).as_posix()
            log.warning(  # the site would say one thing and `dealbrief pdf` another
                f"templates_dir: {named} is used by the site only; name it in {CONFIG_FILE} instead "
                f'([templates] dir = "{named}"), which the site, dealbrief pdf and every command read'
            )
        watched = (self.config.deals_dir, self.config.templates_dir, team, default_templates(), root / CONFIG_FILE)
        config.watch.extend(str(p) for p in watched if p and Path(p).exists())
        return config

    def _hold_the_lock(self) -> None:
        """One build at a time in a repository (`mkdocs build`, `mkdocs serve`'s rebuilds, `dealbrief pdf`)."""
        if self.lock is None:
            try:
                self.lock = Cache(Path(self.config.cache_dir)).lock(self.config.lock_timeout, _say_waiting)
            except DealbriefError as exc:
                raise PluginError(str(exc)) from None

    def _release_the_lock(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        started = time.perf_counter()
        root = Path(config.config_file_path or ".").parent
        try:
            settings = load_config(root)
            reports = analyse_all([Path(self.config.deals_dir)], settings, self.memo)
        except DealbriefError as exc:
            raise PluginError(str(exc)) from None
        for line in check_report.errors(reports):  # an invalid deal, or an error finding, fails a --strict build
            log.warning(loggable(line))
        for problem in catalog_problems(settings.templates):  # left out: the shipped words stand in, every page is made
            log.warning(loggable(f"dealbrief: {problem}"))
        if files.get_file_from_path("index.md"):
            raise PluginError("the dashboard is the home page: remove index.md from docs_dir")
        templates = Path(self.config.templates_dir) if self.config.templates_dir else settings.templates
        renderer, cache, site_dir = Renderer(templates), Cache(Path(self.config.cache_dir)), Path(config.site_dir)
        shown = [r for r in reports if self.only in (None, r.id)]
        planned = background.planned(shown, self.config.pdf)
        for path in planned:
            files.append(Background.generated(config, path, content=b""))
        self.reports = tuple(shown)
        self.assets = background.start(shown, templates, site_dir, self.config.pdf, self.config.paper, cache, self.process)
        pdfs = {path.removeprefix(PDF_FOLDER) for path in planned if path.startswith(PDF_FOLDER)}
        self.pages = PageCache(cache)
        pages = site_files(reports, renderer, pdfs, self.pages, self.only, settings.reporting)
        self.generated = frozenset(pages)
        for path, content in pages.items():
            generated = File.generated(config, path, content=content)
            deal_id = path.split("/")[1] if path.startswith("deals/") else None
            if deal_id and deal_id != "_invalid" and path.endswith(".md"):
                generated.edit_uri = f"{Path(self.config.deals_dir).name}/{deal_id}.yaml"
            files.append(generated)
        commits = crm.last_commits(r.file for r in reports if r.valid)
        site = None if config.site_url == crm.PLACEHOLDER else config.site_url  # not the placeholder init writes
        rows = crm.rows(reports, site, commits, settings.reporting)
        files.append(File.generated(config, CRM_FILE, content=crm.as_csv(rows)))
        log.info(f"{len(reports)} deals rendered in {time.perf_counter() - started:.2f} s; charts and PDFs in the background")
        return files

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        """The Content-Security-Policy every page gets: the theme's inline scripts for each page depth of this site.

        Not under `mkdocs serve`, whose live-reload script is inline and changes with every start.
        """
        if self.command == "serve" or not self.config.content_security_policy:
            self.csp = ""
            return env
        base_urls = {get_relative_url(".", f.url) for f in files.documentation_pages()} | {urlsplit(config.site_url or "/").path}
        context = {"config": config, "features": config.theme.get("features") or []}
        self.csp = security.policy(security.script_hashes(env, context, sorted(base_urls)))
        return env

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        """Refuse a page whose title the theme printed as markup; give every page the policy."""
        title = page.meta.get("title")
        if page.file.src_uri.startswith("deals/") and page.file.src_uri in self.generated:
            if not (title and security.title_intact(output, html.unescape(title))):
                raise PluginError(
                    f"{page.file.src_uri}: the page's title is missing, or the theme printed it in a way dealbrief does not expect, "
                    "so deal text could have become markup; not publishing it (is the theme newer than this dealbrief?)"
                )
        return security.with_policy(output, self.csp) if self.csp else output

    def on_post_template(self, output_content: str, template_name: str, config: MkDocsConfig) -> str:
        """The theme's own pages (404) get the policy too."""
        return security.with_policy(output_content, self.csp) if self.csp and template_name.endswith(".html") else output_content

    def on_post_build(self, config: MkDocsConfig) -> None:
        """Wait for the charts and PDFs; a PDF that could not be made is a warning (``--strict`` fails the build)."""
        waiting = time.perf_counter()
        if self.pages:
            self.pages.save()  # while the charts and PDFs are still being made
        outcome = self._finish()
        damaged = (self.pages.cache.damaged if self.pages else []) + (outcome.damaged if outcome else [])
        if damaged:
            log.info(loggable(f"cache: {len(damaged)} damaged entries ignored and made again ({'; '.join(damaged)})"))
        if outcome and self.config.pdf:
            files = {name: r.file for r in self.reports if isinstance(r, Analysed) for name in documents(r)}
            for name, message in sorted(outcome.failed.items()):
                log.warning(loggable(f"{files[name]}: {name}: {message} (its link on the deal's pages leads nowhere until this is fixed)"))
            log.info(
                f"PDFs: {len(outcome.exported)} exported, {len(outcome.reused)} unchanged, {len(outcome.failed)} failed; "
                f"waited {time.perf_counter() - waiting:.2f} s for the charts and PDFs once the pages were built"
            )
        self.built = True
        if self.command == "serve":
            self._release_the_lock()

    def on_build_error(self, error: Exception) -> None:
        self.built = False  # also a --strict abort, which MkDocs raises after post_build
        self._finish()  # `mkdocs serve` rebuilds into the same folder: nothing may still be writing there
        if self.command == "serve":
            self._release_the_lock()

    def _finish(self) -> Outcome | None:
        work, self.assets = self.assets, None
        if work is None:
            return None
        try:
            return work.result()
        except (OSError, BrokenProcessPool) as exc:
            if self.process and isinstance(exc, BrokenProcessPool):
                self.process = background.new_process()  # the next rebuild of `mkdocs serve` starts afresh
            raise PluginError(f"charts and PDFs: {exc}") from None

    def on_shutdown(self) -> None:
        """Put the new site in place in one step if the build succeeded; a failed or killed build leaves the previous one."""
        if self.process and self.command == "serve":  # a preview's process outlives each of its builds
            self.process.shutdown()
        try:
            if self.command == "build" and self.site_dir:
                self._put_in_place()
        finally:
            self._release_the_lock()

    def _put_in_place(self) -> None:
        if not self.built:
            publish.remove(self.building)
            return
        try:
            warnings = publish.publish(self.building, Path(self.site_dir))
        except OSError as exc:
            raise PluginError(
                f"cannot put the new site in place of {publish.target(Path(self.site_dir))} ({exc.strerror}); the previous site is "
                "unchanged, and the next build tries again"
            ) from None
        for warning in warnings:
            log.warning(loggable(warning))


def _say_waiting() -> None:
    log.info("another build in this repository is running; waiting for it to finish")
