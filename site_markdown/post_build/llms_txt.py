"""llms.txt and llms-full.txt, written into the built site for language models.

llms.txt follows the proposal at https://llmstxt.org: an H1 with the site name, a
blockquote with `site_description`, then one H2 section per top-level nav section
with a `- [Title](URL): description` line per page (the description is the page's
front-matter `description`). URLs are absolute when `site_url` is set.

llms-full.txt holds the Markdown of every page in nav order, front matter stripped, as
a reader gets it: code that pages include with pymdownx.snippets is inlined, the text
that the site's own extensions generate at their markers is filled in by the
extensions' own `expand` functions (the glossary with its "Used on" links, the stage
lines, the measured and behaviour tables), and hand-written `*[abbr]: ...` lines are
left out (they are markup, not content). Fact
markers, `[[source-id YYYY-MM-DD]]`, become the dated Markdown link they stand for
(site_markdown/facts.py).

Both files come from mkdocs.yml and docs/, not from a generator's memory, so MkDocs
and Zensical builds get the same two files.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import markdown as python_markdown

from site_markdown import behaviour_table, facts, glossary, results_table, stage_meta
from site_markdown.post_build import glossary_used_on
from site_markdown.post_build.built_site import BuiltSite
from site_markdown.post_build.site_config import (
    Link,
    NavItem,
    Page,
    Section,
    SiteConfig,
    pages,
)

LOOSE_PAGES_SECTION = "Pages"  # H2 for pages that sit at the top of the nav
ABBREVIATION_LINE = re.compile(r"^\*\[[^\]\n]+\]:.*(?:\n|\Z)", re.M)


@dataclass(frozen=True)
class PageEntry:
    """One page as llms.txt lists it."""

    title: str
    url: str
    description: str = ""


def write(site: BuiltSite, config: SiteConfig) -> None:
    """Write llms.txt and llms-full.txt into the built site."""
    nav = config.nav()
    site_url = config.site_url
    (site.path / "llms.txt").write_text(
        render_llms_txt(
            config.site_name, config.site_description, nav_sections(nav, site, site_url)
        ),
        encoding="utf-8",
    )
    nav_pages = pages(nav)
    expand = expanders(config, nav_pages)
    bodies = [
        (page_entry(page, site, site_url), full_markdown(page, config, expand))
        for page in nav_pages
        if page.src.endswith(".md")
    ]
    (site.path / "llms-full.txt").write_text(
        render_llms_full(config.site_name, config.site_description, bodies),
        encoding="utf-8",
    )


# ----------------------------------------------------------------- llms.txt


def page_url(url: str, site_url: str) -> str:
    """Absolute under site_url when there is one, else relative to the site root
    (where llms.txt lives). The home page's URL is ""."""
    if site_url:
        return site_url.rstrip("/") + "/" + url
    return url or "./"


def one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def page_entry(page: Page, site: BuiltSite, site_url: str) -> PageEntry:
    return PageEntry(
        title=one_line(page.title),
        url=page_url(site.url(page.src), site_url),
        description=one_line(page.description),
    )


def nav_sections(
    items: Iterable[NavItem], site: BuiltSite, site_url: str
) -> list[tuple[str, list[PageEntry]]]:
    """One (title, entries) pair per top-level nav section, in nav order, with
    subsections flattened into it. Pages and links at the top of the nav are gathered
    into a section named LOOSE_PAGES_SECTION where they appear."""
    sections: list[tuple[str, list[PageEntry]]] = []
    for item in items:
        if isinstance(item, Section):
            entries = list(_entries(item.children, site, site_url))
            sections.append((one_line(item.title), entries))
        elif sections and sections[-1][0] == LOOSE_PAGES_SECTION:
            sections[-1][1].extend(_entries([item], site, site_url))
        else:
            entries = list(_entries([item], site, site_url))
            sections.append((LOOSE_PAGES_SECTION, entries))
    return [(title, entries) for title, entries in sections if entries]


def _entries(
    items: Iterable[NavItem], site: BuiltSite, site_url: str
) -> Iterable[PageEntry]:
    for item in items:
        if isinstance(item, Section):
            yield from _entries(item.children, site, site_url)
        elif isinstance(item, Page):
            yield page_entry(item, site, site_url)
        elif isinstance(item, Link):
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


Expander = Callable[[str, str], str]  # (a page's Markdown, its docs path) -> Markdown


def full_markdown(
    page: Page, config: SiteConfig, expand: Sequence[Expander] = ()
) -> str:
    """A page's Markdown as readers get it: includes inlined, generated text filled
    in, abbreviation lines dropped, fact markers as dated links."""
    text = resolve_snippets(page.markdown, config)
    for expander in expand:
        text = expander(text, page.src)
    text = ABBREVIATION_LINE.sub("", text)
    return resolve_facts(text, config).strip() + "\n"


def expanders(config: SiteConfig, nav_pages: list[Page]) -> list[Expander]:
    """For each of the site's extensions in mkdocs.yml that writes text at a marker,
    the function that gives that text as Markdown."""
    names = config.extension_options()
    found: list[Expander] = []
    if glossary_used_on.EXTENSION in names:
        terms = glossary_used_on.terms(config)
        sources = glossary_used_on.page_sources(config, nav_pages)
        found.append(
            lambda text, src: glossary.expand(
                text, sources, glossary.GLOSSARY_PAGE, terms
            )
        )
    if "site_markdown.stage_meta" in names:
        found.append(
            lambda text, src: stage_meta.expand(text, src, config.docs_dir, config.root)
        )
    if "site_markdown.results_table" in names:
        found.append(lambda text, src: results_table.expand(text, config.root))
    if "site_markdown.behaviour_table" in names:
        found.append(lambda text, src: behaviour_table.expand(text))
    return found


def resolve_facts(text: str, config: SiteConfig) -> str:
    """Fact markers as `([title](url), checked DATE)`, when the site renders them."""
    options = config.extension_options()
    if "site_markdown.facts" not in options:
        return text
    sources = Path(options["site_markdown.facts"].get("sources", facts.SOURCES_FILE))
    if not sources.is_absolute():
        sources = config.root / sources
    return facts.plain_text(text, _sources(sources, sources.stat().st_mtime_ns))


@functools.cache
def _sources(path: Path, mtime_ns: int) -> dict[str, facts.Source]:
    """The source registry, read once per version of the file, not once a page."""
    return facts.load_sources(path)


def resolve_snippets(text: str, config: SiteConfig) -> str:
    """Inline `--8<--` includes with the site's own pymdownx.snippets settings, so
    llms-full.txt shows the code the pages show. Base paths are read from the
    directory of mkdocs.yml, wherever the step runs from."""
    options = config.extension_options()
    if "pymdownx.snippets" not in options:
        return text
    settings = dict(options["pymdownx.snippets"], auto_append=[])
    bases = settings.get("base_path", ["."])
    bases = [bases] if isinstance(bases, str) else bases
    settings["base_path"] = [str(config.root / base) for base in bases]
    md = python_markdown.Markdown(
        extensions=["pymdownx.snippets"],
        extension_configs={"pymdownx.snippets": settings},
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
