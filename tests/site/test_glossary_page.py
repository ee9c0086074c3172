"""The built glossary page: an A-Z table of contents and a permalink per term.

site_markdown/glossary.py keeps the page cheap to start: its table of contents lists the
letters, not the ~200 terms (which Material would draw twice and watch on scroll).
Each term keeps its heading, its stable anchor and a permalink named for it
(site_markdown/permalinks.py). These checks read the built page.
"""

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from site_markdown.glossary import GLOSSARY_FILE
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
