"""What keeps deal text from running in a colleague's browser, beyond escaping it: a title check and a CSP.

Every value is escaped where it is rendered (:func:`dealbrief.output.render.escape`); these two make the site
fail safe if an escape is ever missing, in our templates or in the theme's:

- **The page title.**  MkDocs treats a page title as HTML and the theme prints it in ``<title>`` (and in
  the header, the tags page and the search index).  Material prints ``page.title | striptags`` there, and
  ``striptags`` *unescapes* entities, so ``&lt;/title&gt;`` from a deal became a real ``</title>`` followed
  by the deal's script (mkdocs/mkdocs#3357).  Our pages therefore set their title in their front matter,
  HTML-escaped (:func:`front_matter_title`), which the theme prints as it is; and :func:`title_intact`
  checks every page after the theme has rendered it, so a theme release that prints titles another way
  fails the build instead of publishing markup.
- **A Content-Security-Policy** (:func:`policy`) that lets the browser load only the site's own files
  and run only its own script files and the theme's own inline scripts (by their SHA-256, computed from
  the theme's templates, not from the pages), so even markup that got through could neither run nor
  call out (a tracking image, a form posting elsewhere).
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup

from ..text import printable

WHITESPACE = re.compile(r"\s+")
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL | re.IGNORECASE)
HEAD = re.compile(r"<head(\s[^>]*)?>", re.IGNORECASE)
THEME_SCRIPTS = "partials/javascripts/"  # where Material keeps the inline scripts of its base template


def plain_title(text: str) -> str:
    """A page title as the reader sees it: one line, invisible characters shown."""
    return printable(WHITESPACE.sub(" ", text).strip())


def front_matter_title(text: str) -> Markup:
    """``title: "…"`` for a page's front matter: the plain title, HTML-escaped, as a YAML double-quoted string."""
    escaped = html.escape(plain_title(text), quote=True)  # leaves no " to quote; a backslash is doubled below
    return Markup('"' + escaped.replace("\\", "\\\\") + '"')


def title_intact(page_html: str, title: str) -> bool:
    """Does the page's ``<title>`` element hold ``title`` as text, whole (no deal text closed it early)?"""
    match = TITLE.search(page_html)
    return match is not None and plain_title(title) in html.unescape(match.group(1))


def script_hashes(env: Any, context: dict[str, Any], base_urls: Iterable[str]) -> list[str]:
    """The CSP sources of the theme's own inline scripts, rendered for every ``base_url`` a page of the site has."""
    names = env.list_templates(filter_func=lambda name: name.startswith(THEME_SCRIPTS) and name.endswith(".html"))
    found = set()
    for base_url in base_urls:
        for name in names:
            for script in INLINE_SCRIPT.findall(env.get_template(name).render({**context, "base_url": base_url})):
                found.add("'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'")
    return sorted(found)


def policy(hashes: Iterable[str]) -> str:
    """Everything from the site itself: scripts only from its own files and the theme's own inline scripts; images
    also as ``data:`` (the theme's icons); inline styles allowed (the theme sets a few); no plugins, no other base URL.
    """
    return (
        f"default-src 'self'; script-src 'self' {' '.join(hashes)}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'"
    )


def with_policy(page_html: str, content: str) -> str:
    """``page_html`` with the policy as the first element of its head, before any script."""
    content = html.escape(content, quote=False).replace('"', "&quot;")
    tag = f'<meta http-equiv="Content-Security-Policy" content="{content}">'
    return HEAD.sub(lambda match: match.group() + tag, page_html, count=1)
