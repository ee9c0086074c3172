"""The glossary's "Used on" links: which pages of the site mention each term.

A page cannot know what the other pages say, so the glossary extension
(site_markdown/glossary.py) leaves `<span data-used-on="ANCHOR"></span>` in each
entry of the built glossary page. This step replaces every marker with links to the
nav's Markdown pages whose text uses the term or one of its other names, in nav order
(the glossary itself left out), relative to the glossary page; or with "no page yet".
Which page uses which term is decided by the extension's own `used_on_index`, from
docs/, so both generators get the same lists.
"""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path

from site_markdown import glossary
from site_markdown.glossary_source import Term
from site_markdown.post_build.built_site import BuiltSite
from site_markdown.post_build.site_config import (
    Page,
    PostBuildError,
    SiteConfig,
    pages,
)

EXTENSION = "site_markdown.glossary"
MARKER = re.compile(r'<span data-used-on="(?P<anchor>[^"]+)"></span>')


class UsedOnError(PostBuildError):
    """A marker names no term of the glossary."""


def enabled(config: SiteConfig) -> bool:
    return EXTENSION in config.extension_options()


def terms(config: SiteConfig) -> list[Term]:
    """The glossary's terms, from the file the extension is configured with."""
    options = config.extension_options().get(EXTENSION, {})
    return glossary.load_terms(
        config.root / options.get("glossary", glossary.GLOSSARY_FILE)
    )


def page_sources(
    config: SiteConfig, nav_pages: list[Page]
) -> list[glossary.PageSource]:
    """The nav's Markdown pages as the glossary reads them, in nav order."""
    return [
        glossary.read_page(page.src, (config.docs_dir / page.src).read_text("utf-8"))
        for page in nav_pages
        if page.src.endswith(".md")
    ]


def used_on_html(
    pages_using: list[glossary.PageSource], site: BuiltSite, from_dir: str
) -> str:
    links = [
        f'<a href="{site.href(from_dir, page.src_uri)}">{html.escape(page.title)}</a>'
        for page in pages_using
    ]
    return ", ".join(links) or "no page yet"


def fill(page_html: str, index: dict[str, list], site: BuiltSite, from_dir: str) -> str:
    """Every marker of the built glossary page replaced by its links."""

    def links(match: re.Match[str]) -> str:
        anchor = match["anchor"]
        if anchor not in index:
            raise UsedOnError(
                f"the glossary page names a term #{anchor} it does not have"
            )
        return used_on_html(index[anchor], site, from_dir)

    return MARKER.sub(links, page_html)


def write(site: BuiltSite, config: SiteConfig) -> int:
    """Fill the built glossary page; the number of terms filled."""
    if not enabled(config):
        return 0
    path: Path = site.file(glossary.GLOSSARY_PAGE)
    if not path.is_file():
        return 0
    text = path.read_text(encoding="utf-8")
    count = len(MARKER.findall(text))
    if not count:
        return 0
    sources = page_sources(config, pages(config.nav()))
    index = glossary.used_on_index(terms(config), sources, glossary.GLOSSARY_PAGE)
    from_dir = posixpath.dirname(path.relative_to(site.path).as_posix())
    path.write_text(fill(text, index, site, from_dir), encoding="utf-8")
    return count
