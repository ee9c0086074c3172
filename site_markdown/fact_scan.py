"""Find the facts on the pages and in the glossary: marked, or changing and unmarked.

The pages are read as Markdown source, in units a reader sees as one statement: a
paragraph, a list item, a table row or an admonition's title (headings name
sections and are left out). Front
matter, fenced code, included code (`--8<--`), abbreviation lines and HTML comments
are left out, so the generated tables (whose markers are comments) are too.

A unit that holds a marker, `[[source-id YYYY-MM-DD]]`, is sourced. A unit in one
of the known-changing categories without one is a finding:

- price:   a dollar amount per token (`$2 per million`, `$4 / MTok`, `$10 / $50`)
- limit:   a token count with k or M (`1M tokens`, `64k`), a size in MB, pixels,
           or a count of tokens, pages or images next to a word such as "maximum"
- version: a package or product name followed by a version (`anthropic 2.15`,
           `pgvector 0.8`, `PostgreSQL 18`)
- default: "default" next to a value (a number, `code`, on/off, "defaults to X")
- model:   a Claude model family in the same sentence as a claim about the lineup
           (newest, top, above, successor, retired, ...)

Two kinds of unit are not external facts and are not findings: figures measured by
this project, inside an admonition whose title says they come from the double or
were measured (a price per token there still needs its source); and a unit with
`<!-- not-a-fact: reason -->`, a reviewed exception.
Dated posts under docs/changes/posts/ are exempt: each post is itself dated.

glossary.yml is scanned too, one unit per definition. A definition is also a
tooltip, shown as plain text, so its markers are a field of their own, `checked`,
which the glossary page shows under the definition (and a reviewed exception is
the field `not_a_fact: reason`); site_markdown/glossary_source.py validates both:

    - term: TTL
      definition: ... Prompt-cache entries last five minutes by default ...
      checked: "[[prompt-caching 2026-11-25]]"
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from site_markdown.facts import CANDIDATE, MARKER

EXEMPT_DIRS = ("changes/posts",)
GLOSSARY_FILE = "glossary.yml"  # next to docs/
FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n---[ \t]*\n", re.S)
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
COMMENT = re.compile(r"(?<!`)<!--(.*?)-->", re.S)  # not one shown as inline code
NOT_A_FACT = re.compile(r"^\s*not-a-fact:\s*(\S.*?)\s*$", re.S)
ADMONITION = re.compile(
    r"^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)[ \t]+\w[\w-]*"
    r"(?:[ \t]+\"(?P<title>[^\"]*)\")?"
)
LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d+\.)[ \t]+")
MEASURED_TITLE = re.compile(r"\bdouble\b|\bmeasured\b", re.I)
INLINE_CODE = re.compile(r"(`+)(.+?)\1")
LINK_TARGET = re.compile(r"\]\([^)]*\)|<https?://[^>]*>|https?://\S+")

MODELS = r"(?:Opus|Sonnet|Haiku|Fable|Mythos)"


def _words(*phrases: str) -> str:
    """Alternatives of whole words; a space in a phrase matches any line break too."""
    return r"\b(?:" + "|".join(p.replace(" ", r"\s+") for p in phrases) + r")\b"


NUMBER = r"\$\d[\d,]*(?:\.\d+)?"
PRICE = re.compile(
    rf"{NUMBER}(?:\s*(?:,|and|or|to|/|-|\u2013)\s*{NUMBER})*"
    r"(?:\s*(?:/\s*MTok|/\s*M\b|per\s+(?:million|MTok|1M|M)\b|a\s+million)"
    r"|(?<=\d)\s*/\s*\$\d[\d,]*(?:\.\d+)?)",
    re.I,
)
LIMIT = re.compile(
    r"\b\d+(?:\.\d+)?\s?[kKM](?:[-\s]tokens?\b|\s+(?:context|window|output)\b)"
    r"|\b(?:a|one)\s+million[-\s]tokens?\b|\bmillion-token\b"
    r"|\b\d[\d,.]*\s?(?:MB|GB|KB|MiB|GiB)\b"
    r"|\b\d[\d,]*\s*(?:\u00d7|x)\s*\d[\d,]*\s*(?:pixels|px)\b|\b\d[\d,]*\s*(?:pixels|px)\b"
)
COUNTED = re.compile(
    r"\b\d{1,3}(?:,\d{3})+\s+(?:tokens|pages|images)\b"
    r"|\b\d+\s+(?:PDF\s+)?(?:tokens|pages|images)\b"
)
LIMIT_WORDS = re.compile(
    _words(
        "minimum",
        "maximum",
        "limit",
        "limits",
        "at most",
        "up to",
        "window",
        "cap",
        "ceiling",
        "no more than",
        "cacheable",
        "shortest",
        "longest",
        "largest",
        "or more",
        "or fewer",
        "or longer",
        "shorter than",
        "longer than",
    ),
    re.I,
)
PACKAGES = (
    r"anthropic|pydantic|psycopg|pgvector|numpy|bm25s|mcp|jsonschema|pytest|ruff|mkdocs"
    r"|opentelemetry[\w-]*|sentence-transformers|mkdocs-material|pymdown-extensions|torch"
    r"|vllm|ollama|playwright|zensical|langgraph|crewai|autogen|python|node"
)
PRODUCTS = (
    r"PostgreSQL|Postgres|Lighthouse|Chromium|Debian|Ubuntu|Python|Node|Material|MkDocs"
)
NOT_PRODUCTS = (
    r"Stage|Part|Step|Figure|Table|Section|Chapter|Claude|Opus|Sonnet|Haiku|Fable|Mythos"
    r"|Top|Rule|Item|Level|Tier|Phase|Row|Line|Version|The|A|An|On|In|At|Of|And|Or|For|To"
    r"|By|Per|With|From|All|Both|Every|Each|Only"
)
VERSION = re.compile(
    rf"\b(?:(?:{PACKAGES})|SDK|API|version)\s+v?\d+(?:\.\d+)+\b"
    rf"|\b(?:{PRODUCTS})\s+v?\d+(?:\.\d+)*\b"
    rf"|\b(?!(?:{NOT_PRODUCTS})\b)[A-Z][A-Za-z]+(?:[-.][A-Za-z]+)*\s+v?\d+\.\d+(?:\.\d+)?\b"
    r"|\bversion\s+\d{4}-\d{2}-\d{2}\b",  # a dated API version
)
DEFAULT = re.compile(_words("defaults", "default", "by default"), re.I)
DEFAULT_VALUE = re.compile(
    r"\d|`|"
    + _words(
        "on by default", "off by default", "enabled by default", "disabled by default"
    )
    + r"|\bdefaults?\s+(?:is|to|of)\s+\"?\w"
    + r"|\b(?:low|medium|high|xhigh|max)\b"  # effort levels
    + r"|\b(?:one|two|three|four|five|ten|fifteen|twenty|thirty|sixty)\s+"
    + r"(?:seconds?|minutes?|hours?|days?)\b",  # a duration in words
    re.I,
)
NEAR = 30  # how close to "default" its value must be, in characters
NOT_VALUES = re.compile(rf"\b(?:Stage|Part|Step|{MODELS}|Claude)\s+\d+(?:\.\d+)?\b")
LINEUP = re.compile(
    _words(
        "top",
        "most capable",
        "largest",
        "smallest",
        "fastest",
        "cheapest",
        "newest",
        "latest",
        "flagship",
        "above",
        "successor",
        "retired",
        "retires",
        "retire",
        "deprecated",
        "legacy",
        "replaced",
        "replaces",
        "current lineup",
    ),
    re.I,
)
MODEL_NAME = re.compile(rf"\b{MODELS}\b")
STATUS = re.compile(
    _words(
        "beta",
        "betas",
        "research preview",
        "preview",
        "generally available",
        "general availability",
        "maintenance mode",
        "experimental",
        "pre-release",
        "release candidate",
        "production-ready",
        "Development status",
    ),
    re.I,
)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(`*\[])")


@dataclass(frozen=True)
class Unit:
    """One statement as the source has it: lines with their numbers."""

    path: str
    lines: tuple[tuple[int, str], ...]
    measured: bool = False

    @property
    def line(self) -> int:
        return self.lines[0][0]

    @property
    def text(self) -> str:
        return "\n".join(text for _, text in self.lines)

    def line_at(self, offset: int) -> int:
        return self.lines[self.text.count("\n", 0, offset)][0]


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    category: str
    matched: str

    def __str__(self) -> str:
        if self.path.endswith(GLOSSARY_FILE):
            return (
                f'{self.path}:{self.line}: a {self.category} ("{self.matched}") '
                'with no source: add the field checked: "[[source-id YYYY-MM-DD]]" '
                "to the entry (ids in data/sources.yml), or not_a_fact: reason if "
                "it is not a fact from outside this project"
            )
        return (
            f'{self.path}:{self.line}: a {self.category} ("{self.matched}") '
            "with no source: add [[source-id YYYY-MM-DD]] after the statement "
            "(ids in data/sources.yml), or <!-- not-a-fact: reason --> if it is "
            "not a fact from outside this project"
        )


@dataclass(frozen=True)
class Marked:
    """A marker as written on a page, and the start of the statement it closes."""

    path: str
    line: int
    raw: str
    source_id: str
    date: str
    statement: str


def pages(docs_dir: Path) -> Iterator[Path]:
    for path in sorted(docs_dir.rglob("*.md")):
        relative = path.relative_to(docs_dir).as_posix()
        if not relative.startswith(EXEMPT_DIRS):
            yield path


def units(text: str, path: str) -> list[Unit]:
    """The statements of one page, without code, comments or front matter."""
    match = FRONT_MATTER.match(text)
    first = text.count("\n", 0, match.end()) if match else 0
    body = text[match.end() :] if match else text
    body = COMMENT.sub(_keep_exemptions, body)
    found: list[Unit] = []
    current: list[tuple[int, str]] = []
    measured_indent: int | None = None
    fence: str | None = None
    measured = False

    def close() -> None:
        nonlocal current
        if current:
            found.append(Unit(path, tuple(current), measured))
        current = []

    for number, line in enumerate(body.splitlines(), first + 1):
        opening = FENCE.match(line)
        if fence is not None:
            mark = opening.group(1) if opening else ""
            if mark[:1] == fence[0] and len(mark) >= len(fence):
                fence = None
            continue
        if opening:
            close()
            fence = opening.group(1)
            continue
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if measured_indent is not None and stripped and indent <= measured_indent:
            close()
            measured_indent = None
            measured = False
        if not stripped or stripped.startswith(("--8<--", "*[")):
            close()
            continue
        admonition = ADMONITION.match(line)
        if admonition:
            close()
            title = admonition["title"] or ""
            current = [(number, title)]
            close()
            if MEASURED_TITLE.search(title):
                measured_indent = len(admonition["indent"])
                measured = True
            continue
        if stripped.startswith("#"):  # a heading names a section; it states nothing
            close()
            continue
        # A list marker starts a new item only where a list can be: after a blank
        # line or another item ("400. On Opus" inside a paragraph is text).
        in_list = bool(current) and bool(LIST_ITEM.match(current[0][1]))
        new_item = LIST_ITEM.match(line) and (in_list or not current)
        if stripped.startswith("|") or new_item:
            close()
        current.append((number, line))
        if stripped.startswith("|"):
            close()
    close()
    return found


def _keep_exemptions(match: re.Match[str]) -> str:
    """Comments go, keeping their line breaks; a not-a-fact note stays as a token."""
    exemption = NOT_A_FACT.match(match.group(1))
    kept = " <not-a-fact> " if exemption else ""
    return kept + "\n" * match.group(0).count("\n")


def prose(text: str) -> str:
    """The text with code, link targets and markers blanked, offsets kept."""
    text = INLINE_CODE.sub(lambda m: m[1] + "x" * len(m[2]) + m[1], text)
    text = LINK_TARGET.sub(lambda m: " " * len(m[0]), text)
    return re.sub(CANDIDATE, lambda m: " " * len(m[0]), text)


def findings(unit: Unit) -> list[Finding]:
    """The changing statements in a unit that has no marker and no exemption."""
    if re.search(CANDIDATE, unit.text) or "<not-a-fact>" in unit.text:
        return []
    text = prose(unit.text)
    found: list[Finding] = []
    if unit.measured:  # measured here; but a price per token is always someone else's
        for match in PRICE.finditer(text):
            line = unit.line_at(match.start())
            found.append(Finding(unit.path, line, "price", match[0]))
        return _first_per_line(found)

    def add(category: str, match: re.Match[str], base: int = 0) -> None:
        start = base + match.start()
        matched = " ".join(match[0].split())
        found.append(Finding(unit.path, unit.line_at(start), category, matched))

    for pattern, category in (
        (PRICE, "price"),
        (LIMIT, "limit"),
        (VERSION, "version"),
        (STATUS, "status"),
    ):
        for match in pattern.finditer(text):
            add(category, match)
    for base, sentence in _sentences(text):
        if LIMIT_WORDS.search(sentence):
            for match in COUNTED.finditer(sentence):
                add("limit", match, base)
        valued = NOT_VALUES.sub(lambda m: " " * len(m[0]), sentence)
        for match in DEFAULT.finditer(valued):
            near = valued[max(0, match.start() - NEAR) : match.end() + NEAR]
            if DEFAULT_VALUE.search(near):
                add("default", match, base)
                break
        model = MODEL_NAME.search(sentence)
        claim = LINEUP.search(sentence)
        if model and claim:
            add("model lineup claim", claim, base)
    return _first_per_line(found)


def _sentences(text: str) -> Iterator[tuple[int, str]]:
    start = 0
    for match in SENTENCE_END.finditer(text):
        yield start, text[start : match.start()]
        start = match.end()
    yield start, text[start:]


def _first_per_line(found: list[Finding]) -> list[Finding]:
    seen: set[tuple[int, str]] = set()
    kept = []
    for finding in sorted(found, key=lambda f: f.line):
        if (finding.line, finding.category) not in seen:
            seen.add((finding.line, finding.category))
            kept.append(finding)
    return kept


def markers(unit: Unit) -> list[Marked]:
    """Every well-formed marker in a unit, with the first words of its statement
    (markers in a row share one)."""
    text = unit.text
    marked: list[Marked] = []
    previous = 0
    for match in MARKER.finditer(text):
        before = text[previous : match.start()]
        sentences = [s for _, s in _sentences(before) if s.strip()]
        statement = _plain(sentences[-1] if sentences else before)
        if not statement and marked:
            statement = marked[-1].statement
        marked.append(
            Marked(
                unit.path,
                unit.line_at(match.start()),
                match[0],
                match["id"],
                match["date"],
                statement,
            )
        )
        previous = match.end()
    return marked


def _plain(text: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(
        r"[*_`|]|^[ \t]*(?:[-+]|\d+\.)[ \t]+|<not-a-fact>", " ", text, flags=re.M
    )
    return " ".join(text.split())


def glossary_units(text: str, path: str) -> list[Unit]:
    """Each glossary definition, followed by its `checked` markers (quotes blanked)
    or, for `not_a_fact`, the exemption token, each on its own line."""
    lines = text.splitlines()
    found = []
    for fields in _glossary_entries(text):
        definition = fields.get("definition")
        if not isinstance(definition, yaml.ScalarNode):
            continue
        kept = list(_scalar_lines(definition, lines))
        checked = fields.get("checked")
        if isinstance(checked, yaml.ScalarNode):
            kept += [
                (n, re.sub("[\"']", " ", line))
                for n, line in _scalar_lines(checked, lines)
            ]
        if "not_a_fact" in fields:
            kept.append((fields["not_a_fact"].start_mark.line + 1, " <not-a-fact> "))
        found.append(Unit(path, tuple((n, line) for n, line in kept if line.strip())))
    return found


def _glossary_entries(text: str) -> Iterator[dict[str, yaml.Node]]:
    """Each entry of glossary.yml as its field nodes."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    for entry in root.value if isinstance(root, yaml.SequenceNode) else []:
        if isinstance(entry, yaml.MappingNode):
            yield {str(key.value): value for key, value in entry.value}


