"""MkDocs hooks of the documentation build.

``on_page_content`` drops the Sphinx roles (``:func:``, ``:class:``, ...) that some
docstrings use, which mkdocstrings would show literally.

``on_post_build`` checks every relative link and image of the built HTML, including the
links inside executed notebooks, which MkDocs does not validate itself. A broken one is
logged as a warning, so ``mkdocs build --strict`` fails.
"""

from __future__ import annotations

import logging
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

log = logging.getLogger("mkdocs.hooks.links")

_ROLE = re.compile(r":(?:func|class|mod|meth|attr|data|exc|obj):<code>~?([^<]+)</code>")


def on_page_content(html: str, **kwargs: Any) -> str:
    return _ROLE.sub(r"<code>\1</code>", html)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (tag, name) in (("a", "href"), ("img", "src")):
                self.found.append(value)


def _exists(site: Path, page: Path, link: str) -> bool:
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or not parts.path:
        return True  # external, mailto or a same-page anchor
    base = page.parent.relative_to(site).as_posix()
    target = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
    if target.startswith(".."):
        return False
    path = site / target
    return path.is_file() or (path / "index.html").is_file()


def on_post_build(config: Any, **kwargs: Any) -> None:
    site = Path(config["site_dir"])
    for page in sorted(site.rglob("*.html")):
        if page.name == "404.html":
            continue
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.found:
            if not _exists(site, page, link):
                log.warning("%s: broken link %s", page.relative_to(site), link)
