"""Heading permalinks are named by aria-label, not by a title
(site_markdown/permalinks.py), so Material mounts no tooltip component for them."""

from pathlib import Path

from bs4 import BeautifulSoup

from site_markdown.permalinks import name_permalinks
from tests.site.rendering import render


def test_the_extension_names_the_permalinks_toc_writes():
    html = render(
        "## Why `RAG` works",
        ["toc", "site_markdown.permalinks"],
        {"toc": {"permalink": True}},
    )
    assert html == (
        '<h2 id="why-rag-works">Why <code>RAG</code> works<a class="headerlink" '
        'href="#why-rag-works" aria-label="Permanent link to Why RAG works">'
        "&para;</a></h2>"
    )


def test_a_permalink_gets_an_aria_label_naming_its_heading():
    html = (
        '<h2 id="why">Why <abbr title="A &quot;vector&quot;">RAG</abbr> "works"'
        '<a class="headerlink" href="#why" title="Permanent link">&para;</a></h2>'
    )
    assert name_permalinks(html) == (
        '<h2 id="why">Why <abbr title="A &quot;vector&quot;">RAG</abbr> "works"'
        '<a class="headerlink" href="#why" aria-label="Permanent link to Why RAG '
        '&quot;works&quot;">&para;</a></h2>'
    )


def test_other_links_with_a_title_are_left_alone():
    html = '<p><a href="#x" title="Permanent link">x</a></p>'
    assert name_permalinks(html) == html


def test_no_built_page_has_a_permalink_with_a_title(built_site: Path):
    checked = 0
    for page in sorted(built_site.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for link in soup.select("a.headerlink"):
            checked += 1
            where = f"{page.relative_to(built_site)} #{link['href']}"
            assert not link.has_attr("title"), f"{where}: a title mounts a tooltip"
            heading = link.parent.get_text("").removesuffix(link.text)
            label = link["aria-label"]
            assert label.startswith("Permanent link to "), where
            # The whole heading text, spaces aside (the extension joins text split by
            # tags).
            assert label.removeprefix("Permanent link to ").replace(" ", "") == (
                "".join(heading.split())
            ), where
    assert checked > 500


def test_mkdocstrings_attribute_order_and_headings_without_permalink():
    html = (
        '<h2 id="a" class="doc"><code>mod</code>\n'
        '<a href="#a" class="headerlink" title="Permanent link">&para;</a></h2>'
        '<h3 id="b">No permalink</h3><p><a class="headerlink" href="#b" '
        'title="Permanent link">x</a></p>'
    )
    out = name_permalinks(html)
    assert '<a class="headerlink" href="#a" aria-label="Permanent link to mod">' in out
    assert out.endswith(
        '<a class="headerlink" href="#b" title="Permanent link">x</a></p>'
    )
