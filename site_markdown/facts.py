"""Python-Markdown extension: a dated source link after every fact that can change.

A statement that can go stale (a price, a limit, a default, a status, a version)
ends with a marker naming where it was read and when:

    Sonnet 5.5 costs $2 per million input tokens [[pricing 2026-12-02]].

`pricing` is an id in data/sources.yml, the one registry of primary sources
(`id: {title: ..., url: ...}`). The marker renders as a small dated link,

    <span class="fact">(<a href="URL">pricing page, checked 2026-12-02</a>)</span>

the registry entry's title and the date in parentheses, with no `title` attribute
(Material mounts a tooltip component for every title).
Inline code and code blocks are left alone, as Python-Markdown stashes them before
inline patterns run; so is raw HTML, which is where the generated tables live.

A marker with an unknown source id, a malformed or impossible date, or a date in the
future stops the build with `docs/PAGE.md:LINE: ...; fix: ...`. Python-Markdown does
not say which file it is rendering, so the extension finds the marker's text in
`docs_dir` to name the page and line.

`scripts/facts.py` (`make facts`) lists every marker with its age, and
`site_markdown/fact_scan.py` finds the changing statements that lack one.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from pathlib import Path

import yaml
from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

SOURCES_FILE = "data/sources.yml"
DOCS_DIR = "docs"
# A well-formed marker: a source id, one space, an ISO date.
MARKER = re.compile(r"\[\[(?P<id>[a-z0-9][a-z0-9-]*) (?P<date>\d{4}-\d{2}-\d{2})\]\]")
# Anything that looks like an attempt at one, so that a typo fails instead of
# printing as text: two brackets, then a word, and no bracket before the end.
CANDIDATE = r"(?<![\w\[\]])\[\[(?P<body>[A-Za-z0-9][^\[\]\n]{0,80})\]\](?!\])"
ID = re.compile(r"[a-z0-9][a-z0-9-]*")
PRIORITY = 175  # after inline code (190) and escapes (180), before links (160-170)


class FactError(ValueError):
    """A bad marker or registry entry; the message names the place and the fix."""


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class Fact:
    source_id: str
    checked: dt.date
    source: Source


def load_sources(path: Path) -> dict[str, Source]:
    """The registry, checked: every entry has a short title and an https URL."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise FactError(f"{path}: cannot read the source registry ({error})") from error
    if not isinstance(raw, dict) or not raw:
        raise FactError(f"{path}: expected a mapping of source ids to title and url")
    sources: dict[str, Source] = {}
    for key, entry in raw.items():
        where = f"{path}: source {key!r}"
        if not isinstance(key, str) or not ID.fullmatch(key):
            raise FactError(f"{where}: ids are lowercase words joined by hyphens")
        if not isinstance(entry, dict) or set(entry) != {"title", "url"}:
            raise FactError(f"{where}: give exactly `title` and `url`")
        title, url = entry["title"], entry["url"]
        if not isinstance(title, str) or not title.strip():
            raise FactError(f"{where}: `title` must be a short text")
        if not isinstance(url, str) or not url.startswith("https://"):
            raise FactError(f"{where}: `url` must be an https:// address")
        sources[key] = Source(title.strip(), url)
    return sources


_CACHE: dict[tuple[Path, int], dict[str, Source]] = {}


def _cached_sources(path: Path) -> dict[str, Source]:
    """The registry, read once per version of the file (MkDocs renders page by page)."""
    try:
        key = (path.resolve(), path.stat().st_mtime_ns)
    except OSError:
        return load_sources(path)  # which raises, naming the file
    if key not in _CACHE:
        _CACHE[key] = load_sources(path)
    return _CACHE[key]


def check_marker(body: str, sources: dict[str, Source], today: dt.date) -> Fact:
    """The fact that a marker's `id YYYY-MM-DD` names; FactError says what is wrong."""
    parts = body.split(" ")
    if len(parts) != 2 or not parts[1]:
        raise FactError(
            "a marker is a source id and a date separated by one space; "
            "fix: write it as [[source-id YYYY-MM-DD]]"
        )
    source_id, text = parts
    if source_id not in sources:
        raise FactError(
            f'the source id "{source_id}" is not in {SOURCES_FILE}; '
            f"fix: use one of its ids or add an entry with a title and url"
        )
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise FactError(
            f'the date "{text}" is not YYYY-MM-DD; '
            "fix: write the day you read the source, e.g. 2026-12-02"
        )
    try:
        checked = dt.date.fromisoformat(text)
    except ValueError:
        raise FactError(
            f'the date "{text}" is not a real day; fix: correct the month or day'
        ) from None
    if checked > today:
        raise FactError(
            f'the date "{text}" is in the future; '
            "fix: write the day you read the source"
        )
    return Fact(source_id, checked, sources[source_id])


def locate(raw: str, docs_dir: Path) -> list[str]:
    """Every `path:line` in docs_dir whose text holds `raw`, for error messages."""
    places = []
    for path in sorted(docs_dir.rglob("*.md")):
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError:
            continue
        places += [f"{path}:{n}" for n, line in enumerate(lines, 1) if raw in line]
    return places


def fact_element(fact: Fact) -> etree.Element:
    span = etree.Element("span", {"class": "fact"})
    span.text = AtomicString("(")
    link = etree.SubElement(span, "a", {"href": fact.source.url})
    # Atomic: no later inline pattern or abbreviation touches the link text.
    link.text = AtomicString(f"{fact.source.title}, checked {fact.checked.isoformat()}")
    link.tail = AtomicString(")")
    return span


def plain_text(markdown: str, sources: dict[str, Source]) -> str:
    """Markers as Markdown links, for llms-full.txt and other plain-text copies."""

    def link(match: re.Match[str]) -> str:
        source = sources.get(match["id"])
        if source is None:
            return match[0]
        return f"([{source.title}]({source.url}), checked {match['date']})"

    return MARKER.sub(link, markdown)


class FactProcessor(InlineProcessor):
    def __init__(self, extension: FactsExtension, md: Markdown) -> None:
        super().__init__(CANDIDATE, md)
        self.extension = extension

    def handleMatch(self, m: re.Match[str], data: str):
        ext = self.extension
        try:
            fact = check_marker(m["body"], ext.sources(), ext.today())
        except FactError as error:
            where = ext.where(m[0])
            raise FactError(f"{where}: fact marker {m[0]}: {error}") from None
        return fact_element(fact), m.start(0), m.end(0)


class FactsExtension(Extension):
    def __init__(self, **kwargs) -> None:
        self.config = {
            "sources": [SOURCES_FILE, "the source registry, relative to the cwd"],
            "docs_dir": [DOCS_DIR, "where to look for a bad marker's page and line"],
            "today": ["", "the date markers may not be later than (default: today)"],
        }
        super().__init__(**kwargs)
        self._sources: dict[str, Source] | None = None

    def sources(self) -> dict[str, Source]:
        if self._sources is None:
            self._sources = _cached_sources(Path(self.getConfig("sources")))
        return self._sources

    def today(self) -> dt.date:
        text = self.getConfig("today")
        return dt.date.fromisoformat(text) if text else dt.date.today()

    def where(self, raw: str) -> str:
        places = locate(raw, Path(self.getConfig("docs_dir")))
        return ", ".join(places) or "the page being built"

    def extendMarkdown(self, md: Markdown) -> None:
        md.inlinePatterns.register(FactProcessor(self, md), "fact", PRIORITY)


def makeExtension(**kwargs) -> FactsExtension:
    return FactsExtension(**kwargs)
