"""Glossary terms carry their tooltip wherever they appear, and every term is used.

Both checks read the BUILT site (the session's `built_site`), because that is what a
reader sees. site_markdown/glossary.py gives the `abbr` extension every written form
of every term before each page is parsed, `abbr` wraps each occurrence in
<abbr title="definition">, and the extension then keeps that tooltip at the term's
first use in each section (each H2) only. So a bare occurrence is fine after the term's
tooltip in the same section; one before it, or in a section without it, means the
text never went through Markdown: raw HTML, a generated block, a title the theme
printed. The checks use the extension's own functions for the forms, so they match
exactly what `abbr` does.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from site_markdown.glossary import (
    GLOSSARY_FILE,
    GLOSSARY_PAGE,
    tooltip_forms,
    written_forms,
)
from site_markdown.glossary_source import Term, load_glossary

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
# Text that is code, not prose: terms there need no tooltip (and cannot get one).
CODE_TAGS = {"code", "pre", "kbd", "samp"}
NOT_TEXT_TAGS = {"script", "style", "svg", "template"}
# Material's and pymdownx's wrappers around code blocks, and heading permalinks.
CODE_CLASSES = {"highlight", "highlighttable", "filename"}
# Heading permalinks, and the dated source link after a fact: they name, not say.
NOT_PROSE_CLASSES = {"a": {"headerlink"}, "span": {"fact"}}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link"}
VOID_TAGS |= {"meta", "source", "track", "wbr"}
FIX = (
    "write that text in Markdown (not raw HTML, a template or a generated block) "
    "so the abbr extension can add the tooltip, or put it in `code` if it is code"
)


# ----------------------------------------------------------------- reading pages


@dataclass
class PageText:
    """The prose of one built page's article."""

    # Prose in reading order: ("section", "") at each H2, ("tooltip", text) inside an
    # <abbr>, ("bare", text) for other text outside code.
    prose: list[tuple[str, str]] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # all text but code blocks


