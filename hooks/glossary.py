"""MkDocs hook: the glossary page and the hover tooltips, both from glossary.yml.

- on_config loads glossary.yml strictly (hooks/glossary_source.py); a malformed file
  stops the build with `glossary.yml:LINE: ...` messages.
- on_nav scans the Markdown source of every page in the nav (fenced code and front
  matter left out) to find which pages use each term or one of its aliases.
- on_config also hands every surface form of every term, with its definition, to the
  `abbr` extension's `glossary` option. Every Markdown render then turns each
  occurrence into `<abbr title="...">`, which Material's `content.tooltips` feature
  shows as a tooltip: pages and the docstrings mkdocstrings renders alike.
- on_page_markdown replaces the `<!-- glossary -->` line of docs/glossary.md with the
  rendered glossary.
- on_page_content keeps a term's tooltip at its first use in each section (each H2)
  and turns its later uses there back into plain text: a reader who jumps to a
  section meets every term's definition once, and long pages are not underlined
  three hundred times (Material mounts a script component for every tooltip, which
  cost Stage 3 most of its start-up time).

The glossary page itself gets no tooltips: each definition is printed right under its
term, so tooltips there would only underline every heading and link a second time.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from glossary_source import GlossaryError, Term, load_glossary
from mkdocs.exceptions import PluginError

GLOSSARY_FILE = "glossary.yml"  # next to mkdocs.yml
GLOSSARY_PAGE = "glossary.md"  # in docs/
MARKER = "<!-- glossary -->"
STAGE_PAGES = {
    1: "stages/01-model-as-component.md",
    2: "stages/02-context-and-prompting.md",
    3: "stages/03-retrieval.md",
    4: "stages/04-agents-and-tools.md",
    5: "stages/05-reliability.md",
    6: "stages/06-specialise.md",
}

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
H1 = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.M)
LINK_TARGET = re.compile(r"\]\([^)]*\)")
SECTION_START = re.compile(r"(?=<h2[\s>])")
TOOLTIP = re.compile(r'<abbr title="(?P<title>[^"]*)">(?P<text>.*?)</abbr>', re.S)


@dataclass(frozen=True)
class PageSource:
    """What the glossary needs to know about one page."""

    src_uri: str  # "stages/01-model-as-component.md"
    title: str
    text: str  # Markdown body without front matter and fenced code


_terms: list[Term] = []
_no_tooltips = ""  # appended to the glossary page, which defines every term in place
_pages: list[PageSource] = []


# ----------------------------------------------------------------- hook events


def on_config(config):
    global _terms, _no_tooltips
    path = Path(config.config_file_path).parent / GLOSSARY_FILE
    try:
        _terms = load_glossary(path)
    except GlossaryError as exc:
        raise PluginError(str(exc)) from exc
    # The abbr extension's own glossary option: every Markdown render gets the
    # tooltips, pages and mkdocstrings' docstrings alike.
    forms = tooltip_titles(_terms)
    config.mdx_configs.setdefault("abbr", {})["glossary"] = forms
    # An empty definition switches a tooltip off (Python-Markdown 3.7 and later).
    _no_tooltips = "\n\n" + "\n\n".join(f'*[{form}]: ""' for form in forms) + "\n"


def on_serve(server, config, builder):
    server.watch(str(Path(config.config_file_path).parent / GLOSSARY_FILE))
    return server


def on_nav(nav, config, files):
    global _pages
    _pages = [
        read_page(page.file.src_uri, page.file.content_string)
        for page in nav.pages
        if page.file.src_uri.endswith(".md")
    ]


def on_page_markdown(markdown, page, config, files):
    src_uri = page.file.src_uri
    if src_uri == GLOSSARY_PAGE:
        if MARKER not in markdown:
            raise PluginError(
                f"docs/{GLOSSARY_PAGE}: the line {MARKER} is missing; the glossary "
                f"generated from {GLOSSARY_FILE} replaces it"
            )
        body = render_glossary(_terms, _pages, GLOSSARY_PAGE)
        return markdown.replace(MARKER, body, 1) + _no_tooltips
    return markdown


def on_page_content(html, page, config, files):
    if page.file.src_uri != GLOSSARY_PAGE:
        return first_tooltips_only(html)
    # The table of contents is the A-Z index: letters only. Listing all ~200
    # terms would draw them twice (sidebar and mobile drawer), a third of the
    # page's elements, and Material would watch every one of them on scroll.
    for heading in page.toc:
        for letter in heading.children:
            letter.children = []
    return html


def first_tooltips_only(html: str) -> str:
    """Keep each tooltip (an <abbr> with its title) at its first use in each H2
    section of the page; unwrap its later uses in the same section."""
    return "".join(first_tooltips_in(section) for section in SECTION_START.split(html))


def first_tooltips_in(section: str) -> str:
    seen: set[str] = set()

    def first_use(match: re.Match[str]) -> str:
        if match["title"] in seen:
            return match["text"]
        seen.add(match["title"])
        return match[0]

    return TOOLTIP.sub(first_use, section)


# ----------------------------------------------------------------- page sources


def read_page(src_uri: str, source: str) -> PageSource:
    """Split off front matter and fenced code; find the page title like MkDocs does
    (front matter `title`, else the first H1, else the file name)."""
    meta, body = split_front_matter(source)
    body = strip_fenced_code(body)
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        heading = H1.search(body)
        stem = posixpath.splitext(posixpath.basename(src_uri))[0]
        title = heading.group(1) if heading else stem.replace("-", " ").capitalize()
    return PageSource(src_uri=src_uri, title=title.strip(), text=body)


def split_front_matter(source: str) -> tuple[dict, str]:
    match = FRONT_MATTER.match(source)
    if not match:
        return {}, source
    try:
        meta = yaml.safe_load(match.group(1) or "")
    except yaml.YAMLError:
        meta = None  # MkDocs reports broken front matter itself
    return (meta if isinstance(meta, dict) else {}), source[match.end() :]


def strip_fenced_code(markdown: str) -> str:
    """Drop ``` and ~~~ fenced blocks, including indented ones (in admonitions)."""
    kept: list[str] = []
    fence = ""  # the opening fence while inside a block
    for line in markdown.splitlines():
        if not fence:
            if match := FENCE.match(line):
                fence = match.group(1)
            else:
                kept.append(line)
        elif re.fullmatch(rf"{fence[0]}{{{len(fence)},}}", line.strip()):
            fence = ""
    return "\n".join(kept)


# ----------------------------------------------------------------- surface forms


def plural(word: str) -> str:
    """The regular English plural of a name's last word: chunk -> chunks,
    batch -> batches, memory -> memories. A word ending in s is left alone (it is
    usually plural already); irregular plurals belong in `aliases`."""
    if word.endswith("s"):
        return word
    if re.search(r"(x|z|ch|sh)$", word):
        return word + "es"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    return word + "s"


def written_forms(term: Term) -> list[str]:
    """The term, its aliases and their plurals: what "Used on" searches for,
    whole-word and case-insensitively."""
    return _unique(
        form for name in (term.term, *term.aliases) for form in (name, plural(name))
    )


def tooltip_forms(term: Term) -> list[str]:
    """The exact strings that get a tooltip (`abbr` matching is case-sensitive).

    Each written form as given, plus its other first-letter case when the rest of it is
    lower case ("Context window" <-> "context window"). Forms with capitals inside
    (RAG, Claude Code, OpenTelemetry) are names and only match as written.
    """
    forms = []
    for form in written_forms(term):
        forms.append(form)
        if form[1:] == form[1:].lower():
            forms += [form[0].lower() + form[1:], form[0].upper() + form[1:]]
    # `abbr` matches with \b on both sides, so a form must start and end with a word
    # character to match at all.
    return [form for form in _unique(forms) if re.fullmatch(r"\w(.*\w)?", form)]


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


# ----------------------------------------------------------------- tooltips


def tooltip_text(definition: str) -> str:
    """The definition as plain text on one line: a `title` attribute shows no
    Markdown, and the abbreviation syntax ends at the line break."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", definition)  # [text](url) -> text
    text = text.replace("`", "").replace("**", "")
    return " ".join(text.split())


