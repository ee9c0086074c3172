"""site_markdown/glossary.py as a Python-Markdown extension: tooltips on every page at
each term's first use per section, the glossary page at its marker with the post-build
step's "Used on" markers and a letters-only table of contents, a definition's
`checked` sources under it as site_markdown.facts renders a page's markers (and
never in a tooltip), and a malformed glossary.yml that stops the build with its
lines, under MkDocs too."""

from pathlib import Path

import markdown
import pytest
from mkdocs.config.base import ValidationError
from mkdocs.config.config_options import MarkdownExtensions

from site_markdown.glossary import (
    GlossaryExtension,
    load_terms,
    read_page,
    used_on_index,
)
from site_markdown.glossary_source import GlossaryError
from site_markdown.page import SiteError
from tests.site.rendering import markdown_for, render

GLOSSARY = """\
- term: Token
  definition: A piece of `text`.
  stage: 1
- term: Context window
  aliases: [context length]
  definition: The most tokens a model can read.
  stage: 1
  related: [Token]
"""
STAGE_1 = "---\ntitle: 'Stage 1: The model'\nstage: 1\n---\n\n# Stage 1\n"
TOKEN = '<abbr title="A piece of text.">'
WINDOW = '<abbr title="The most tokens a model can read.">'


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "glossary.yml").write_text(GLOSSARY, encoding="utf-8")
    stages = tmp_path / "docs" / "stages"
    stages.mkdir(parents=True)
    (stages / "01-model-as-component.md").write_text(STAGE_1, encoding="utf-8")
    return tmp_path


def extensions(project: Path, *, abbr: bool = True, **options) -> list:
    glossary = GlossaryExtension(
        glossary=str(project / "glossary.yml"),
        docs_dir=str(project / "docs"),
        **options,
    )
    return (["abbr"] if abbr else []) + ["attr_list", "toc", glossary]


def test_a_page_gets_each_terms_tooltip_at_its_first_use_in_each_section(project):
    text = "A token, tokens and a context length.\n\n## Next\n\nTokens again; tokens."
    assert render(text, extensions(project), page="guides/a.md") == (
        f"<p>A {TOKEN}token</abbr>, tokens and a {WINDOW}context length</abbr>.</p>\n"
        '<h2 id="next">Next</h2>\n'
        f"<p>{TOKEN}Tokens</abbr> again; tokens.</p>"
    )


def test_abbr_is_registered_when_the_configuration_does_not_list_it(project):
    html = render("One token.", extensions(project, abbr=False))
    assert html == f"<p>One {TOKEN}token</abbr>.</p>"


def test_a_pages_own_abbreviation_wins_over_the_glossary(project):
    html = render("One token.\n\n*[token]: Mine.", extensions(project))
    assert html == '<p>One <abbr title="Mine.">token</abbr>.</p>'


def test_with_tooltips_off_no_page_gets_one(project):
    html = render("One token.", extensions(project, tooltips=False))
    assert html == "<p>One token.</p>"


def test_the_glossary_page_gets_the_glossary_with_used_on_markers(project):
    text = "# Glossary\n\nEvery token is here.\n\n<!-- glossary -->\n"
    md = markdown_for(extensions(project), page="glossary.md")
    html = md.convert(text)
    assert html == (
        '<h1 id="glossary">Glossary</h1>\n'
        "<p>Every token is here.</p>\n"
        '<h2 id="c">C</h2>\n'
        '<h3 id="context-window">Context window</h3>\n'
        "<p>The most tokens a model can read.</p>\n"
        "<p data-search-exclude>Stage: "
        '<a href="stages/01-model-as-component.md">Stage 1: The model</a> · '
        'Also called: context length · Related: <a href="#token">Token</a> · '
        'Used on: <span data-used-on="context-window"></span></p>\n'
        '<h2 id="t">T</h2>\n'
        '<h3 id="token">Token</h3>\n'
        "<p>A piece of <code>text</code>.</p>\n"
        "<p data-search-exclude>Stage: "
        '<a href="stages/01-model-as-component.md">Stage 1: The model</a> · '
        'Used on: <span data-used-on="token"></span></p>'
    )
    # The table of contents: the letters, not the terms.
    (page,) = md.toc_tokens
    letters = [(letter["id"], letter["children"]) for letter in page["children"]]
    assert letters == [("c", []), ("t", [])]


SOURCES = """\
prompt-caching:
  title: prompt caching docs
  url: https://platform.claude.com/docs/en/build-with-claude/prompt-caching
pricing:
  title: pricing page
  url: https://platform.claude.com/docs/en/about-claude/pricing
"""
SOURCED = """\
- term: TTL
  definition: How long a cache entry lasts, five minutes by default.
  checked: "[[prompt-caching 2026-11-25]] [[pricing 2026-12-01]]"
  stage: 1
"""
SOURCE_LINKS = (
    '<span class="fact">(<a href="https://platform.claude.com/docs/en/'
    'build-with-claude/prompt-caching">prompt caching docs, checked 2026-11-25</a>)'
    '</span> <span class="fact">(<a href="https://platform.claude.com/docs/en/'
    'about-claude/pricing">pricing page, checked 2026-12-01</a>)</span>'
)


