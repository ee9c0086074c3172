"""Notebook pages for a generator that copies the .ipynb raw (Zensical), written by
the post-build step around mkdocs-jupyter's own rendering
(site_markdown/post_build/notebooks.py)."""

# ruff: noqa: E501 (the expected pages hold the theme's long lines as they are)

import json
import textwrap

import pytest

from site_markdown.post_build import notebooks
from site_markdown.post_build.built_site import BuiltSite
from site_markdown.post_build.site_config import Page, Section, SiteConfig

# A page as Zensical's classic theme writes it, cut to what the step edits.
SHELL = textwrap.dedent("""\
    <head>
    <meta name="description" content="About A.">
    <link rel="canonical" href="https://example.org/r/guides/a/">
    <link rel="prev" href="../">
    <link rel="next" href="../../notebooks/nb.ipynb">
    <title>Page A - Site</title>
    </head>
    <div class="md-header__topic" data-md-component="header-topic">
    <span class="md-ellipsis">Page A</span></div>
    <ul class="md-nav__list">
    <li class="md-nav__item md-nav__item--active">
    <label class="md-nav__link md-nav__link--active" for="__toc">A</label>
    <a href="././" class="md-nav__link md-nav__link--active">
    <span class="md-ellipsis">Page A</span></a>
    <nav class="md-nav md-nav--secondary"><ul><li>toc</li></ul></nav>
    </li>
    <li class="md-nav__item">
    <a href="../../notebooks/nb.ipynb" class="md-nav__link">
    <span class="md-ellipsis">Notebook</span></a>
    </li>
    </ul>
    <ul class="md-nav__list" data-md-component="toc" data-md-scrollfix>
    <li class="md-nav__item"><a href="#a-1" class="md-nav__link">A 1</a></li>
    </ul>
    <article class="md-content__inner md-typeset"><a id="__skip" tabindex="-1"></a>
    <h1>Page A</h1></article>
    <a href="../" class="md-footer__link md-footer__link--prev" aria-label="Previous: Home">
    <div class="md-ellipsis">Home</div></a>
    <a href="../../notebooks/nb.ipynb" class="md-footer__link md-footer__link--next" aria-label="Next: Notebook">
    <div class="md-ellipsis">Notebook</div></a>
    """)
BODY = (
    '<h1 id="the-notebook">The notebook<a class="anchor-link" href="#the-notebook">'
    '¶</a></h1><p>Intro.</p><h2 id="step-1">Step 1<a class="anchor-link" '
    'href="#step-1">¶</a></h2><p>First.</p>'
)
NOTEBOOK = {
    "cells": [
        {
            "cell_type": "markdown",
            "id": "c1",
            "metadata": {},
            "source": ["# The notebook\n"],
        },
        {
            "cell_type": "markdown",
            "id": "c2",
            "metadata": {},
            "source": ["## Step 1\n", "First."],
        },
    ],
    "metadata": {},
    "nbformat": 4,
    "nbformat_minor": 5,
}
HOME = Page("index.md", None, {"title": "Home"})
PAGE_A = Page("guides/a.md", None, {"title": "Page A"})
NOTEBOOK_PAGE = Page("notebooks/nb.ipynb", "Notebook", notebook_title="The notebook")
PAGE_B = Page("guides/b.md", None, {"title": "Page B"})


@pytest.fixture
def project(tmp_path) -> tuple[BuiltSite, SiteConfig]:
    """A Zensical-like build: the shell pages built, the notebook copied raw."""
    docs = tmp_path / "docs"
    (docs / "guides").mkdir(parents=True)
    (docs / "notebooks").mkdir()
    (docs / "index.md").write_text("---\ntitle: Home\n---\n")
    (docs / "guides" / "a.md").write_text("---\ntitle: Page A\n---\n")
    (docs / "guides" / "b.md").write_text("---\ntitle: Page B\n---\n")
    (docs / "notebooks" / "nb.ipynb").write_text(json.dumps(NOTEBOOK))
    site = tmp_path / "site"
    for page in ("guides/a", "guides/b"):
        (site / page).mkdir(parents=True)
        (site / page / "index.html").write_text(SHELL)
    (site / "index.html").write_text('<a href="notebooks/nb.ipynb">nb</a>')
    (site / "notebooks").mkdir()
    (site / "notebooks" / "nb.ipynb").write_text(json.dumps(NOTEBOOK))
    (site / "search.json").write_text('{"config": {}, "items": []}')
    config = SiteConfig(
        tmp_path / "mkdocs.yml",
        {
            "site_name": "Site",
            "site_description": "All of it.",
            "site_url": "https://example.org/r/",
            "plugins": [{"mkdocs-jupyter": {"include_source": True}}],
            "nav": [
                "index.md",
                {"Guides": ["guides/a.md", {"Notebook": "notebooks/nb.ipynb"}]},
                "guides/b.md",
            ],
        },
    )
    return BuiltSite(site, directory_urls=True), config


