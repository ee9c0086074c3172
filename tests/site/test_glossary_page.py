"""The built glossary page: an A-Z table of contents, a permalink per term, and
each sourced definition's dated links under it (never in its tooltips).

site_markdown/glossary.py keeps the page cheap to start: its table of contents lists the
letters, not the ~200 terms (which Material would draw twice and watch on scroll).
Each term keeps its heading, its stable anchor and a permalink named for it
(site_markdown/permalinks.py). A definition with `checked` markers shows them in
the paragraph right under it, rendered by site_markdown.facts as on any page, while
its tooltips elsewhere stay the plain definition. These checks read the built site.
"""

import re
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from site_markdown.facts import SOURCES_FILE
from site_markdown.glossary import GLOSSARY_FILE, tooltip_text
from site_markdown.glossary_source import load_glossary

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def glossary_html(built_site: Path) -> BeautifulSoup:
    page = built_site / "glossary" / "index.html"
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def toc_targets(html: BeautifulSoup, sidebar: str) -> list[str]:
    links = html.select(f".md-sidebar--{sidebar} nav.md-nav--secondary a.md-nav__link")
    return [link["href"] for link in links]


@pytest.mark.parametrize("sidebar", ["primary", "secondary"])
def test_the_table_of_contents_lists_the_letters_only(glossary_html, sidebar):
    letters = [f"#{h2['id']}" for h2 in glossary_html.select("article h2[id]")]
    assert len(letters) >= 20, "the glossary should be grouped under letter headings"
    assert toc_targets(glossary_html, sidebar) == letters


def test_every_term_has_its_anchor_and_a_permalink_named_for_it(glossary_html):
    terms = {term.anchor: term.term for term in load_glossary(ROOT / GLOSSARY_FILE)}
    headings = glossary_html.select("article h3[id]")
    assert {h3["id"] for h3 in headings} == set(terms)
    for h3 in headings:
        link = h3.select_one("a.headerlink")
        assert link["href"] == f"#{h3['id']}"
        assert link["aria-label"] == f"Permanent link to {terms[h3['id']]}"


def test_a_sourced_definition_has_its_dated_links_right_under_it(glossary_html):
    terms = [term for term in load_glossary(ROOT / GLOSSARY_FILE) if term.checked]
    assert terms, "no glossary entry has a checked field: this tests nothing"
    facts = {"sources": str(ROOT / SOURCES_FILE)}
    for term in terms:
        md = markdown.Markdown(
            extensions=["site_markdown.facts"],
            extension_configs={"site_markdown.facts": facts},
        )
        expected = BeautifulSoup(md.convert(term.checked), "html.parser").p
        definition = glossary_html.select_one(f"article h3#{term.anchor}")
        definition = definition.find_next_sibling()
        assert str(definition.find_next_sibling()) == str(expected), term.term


def test_tooltips_show_a_sourced_definition_without_its_sources(built_site):
    (thinking,) = [
        t for t in load_glossary(ROOT / GLOSSARY_FILE) if t.term == "Extended thinking"
    ]
    assert thinking.checked
    page = built_site / "stages" / "01-model-as-component" / "index.html"
    html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    (first, *_) = [
        a for a in html.select("abbr[title]") if a.text == "adaptive thinking"
    ]
    assert first["title"] == tooltip_text(thinking.definition)
    sourced = [
        f"{path.relative_to(built_site)}: {title}"
        for path in sorted(built_site.rglob("*.html"))
        for title in re.findall(r'<abbr title="([^"]*)"', path.read_text("utf-8"))
        if "[[" in title or ", checked 20" in title
    ]
    assert sourced == []
