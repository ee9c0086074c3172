"""The glossary's "Used on" links, filled in the built glossary page by the
post-build step (site_markdown/post_build/glossary_used_on.py)."""

import re
from pathlib import Path

import pytest

from site_markdown.glossary import PageSource, used_on_index
from site_markdown.post_build.built_site import BuiltSite
from site_markdown.post_build.glossary_used_on import (
    UsedOnError,
    fill,
    page_sources,
    terms,
    used_on_html,
    write,
)
from site_markdown.post_build.site_config import ROOT, SiteConfig, load, pages

SERVED = BuiltSite(Path("site"), directory_urls=True)
OFFLINE = BuiltSite(Path("site"), directory_urls=False)
HOME = PageSource("index.md", "AI Engineer Roadmap", "")
STAGE = PageSource("stages/01-model.md", "Stage 1: The model & you", "")
ENTRY = '<p>Stage: x · Used on: <span data-used-on="{}"></span></p>'


def test_each_marker_becomes_links_relative_to_the_glossary_page():
    page = ENTRY.format("token") + ENTRY.format("agent")
    index = {"token": [HOME, STAGE], "agent": []}
    assert fill(page, index, SERVED, "glossary") == (
        '<p>Stage: x · Used on: <a href="../">AI Engineer Roadmap</a>, '
        '<a href="../stages/01-model/">Stage 1: The model &amp; you</a></p>'
        "<p>Stage: x · Used on: no page yet</p>"
    )


def test_the_offline_build_links_html_files():
    assert fill(ENTRY.format("token"), {"token": [STAGE]}, OFFLINE, "") == (
        '<p>Stage: x · Used on: <a href="stages/01-model.html">'
        "Stage 1: The model &amp; you</a></p>"
    )


def test_a_marker_for_an_unknown_term_is_reported():
    with pytest.raises(UsedOnError, match="#ghost"):
        fill(ENTRY.format("ghost"), {}, SERVED, "glossary")


def test_write_reads_the_glossary_and_the_nav_pages(tmp_path):
    (tmp_path / "docs" / "stages").mkdir(parents=True)
    (tmp_path / "docs" / "glossary.md").write_text("# Glossary\n\nToken.\n")
    (tmp_path / "docs" / "stages" / "01.md").write_text("# One\n\nA token here.\n")
    (tmp_path / "docs" / "stages" / "02.md").write_text("# Two\n\nNothing.\n")
    (tmp_path / "glossary.yml").write_text(
        "- term: Token\n  definition: A piece of text a model reads.\n  stage: 1\n"
    )
    site = tmp_path / "site"
    (site / "glossary").mkdir(parents=True)
    (site / "index.html").write_text("")
    (site / "glossary" / "index.html").write_text(ENTRY.format("token"))
    config = SiteConfig(
        tmp_path / "mkdocs.yml",
        {
            "site_name": "Site",
            "markdown_extensions": [{"site_markdown.glossary": {}}],
            "nav": ["glossary.md", "stages/01.md", "stages/02.md"],
        },
    )
    assert write(BuiltSite(site, directory_urls=True), config) == 1
    assert (site / "glossary" / "index.html").read_text() == (
        '<p>Stage: x · Used on: <a href="../stages/01/">One</a></p>'
    )


def test_the_built_glossary_lists_what_the_extension_finds(built_site):
    config = load(ROOT / "mkdocs.yml")
    site = BuiltSite.read(built_site, [page.src for page in pages(config.nav())])
    sources = page_sources(config, pages(config.nav()))
    index = used_on_index(terms(config), sources, "glossary.md")
    page = (built_site / "glossary" / "index.html").read_text(encoding="utf-8")
    assert "data-used-on" not in page
    assert re.findall(r"Used on: (.*?)</p>", page, re.S) == [
        used_on_html(index[term.anchor], site, "glossary")
        for term in sorted(terms(config), key=lambda term: term.term.casefold())
    ]