def _scalar_lines(value: yaml.ScalarNode, lines: list[str]) -> list[tuple[int, str]]:
    """A scalar's text as the file has it, with line numbers."""
    start, end = value.start_mark, value.end_mark
    if value.style in (">", "|"):  # the text starts on the line after `>-`
        stop = end.line + (1 if end.column else 0)
        return [(n + 1, lines[n]) for n in range(start.line + 1, stop)]
    kept = [(start.line + 1, " " * start.column + lines[start.line][start.column :])]
    return kept + [(n + 1, lines[n]) for n in range(start.line + 1, end.line + 1)]


def glossary_exemptions(text: str) -> list[tuple[int, str]]:
    """Every `not_a_fact` field of glossary.yml: (line, reason)."""
    return [
        (node.start_mark.line + 1, " ".join(str(node.value).split()))
        for fields in _glossary_entries(text)
        if (node := fields.get("not_a_fact")) is not None
    ]


def scan(
    docs_dir: Path, root: Path | None = None
) -> tuple[list[Marked], list[Finding]]:
    """Every marker and every finding under docs_dir and in the glossary next to
    it, paths relative to root."""
    root = root or docs_dir.parent
    all_markers: list[Marked] = []
    all_findings: list[Finding] = []
    sources = [(path, units) for path in pages(docs_dir)]
    glossary = docs_dir.parent / GLOSSARY_FILE
    if glossary.is_file():
        sources.append((glossary, glossary_units))
    for path, read in sources:
        name = path.relative_to(root).as_posix()
        for unit in read(path.read_text(encoding="utf-8"), name):
            all_markers += markers(unit)
            all_findings += findings(unit)
    return all_markers, all_findings
