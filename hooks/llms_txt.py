"""MkDocs hook: write site/llms.txt and site/llms-full.txt for language models.

llms.txt follows the proposal at https://llmstxt.org: an H1 with the site name, a
blockquote with `site_description`, then one H2 section per top-level nav section
with a `- [Title](URL): description` line per page (the description is the page's
front-matter `description`). URLs are absolute when `site_url` is set.

llms-full.txt holds the Markdown of every page in nav order, front matter stripped,
as the build saw it after the other hooks: the glossary page is filled in, code that
pages include with pymdownx.snippets is inlined, and the tooltip abbreviations that
hooks/glossary.py appends are left out (they are markup, not content). Fact markers,
`[[source-id YYYY-MM-DD]]`, become the dated Markdown link they stand for
(site_markdown/facts.py).

Events: on_nav keeps the navigation, on_page_content records each page's final
Markdown, on_post_build writes both files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import markdown as python_markdown

from site_markdown import facts

LOOSE_PAGES_SECTION = "Pages"  # H2 for pages that sit at the top of the nav
ABBREVIATION_LINE = re.compile(r"^\*\[[^\]\n]+\]:.*(?:\n|\Z)", re.M)


@dataclass(frozen=True)
class PageEntry:
    """One page as llms.txt lists it."""

    title: str
    url: str
    description: str = ""


_nav = None
_markdown: dict[str, str] = {}


# ----------------------------------------------------------------- hook events


def on_nav(nav, config, files):
    global _nav
    _nav = nav
    _markdown.clear()


def on_page_content(html, page, config, files):
    if page.file.src_uri.endswith(".md"):
        _markdown[page.file.src_uri] = page.markdown


def on_post_build(config):
    if _nav is None:
        return
    site_url = config.site_url or ""
    sections = nav_sections(_nav.items, site_url)
    site_dir = Path(config.site_dir)
    (site_dir / "llms.txt").write_text(
        render_llms_txt(config.site_name, config.site_description, sections),
        encoding="utf-8",
    )
    pages = [
        (
            page_entry(page, site_url),
            full_markdown(_markdown[page.file.src_uri], config),
        )
        for page in _nav.pages
        if page.file.src_uri in _markdown
    ]
    (site_dir / "llms-full.txt").write_text(
        render_llms_full(config.site_name, config.site_description, pages),
        encoding="utf-8",
    )


# ----------------------------------------------------------------- llms.txt


def page_url(url: str, site_url: str) -> str:
    """Absolute under site_url when there is one, else relative to the site root
    (where llms.txt lives). MkDocs gives the home page the URL ""."""
    if site_url:
        return site_url.rstrip("/") + "/" + url
    return url or "./"


def one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def page_entry(page, site_url: str) -> PageEntry:
    meta = page.meta or {}
    return PageEntry(
        title=one_line(page.title),
        url=page_url(page.url, site_url),
        description=one_line(meta.get("description")),
    )


def nav_sections(items: Iterable, site_url: str) -> list[tuple[str, list[PageEntry]]]:
    """One (title, entries) pair per top-level nav section, in nav order, with
    subsections flattened into it. Pages and links at the top of the nav are gathered
    into a section named LOOSE_PAGES_SECTION where they appear."""
    sections: list[tuple[str, list[PageEntry]]] = []
    for item in items:
        if item.is_section:
            sections.append(
                (one_line(item.title), list(_entries(item.children, site_url)))
            )
        elif sections and sections[-1][0] == LOOSE_PAGES_SECTION:
            sections[-1][1].extend(_entries([item], site_url))
        else:
            sections.append((LOOSE_PAGES_SECTION, list(_entries([item], site_url))))
    return [(title, entries) for title, entries in sections if entries]


def _entries(items: Iterable, site_url: str) -> Iterable[PageEntry]:
    for item in items:
        if item.is_section:
            yield from _entries(item.children, site_url)
        elif item.is_page:
            yield page_entry(item, site_url)
        elif item.is_link:
            yield PageEntry(title=one_line(item.title), url=item.url)


def link_line(entry: PageEntry) -> str:
    line = f"- [{entry.title}]({entry.url})"
    return f"{line}: {entry.description}" if entry.description else line


def render_llms_txt(
    site_name: str,
    description: str | None,
    sections: Sequence[tuple[str, Sequence[PageEntry]]],
) -> str:
    out = [f"# {site_name}", ""]
    if one_line(description):
        out += [f"> {one_line(description)}", ""]
    for title, entries in sections:
        out += [f"## {title}", "", *map(link_line, entries), ""]
    out += [
        "## Optional",
        "",
        "- [Full text](llms-full.txt): the Markdown of every page above in one file",
        "",
    ]
    return "\n".join(out)


# ----------------------------------------------------------------- llms-full.txt


def full_markdown(page_markdown: str, config) -> str:
    """A page's Markdown as readers get it: includes inlined, tooltips dropped."""
    text = ABBREVIATION_LINE.sub("", page_markdown)
    return resolve_facts(resolve_snippets(text, config), config).strip() + "\n"


def resolve_facts(text: str, config) -> str:
    """Fact markers as `([title](url), checked DATE)`, when the site renders them."""
    if "site_markdown.facts" not in config.markdown_extensions:
        return text
    options = config.mdx_configs.get("site_markdown.facts", {})
    sources = Path(options.get("sources", facts.SOURCES_FILE))
    root = getattr(config, "config_file_path", None)
    if root and not sources.is_absolute():
        sources = Path(root).parent / sources
    return facts.plain_text(text, facts.load_sources(sources))


def resolve_snippets(text: str, config) -> str:
    """Inline `--8<--` includes with the site's own pymdownx.snippets settings, so
    llms-full.txt shows the code the pages show."""
    if "pymdownx.snippets" not in config.markdown_extensions:
        return text
    options = dict(config.mdx_configs.get("pymdownx.snippets", {}), auto_append=[])
    md = python_markdown.Markdown(
        extensions=["pymdownx.snippets"],
        extension_configs={"pymdownx.snippets": options},
    )
    return "\n".join(md.preprocessors["snippet"].run(text.split("\n")))


def render_llms_full(
    site_name: str,
    description: str | None,
    pages: Sequence[tuple[PageEntry, str]],
) -> str:
    out = [f"# {site_name}", ""]
    if one_line(description):
        out += [f"> {one_line(description)}", ""]
    for entry, body in pages:
        out += ["---", "", f"Page: {entry.title}", f"URL: {entry.url}", "", body]
    return "\n".join(out)
