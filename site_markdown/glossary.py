"""Python-Markdown extension: the glossary page and every page's hover tooltips.

Both come from glossary.yml.

- Loading the extension loads glossary.yml strictly (site_markdown/glossary_source.py):
  a malformed file stops the build with its `glossary.yml:LINE: ...` messages (MkDocs
  loads every extension once when it reads mkdocs.yml, Zensical before each page).
- On the page holding the line `<!-- glossary -->` (docs/glossary.md), that line
  becomes the rendered glossary: terms sorted under letter headings, each with its
  stable anchor, definition, stage, other names, related terms and "Used on". A
  definition's `checked` markers go on a line of their own under it, as the page
  markers they are, for site_markdown.facts to render as dated source links (the
  build stops if that extension is missing). Which
  pages use a term spans the site, so the extension leaves
  `<span data-used-on="ANCHOR"></span>` there and the post-build step fills it.
  The page's table of contents keeps the letters only: all ~200 terms would be drawn
  twice (sidebar and mobile drawer) and Material would watch every one on scroll.
- Every other page gets a tooltip on every written form of every term: the `abbr`
  extension's abbreviations, filled from the glossary before each page is parsed,
  wrap each occurrence in `<abbr title="definition">`, the definition alone as plain
  text, without its sources (the extension registers `abbr`
  itself if mkdocs.yml does not). Then a postprocessor, which sees the whole page
  including the HTML mkdocstrings renders for docstrings, keeps a term's tooltip at
  its first use in each section (each H2) and turns its later uses there back into
  plain text: a reader who jumps to a section meets each definition once, and long
  pages are not underlined three hundred times.

The glossary page itself gets no tooltips: each definition is printed right under its
term, so tooltips there would only underline every heading and link a second time.
With `tooltips: false` no page gets any (the Lighthouse baseline's stock site).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.abbr import AbbrExtension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from site_markdown.glossary_source import Term, load_glossary, sources_file
from site_markdown.page import DOCS_DIR, SiteError, rendered_page, split_front_matter

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
# Before html_block (20), which would stash the marker away as raw HTML.
PREPROCESSOR_PRIORITY = 28
# After raw_html (30) has put back the HTML that extensions and mkdocstrings stashed,
# and amp_substitute (20) its entities: the final HTML.
POSTPROCESSOR_PRIORITY = 18
FACTS_EXTENSION = "site_markdown.facts"
FACT_PATTERN = "fact"  # the inline pattern site_markdown.facts registers

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


# ----------------------------------------------------------------- the glossary file

_CACHE: dict[tuple[Path, int, int], tuple[list[Term], dict[str, str]]] = {}


def load_terms(path: Path = Path(GLOSSARY_FILE)) -> list[Term]:
    """The glossary's terms, read strictly once per version of the file (and of the
    source registry its `checked` markers name)."""
    return _loaded(path)[0]


def _loaded(path: Path) -> tuple[list[Term], dict[str, str]]:
    try:
        registry = sources_file(path)
        registry_version = registry.stat().st_mtime_ns if registry.is_file() else 0
        key = (path.resolve(), path.stat().st_mtime_ns, registry_version)
    except OSError:
        key = None
    if key is None or key not in _CACHE:
        terms = load_glossary(path)  # raises GlossaryError, or OSError naming the file
        if key is None:
            return terms, tooltip_titles(terms)
        _CACHE[key] = (terms, tooltip_titles(terms))
    return _CACHE[key]


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


def stage_pages(docs_dir: Path) -> list[PageSource]:
    """The stage pages, read from docs/, for the "Stage:" link of each entry."""
    pages = []
    for src in STAGE_PAGES.values():
        path = docs_dir / src
        if path.is_file():
            pages.append(read_page(src, path.read_text(encoding="utf-8")))
    return pages


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
    Markdown."""
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


# ----------------------------------------------------------------- the glossary page


def uses(term: Term, page: PageSource) -> bool:
    """Whether the page's Markdown (link targets aside) mentions the term."""
    pattern = "|".join(re.escape(form) for form in written_forms(term))
    text = LINK_TARGET.sub("]", page.text)
    return re.search(rf"(?<!\w)(?:{pattern})(?!\w)", text, re.IGNORECASE) is not None


def used_on_index(
    terms: Sequence[Term], pages: Sequence[PageSource], glossary_page: str
) -> dict[str, list[PageSource]]:
    """Each term's anchor and the pages (in the given order, the glossary page left
    out) whose Markdown mentions it: the "Used on" list the post-build step prints."""
    readers = [page for page in pages if page.src_uri != glossary_page]
    return {
        term.anchor: [page for page in readers if uses(term, page)] for term in terms
    }


def used_on_marker(term: Term) -> str:
    """Where the post-build step puts a term's "Used on" links."""
    return f'<span data-used-on="{term.anchor}"></span>'