def tooltip_titles(terms: Sequence[Term]) -> dict[str, str]:
    """Every form of every term with its tooltip text. When two terms claim the same
    form, the first one keeps it."""
    claimed: dict[str, str] = {}
    for term in terms:
        title = tooltip_text(term.definition)
        for form in tooltip_forms(term):
            claimed.setdefault(form, title)
    return claimed


# ----------------------------------------------------------------- the glossary page


def uses(term: Term, page: PageSource) -> bool:
    """Whether the page's Markdown (link targets aside) mentions the term."""
    pattern = "|".join(re.escape(form) for form in written_forms(term))
    text = LINK_TARGET.sub("]", page.text)
    return re.search(rf"(?<!\w)(?:{pattern})(?!\w)", text, re.IGNORECASE) is not None


def render_glossary(
    terms: Sequence[Term], pages: Sequence[PageSource], glossary_page: str
) -> str:
    """The glossary as Markdown: terms sorted alphabetically under letter headings,
    each with a stable anchor, its definition, stage, related terms and "Used on"."""
    here = posixpath.dirname(glossary_page) or "."

    def link(title: str, src_uri: str) -> str:
        return f"[{title}]({posixpath.relpath(src_uri, here)})"

    titles = {page.src_uri: page.title for page in pages}
    anchors = {term.term: term.anchor for term in terms}
    readers = [page for page in pages if page.src_uri != glossary_page]

    out: list[str] = []
    letter = ""
    for term in sorted(terms, key=lambda term: term.term.casefold()):
        first = term.term[0].upper() if term.term[0].isalpha() else "#"
        if first != letter:
            letter = first
            out.append(f"## {letter}\n")
        stage_page = STAGE_PAGES[term.stage]
        stage_title = titles.get(stage_page, f"Stage {term.stage}")
        details = [f"Stage: {link(stage_title, stage_page)}"]
        # Aliases that only respell the term in another case exist for tooltips.
        aliases = [a for a in term.aliases if a.casefold() != term.term.casefold()]
        if aliases:
            details.append(f"Also called: {', '.join(aliases)}")
        if term.related:
            related = ", ".join(f"[{name}](#{anchors[name]})" for name in term.related)
            details.append(f"Related: {related}")
        used_on = [
            link(page.title, page.src_uri) for page in readers if uses(term, page)
        ]
        details.append(f"Used on: {', '.join(used_on) or 'no page yet'}")
        out.append(f"### {term.term} {{ #{term.anchor} }}\n")
        out.append(f"{term.definition}\n")
        # One plain line, not a list: the page has ~200 entries, and every element
        # counts in a long page's first layout. Left out of the search index, which
        # every page downloads: page titles repeated ~1,500 times find nothing new.
        out.append(" · ".join(details) + "\n{ data-search-exclude }\n")
    return "\n".join(out)