def test_the_page_is_the_shell_with_the_notebooks_title_nav_contents_and_body(
    project,
):
    site, config = project
    notebooks.point_links_at_page(site, NOTEBOOK_PAGE.src, "/r/")
    html = notebooks.page_html(
        site, config, PAGE_A, NOTEBOOK_PAGE, BODY, PAGE_A, PAGE_B
    )
    assert html == textwrap.dedent(
        """\
        <head>
        <meta name="description" content="All of it.">
        <link rel="canonical" href="https://example.org/r/notebooks/nb/">
        <link rel="prev" href="../../guides/a/">
        <link rel="next" href="../../guides/b/">
        <title>The notebook - Site</title>
        </head>
        <div class="md-header__topic" data-md-component="header-topic">
        <span class="md-ellipsis">The notebook</span></div>
        <ul class="md-nav__list">
        <li class="md-nav__item">
        <a href="../../guides/a/" class="md-nav__link">
        <span class="md-ellipsis">Page A</span>
        </a>
        </li>
        <li class="md-nav__item md-nav__item--active">
        <a href="./" class="md-nav__link md-nav__link--active">
        <span class="md-ellipsis">Notebook</span></a>
        </li>
        </ul>
        <ul class="md-nav__list" data-md-component="toc" data-md-scrollfix>
        <li class="md-nav__item">
        <a href="#step-1" class="md-nav__link">
        <span class="md-ellipsis">Step 1</span>
        </a>
        </li>
        </ul>
        <article class="md-content__inner md-typeset">
        <a id="__skip" tabindex="-1"></a>"""
        + BODY
        + """
        </article>
        <a href="../../guides/a/" class="md-footer__link md-footer__link--prev" aria-label="Previous: Page A">
        <div class="md-ellipsis">
        Page A
        </div></a>
        <a href="../../guides/b/" class="md-footer__link md-footer__link--next" aria-label="Next: Page B">
        <div class="md-ellipsis">
        Page B
        </div></a>
        """
    )


def test_the_shell_is_the_nearest_page_as_deep_as_the_notebook(project):
    site, _ = project
    order = [HOME, PAGE_A, NOTEBOOK_PAGE, PAGE_B]
    assert notebooks.shell_page(site, order, NOTEBOOK_PAGE) == PAGE_A
    assert notebooks.shell_page(site, [HOME, NOTEBOOK_PAGE, PAGE_B], NOTEBOOK_PAGE) == (
        PAGE_B
    )
    with pytest.raises(notebooks.NotebookError, match="no built page sits as deep"):
        notebooks.shell_page(site, [HOME, NOTEBOOK_PAGE], NOTEBOOK_PAGE)


def test_write_renders_the_notebook_and_points_every_link_at_its_page(project):
    site, config = project
    assert notebooks.write(site, config) == ["notebooks/nb.ipynb"]
    page = (site.path / "notebooks" / "nb" / "index.html").read_text()
    assert "<title>The notebook - Site</title>" in page
    assert '<h2 id="step-1">Step 1<a class="anchor-link" href="#step-1">' in page
    assert (site.path / "index.html").read_text() == '<a href="notebooks/nb/">nb</a>'
    assert (
        'href="../../notebooks/nb/"' in (site.path / "guides/b/index.html").read_text()
    )
    assert not (site.path / "notebooks" / "nb.ipynb").exists()
    assert json.loads((site.path / "notebooks" / "nb" / "nb.ipynb").read_text()) == (
        NOTEBOOK
    )
    items = json.loads((site.path / "search.json").read_text())["items"]
    assert [(item["location"], item["title"], item["path"]) for item in items] == [
        ("notebooks/nb/", "The notebook", ["Guides", "The notebook"]),
        ("notebooks/nb/#step-1", "Step 1", ["Guides", "The notebook"]),
    ]
    assert notebooks.write(site, config) == []  # a rendered notebook stays as it is


def test_a_generator_that_rendered_the_notebook_is_left_alone(project):
    site, config = project
    (site.path / "notebooks" / "nb").mkdir()
    (site.path / "notebooks" / "nb" / "index.html").write_text("mkdocs-jupyter's")
    assert notebooks.write(site, config) == []
    assert (site.path / "notebooks" / "nb.ipynb").exists()


def test_the_section_path_is_the_nav_above_the_page():
    nav = [HOME, Section("Guides", (PAGE_A, Section("Deep", (NOTEBOOK_PAGE,))))]
    assert notebooks.section_path(nav, NOTEBOOK_PAGE) == ["Guides", "Deep"]
    assert notebooks.section_path(nav, HOME) == []


def test_plugin_defaults_are_mkdocs_jupyters_not_nb2htmls():
    """nb2html's own default MathJax URL is a CDN; the plugin's is empty."""
    assert notebooks.PLUGIN_DEFAULTS["custom_mathjax_url"] == ""