def render_glossary(
    terms: Sequence[Term],
    pages: Sequence[PageSource],
    glossary_page: str,
    *,
    used_on: bool = True,
) -> str:
    """The glossary as Markdown: terms sorted alphabetically under letter headings,
    each with a stable anchor, its definition (its `checked` fact markers on a line
    under it), stage, related terms and "Used on".

    With `used_on=False` the "Used on" list is the post-build step's marker, and
    `pages` need only hold the stage pages (for their titles)."""
    here = posixpath.dirname(glossary_page) or "."

    def link(title: str, src_uri: str) -> str:
        return f"[{title}]({posixpath.relpath(src_uri, here)})"

    titles = {page.src_uri: page.title for page in pages}
    anchors = {term.term: term.anchor for term in terms}
    index = used_on_index(terms, pages, glossary_page) if used_on else {}

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
        if used_on:
            links = [link(page.title, page.src_uri) for page in index[term.anchor]]
            details.append(f"Used on: {', '.join(links) or 'no page yet'}")
        else:
            details.append(f"Used on: {used_on_marker(term)}")
        out.append(f"### {term.term} {{ #{term.anchor} }}\n")
        out.append(f"{term.definition}\n")
        if term.checked:  # site_markdown.facts renders each as a dated source link
            out.append(f"{term.checked}\n")
        # One plain line, not a list: the page has ~200 entries, and every element
        # counts in a long page's first layout. Left out of the search index, which
        # every page downloads: page titles repeated ~1,500 times find nothing new.
        out.append(" · ".join(details) + "\n{ data-search-exclude }\n")
    return "\n".join(out)


def expand(
    markdown: str,
    pages: Sequence[PageSource],
    glossary_page: str = GLOSSARY_PAGE,
    terms: Sequence[Term] | None = None,
) -> str:
    """The page's Markdown with the glossary in place of its marker and every "Used
    on" list written out (for plain-text copies such as llms-full.txt)."""
    if MARKER not in markdown:
        return markdown
    terms = load_terms() if terms is None else terms
    return markdown.replace(MARKER, render_glossary(terms, pages, glossary_page), 1)


# ----------------------------------------------------------------- the extension


class _State:
    """What the preprocessor found out about the page, for the postprocessor."""

    glossary_page = False


class GlossaryPreprocessor(Preprocessor):
    """Renders the glossary at its marker; gives `abbr` the tooltips elsewhere."""

    def __init__(self, md: Markdown, extension: GlossaryExtension, state: _State):
        super().__init__(md)
        self.extension = extension
        self.state = state

    def run(self, lines: list[str]) -> list[str]:
        ext = self.extension
        page = rendered_page(self.md)
        text = "\n".join(lines)
        self.state.glossary_page = MARKER in text
        if self.state.glossary_page:
            if FACT_PATTERN not in self.md.inlinePatterns and any(
                term.checked for term in ext.terms()
            ):
                raise SiteError(
                    f"{GLOSSARY_FILE}: entries give 'checked' sources, which "
                    f"{FACTS_EXTENSION} renders; fix: add {FACTS_EXTENSION} to "
                    "markdown_extensions"
                )
            body = render_glossary(
                ext.terms(),
                stage_pages(Path(ext.getConfig("docs_dir"))),
                page or GLOSSARY_PAGE,
                used_on=False,
            )
            return text.replace(MARKER, body, 1).split("\n")
        if page == GLOSSARY_PAGE:
            raise SiteError(
                f"docs/{GLOSSARY_PAGE}: the line {MARKER} is missing; the glossary "
                f"generated from {GLOSSARY_FILE} replaces it"
            )
        if ext.getConfig("tooltips"):
            if "abbr" not in self.md.treeprocessors:
                AbbrExtension().extendMarkdown(self.md)
            # The page's own `*[...]:` definitions, parsed later, still win.
            self.md.treeprocessors["abbr"].abbrs.update(ext.titles())
        return lines


class TooltipPostprocessor(Postprocessor):
    """First use per section elsewhere; a letters-only table of contents on the
    glossary page."""

    def __init__(self, md: Markdown, state: _State):
        super().__init__(md)
        self.state = state

    def run(self, text: str) -> str:
        if not self.state.glossary_page:
            return first_tooltips_only(text)
        for heading in getattr(self.md, "toc_tokens", []):
            for letter in heading["children"]:
                letter["children"] = []
        return text


class GlossaryExtension(Extension):
    def __init__(self, **kwargs) -> None:
        self.config = {
            "glossary": [GLOSSARY_FILE, "the glossary file, relative to the cwd"],
            "docs_dir": [DOCS_DIR, "where the stage pages are, for their titles"],
            "tooltips": [True, "give every page but the glossary its tooltips"],
        }
        super().__init__(**kwargs)

    def terms(self) -> list[Term]:
        return _loaded(Path(self.getConfig("glossary")))[0]

    def titles(self) -> dict[str, str]:
        return _loaded(Path(self.getConfig("glossary")))[1]

    def extendMarkdown(self, md: Markdown) -> None:
        self.terms()  # a malformed glossary stops the build here, with its lines
        state = _State()
        md.preprocessors.register(
            GlossaryPreprocessor(md, self, state), "glossary", PREPROCESSOR_PRIORITY
        )
        md.postprocessors.register(
            TooltipPostprocessor(md, state), "glossary_tooltips", POSTPROCESSOR_PRIORITY
        )


def makeExtension(**kwargs) -> GlossaryExtension:
    return GlossaryExtension(**kwargs)