@pytest.fixture
def sourced(project: Path) -> Path:
    """The project with one entry whose definition names its sources."""
    (project / "data").mkdir()
    (project / "data" / "sources.yml").write_text(SOURCES, encoding="utf-8")
    (project / "glossary.yml").write_text(SOURCED, encoding="utf-8")
    return project


def with_facts(project: Path) -> tuple[list, dict]:
    facts = {"sources": str(project / "data" / "sources.yml"), "today": "2026-12-02"}
    return (
        ["site_markdown.facts", *extensions(project)],
        {"site_markdown.facts": facts},
    )


def test_the_glossary_page_shows_checked_sources_under_the_definition(sourced):
    """Each marker renders as site_markdown.facts renders it on a page (the same
    HTML tests/site/test_facts.py pins), on its own line under the definition."""
    extensions_, configs = with_facts(sourced)
    html = render("<!-- glossary -->\n", extensions_, configs, page="glossary.md")
    assert html == (
        '<h2 id="t">T</h2>\n'
        '<h3 id="ttl">TTL</h3>\n'
        "<p>How long a cache entry lasts, five minutes by default.</p>\n"
        f"<p>{SOURCE_LINKS}</p>\n"
        "<p data-search-exclude>Stage: "
        '<a href="stages/01-model-as-component.md">Stage 1: The model</a> · '
        'Used on: <span data-used-on="ttl"></span></p>'
    )
    page_marker = render(
        "[[prompt-caching 2026-11-25]] [[pricing 2026-12-01]]", extensions_, configs
    )
    assert page_marker == f"<p>{SOURCE_LINKS}</p>"


def test_a_tooltip_shows_the_definition_without_its_sources(sourced):
    extensions_, configs = with_facts(sourced)
    html = render("Mind the TTL.", extensions_, configs, page="guides/a.md")
    assert html == (
        '<p>Mind the <abbr title="How long a cache entry lasts, five minutes by '
        'default.">TTL</abbr>.</p>'
    )


def test_checked_sources_without_the_facts_extension_stop_the_build(sourced):
    with pytest.raises(SiteError) as info:
        render("<!-- glossary -->\n", extensions(sourced), page="glossary.md")
    assert str(info.value) == (
        "glossary.yml: entries give 'checked' sources, which site_markdown.facts "
        "renders; fix: add site_markdown.facts to markdown_extensions"
    )


@pytest.mark.parametrize("generator", ["mkdocs", "zensical"])
def test_the_glossary_page_without_its_marker_stops_the_build(project, generator):
    with pytest.raises(SiteError) as info:
        render(
            "# Glossary\n", extensions(project), page="glossary.md", generator=generator
        )
    assert str(info.value) == (
        "docs/glossary.md: the line <!-- glossary --> is missing; the glossary "
        "generated from glossary.yml replaces it"
    )


BROKEN = "- term: Chunk\n  stage: 3\n"
BROKEN_MESSAGE = "glossary.yml:1: entry \"Chunk\": missing field 'definition'"


def test_a_malformed_glossary_stops_loading_with_its_lines(tmp_path):
    path = tmp_path / "glossary.yml"
    path.write_text(BROKEN, encoding="utf-8")
    with pytest.raises(GlossaryError) as info:
        markdown.Markdown(extensions=[GlossaryExtension(glossary=str(path))])
    assert str(info.value) == BROKEN_MESSAGE


def test_mkdocs_rejects_the_configuration_with_the_glossary_message(tmp_path):
    """MkDocs loads every extension when it reads mkdocs.yml, so the build stops
    before any page, with the loader's message last."""
    path = tmp_path / "glossary.yml"
    path.write_text(BROKEN, encoding="utf-8")
    option = MarkdownExtensions()
    with pytest.raises(ValidationError) as info:
        option.validate([{"site_markdown.glossary": {"glossary": str(path)}}])
    message = str(info.value)
    assert message.startswith("Failed to load extension 'site_markdown.glossary'.")
    assert message.endswith(f"GlossaryError: {BROKEN_MESSAGE}")


def test_used_on_lists_the_pages_that_mention_a_term_in_order(project):
    terms = load_terms(project / "glossary.yml")
    pages = [
        read_page("b.md", "# B\n\nThe context length."),
        read_page("glossary.md", "# Glossary\n\nToken, context window."),
        read_page("a.md", "# A\n\nTokens and context windows."),
    ]
    index = {
        anchor: [page.src_uri for page in used]
        for anchor, used in used_on_index(terms, pages, "glossary.md").items()
    }
    assert index == {"token": ["a.md"], "context-window": ["b.md", "a.md"]}