class _ArticleText(HTMLParser):
    """Collects the text of <article>, split by where each node sits."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = PageText()
        self._stack: list[tuple[str, str]] = []  # (tag, what its text is)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID_TAGS:
            return
        if tag == "h2":
            self.page.prose.append(("section", ""))
        classes = set((dict(attrs).get("class") or "").split())
        parent = self._stack[-1][1] if self._stack else "outside"
        if parent == "outside":
            kind = "prose" if tag == "article" else "outside"
        elif parent in ("hidden", "block code"):
            kind = parent
        elif tag in NOT_TEXT_TAGS or classes & NOT_PROSE_CLASSES.get(tag, set()):
            kind = "hidden"
        elif tag == "pre" or classes & CODE_CLASSES:
            kind = "block code"
        elif tag in CODE_TAGS:
            kind = "inline code"
        elif tag == "abbr" or parent == "tooltip":
            kind = "tooltip"
        else:
            kind = parent
        self._stack.append((tag, kind))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._stack) - 1, -1, -1):
            if self._stack[depth][0] == tag:
                del self._stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        kind = self._stack[-1][1] if self._stack else "outside"
        if kind in ("prose", "tooltip", "inline code"):
            self.page.words.append(data)
        if kind == "prose":
            self.page.prose.append(("bare", data))
        elif kind == "tooltip":
            self.page.prose.append(("tooltip", data))


def article_text(html: str) -> PageText:
    parser = _ArticleText()
    parser.feed(html)
    parser.close()
    return parser.page


def source_of(site: Path, html: Path) -> str:
    """The docs/ file a built page came from, for messages (`docs/faq.md`)."""
    rel = html.relative_to(site).parent.as_posix()
    stem = "" if rel == "." else rel
    candidates = [f"{stem}.md", f"{stem}/index.md", f"{stem}.ipynb"] if stem else []
    candidates = candidates or ["index.md"]
    for candidate in candidates:
        if (DOCS / candidate).is_file():
            return f"docs/{candidate}"
    return f"site/{html.relative_to(site).as_posix()}"


def built_pages(site: Path) -> dict[str, PageText]:
    """Every page built from docs/, keyed by its source, the glossary page aside."""
    glossary = f"docs/{GLOSSARY_PAGE}"
    pages = {}
    for html in sorted(site.rglob("*.html")):
        if html.name == "404.html" or html.is_relative_to(site / "assets"):
            continue
        source = source_of(site, html)
        if source != glossary:
            pages[source] = article_text(html.read_text(encoding="utf-8"))
    return pages


# ----------------------------------------------------------------- the checks


def form_owners(terms: Sequence[Term]) -> dict[str, Term]:
    """Each tooltip form and the term whose tooltip it gets (the first one to claim
    it, as in site_markdown/glossary.py)."""
    owners: dict[str, Term] = {}
    for term in terms:
        for form in tooltip_forms(term):
            owners.setdefault(form, term)
    return owners


def abbr_pattern(forms: Iterable[str]) -> re.Pattern[str]:
    """The regular expression the `abbr` extension builds from the same forms."""
    ordered = sorted(forms, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(form) for form in ordered) + r")\b")


def missing_tooltips(terms: Sequence[Term], pages: dict[str, PageText]) -> list[str]:
    """One message per occurrence of a term outside a tooltip where no tooltip of
    that term came earlier in the same section, naming page and term."""
    owners = form_owners(terms)
    pattern = abbr_pattern(owners)
    problems = []
    for source, page in pages.items():
        if source.endswith(".ipynb"):
            continue  # nbconvert renders notebooks; Markdown extensions never see them
        explained: set[str] = set()  # terms whose tooltip this section has shown
        for kind, text in page.prose:
            if kind == "section":
                explained.clear()
                continue
            matches = list(pattern.finditer(text))
            if kind == "tooltip":
                explained.update(owners[match.group(0)].term for match in matches)
                continue
            for match in matches:
                term = owners[match.group(0)]
                if term.term in explained:
                    continue
                start, end = max(match.start() - 30, 0), match.end() + 30
                context = " ".join(text[start:end].split())
                problems.append(
                    f'{source}: the glossary term "{term.term}" appears without its '
                    f'tooltip (and not after it in the same section) in "...{context}'
                    f'..."; {FIX}'
                )
    return problems


def unused_terms(terms: Sequence[Term], pages: dict[str, PageText]) -> list[str]:
    """One message per term that no page mentions (tooltips and inline code count,
    code blocks do not), naming the term and its line in glossary.yml."""
    texts = {source: " ".join(page.words) for source, page in pages.items()}
    problems = []
    for term in terms:
        forms = "|".join(re.escape(form) for form in written_forms(term))
        pattern = re.compile(rf"(?<!\w)(?:{forms})(?!\w)", re.IGNORECASE)
        if not any(pattern.search(text) for text in texts.values()):
            problems.append(
                f'{GLOSSARY_FILE}:{term.line}: the term "{term.term}" is used on no '
                "page; use it in the prose of the page where it belongs, or remove "
                "its entry"
            )
    return problems


# ----------------------------------------------------------------- the real site


@pytest.fixture(scope="module")
def terms() -> list[Term]:
    return load_glossary(ROOT / GLOSSARY_FILE)


@pytest.fixture(scope="module")
def pages(built_site: Path) -> dict[str, PageText]:
    return built_pages(built_site)


def test_the_built_site_has_the_pages_the_checks_need(pages):
    assert "docs/index.md" in pages
    assert "docs/stages/01-model-as-component.md" in pages
    assert f"docs/{GLOSSARY_PAGE}" not in pages, "the glossary page has no tooltips"


def test_every_glossary_term_on_a_page_has_its_tooltip(terms, pages):
    problems = missing_tooltips(terms, pages)
    assert not problems, "Glossary terms without a tooltip:\n" + "\n".join(problems)


def test_every_glossary_term_is_used_on_some_page(terms, pages):
    problems = unused_terms(terms, pages)
    assert not problems, "Glossary terms no page uses:\n" + "\n".join(problems)


# ----------------------------------------------------------------- the checker itself

TERMS = [
    Term(term="Embedding", definition="A vector for a text.", stage=3, line=1),
    Term(term="RAG", definition="Retrieval first.", stage=3, line=4),
    Term(term="Reranker", definition="Orders results.", stage=3, line=7),
]


def page(body: str) -> PageText:
    return article_text(
        "<html><head><title>Embedding</title></head><body>"
        '<nav>Embedding</nav><article class="md-content__inner md-typeset">'
        f"{body}</article><footer>RAG</footer></body></html>"
    )


def test_a_term_inside_its_tooltip_passes():
    html = '<p>An <abbr title="A vector for a text.">embedding</abbr> is a vector.</p>'
    assert missing_tooltips(TERMS, {"docs/x.md": page(html)}) == []


def test_a_bare_term_is_reported_with_page_term_context_and_fix():
    html = '<div class="card"><p>Plurals count: embeddings of <b>chunks</b>.</p></div>'
    (problem,) = missing_tooltips(TERMS, {"docs/index.md": page(html)})
    assert problem.startswith(
        'docs/index.md: the glossary term "Embedding" appears without its tooltip '
        '(and not after it in the same section) in "...Plurals count: embeddings of..."'
    )
    assert "write that text in Markdown" in problem


def test_a_bare_term_after_its_tooltip_in_the_same_section_passes():
    html = (
        '<h2 id="a">A</h2><p>An <abbr title="A vector for a text.">embedding</abbr>'
        "; more embeddings.</p><p>Embedding again.</p>"
    )
    assert missing_tooltips(TERMS, {"docs/x.md": page(html)}) == []


def test_a_bare_term_before_its_tooltip_or_in_the_next_section_is_reported():
    tooltip = '<abbr title="A vector for a text.">embedding</abbr>'
    html = (
        f"<h2>A</h2><p>Embedding first, then an {tooltip}.</p>"
        f"<h2>B</h2><p>An embedding with no tooltip in this section.</p>"
    )
    first, second = missing_tooltips(TERMS, {"docs/x.md": page(html)})
    assert '"...Embedding first' in first
    assert '"...An embedding with no' in second


def test_code_permalinks_and_text_outside_the_article_are_not_prose():
    html = (
        '<h2 id="rag">Retrieval<a class="headerlink" href="#rag">RAG</a></h2>'
        "<p>Call <code>embedding()</code>.</p>"
        '<div class="highlight"><span class="filename">embedding.py</span>'
        "<pre><code>RAG = 1</code></pre></div><script>RAG</script>"
    )
    assert missing_tooltips(TERMS, {"docs/x.md": page(html)}) == []


def test_matching_is_case_sensitive_and_whole_word_like_abbr():
    html = "<p>EMBEDDING, RAGged and rag are not forms; Reranker is.</p>"
    (problem,) = missing_tooltips(TERMS, {"docs/x.md": page(html)})
    assert 'term "Reranker"' in problem


def test_an_unused_term_is_reported_with_its_glossary_line():
    used = page(
        '<p><abbr title="Retrieval first.">RAG</abbr> uses <code>embeddings</code></p>'
        "<pre><code>reranker = None</code></pre>"
    )
    problems = unused_terms(TERMS, {"docs/x.md": used})
    assert problems == [
        'glossary.yml:7: the term "Reranker" is used on no page; use it in the prose '
        "of the page where it belongs, or remove its entry"
    ]


def test_notebooks_are_not_held_to_tooltips():
    html = "<article><p>An embedding of the corpus.</p></article>"
    assert missing_tooltips(TERMS, {"docs/notebooks/n.ipynb": page(html)}) == []


def test_built_pages_are_named_by_their_source_and_skip_the_glossary(tmp_path):
    site = tmp_path / "site"
    for rel in ["index.html", "faq/index.html", "glossary/index.html", "404.html"]:
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text("<article><p>RAG</p></article>", encoding="utf-8")
    (site / "assets").mkdir()
    (site / "assets" / "x.html").write_text("<p>RAG</p>", encoding="utf-8")
    assert set(built_pages(site)) == {"docs/index.md", "docs/faq.md"}
    assert source_of(site, site / "nowhere" / "index.html") == "site/nowhere/index.html"
