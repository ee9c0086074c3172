"""The search index every page downloads holds prose and code once, not twice.

Reads the built site's search/search_index.json: the API reference keeps its
signatures and docstrings there but not its source listings
(site_markdown/search_index.py), and glossary entries keep their definitions but not
their "Used on" lines (site_markdown/glossary.py), while the stage pages keep their
code.
"""

import json
import re
from pathlib import Path

import pytest

from site_markdown.search_index import exclude_source_listings
from tests.site.rendering import render


@pytest.fixture(scope="module")
def entries(built_site: Path) -> list[dict]:
    index = built_site / "search" / "search_index.json"
    return json.loads(index.read_text(encoding="utf-8"))["docs"]


def texts(entries: list[dict], prefix: str) -> list[str]:
    return [entry["text"] for entry in entries if entry["location"].startswith(prefix)]


def test_reference_entries_keep_docstrings_but_not_source(entries):
    reference = texts(entries, "reference/stage1/")
    assert sum("<p>" in text for text in reference) >= 5  # docstrings are prose
    assert not [text for text in reference if "<pre>" in text]


def test_stage_pages_keep_their_code(entries):
    assert any(
        "<pre>" in text for text in texts(entries, "stages/01-model-as-component/")
    )


def test_glossary_entries_keep_definitions_but_not_used_on(entries):
    (agent,) = [e for e in entries if e["location"] == "glossary/#agent"]
    assert "decides step by step which tools to call" in agent["text"]
    glossary = texts(entries, "glossary/")
    assert not [text for text in glossary if "Used on:" in text or "Related:" in text]


def test_a_source_listing_is_marked_for_the_search_plugin_to_skip():
    html = '<details class="mkdocstrings-source"><summary>Source</summary></details>'
    assert exclude_source_listings(html) == (
        '<details class="mkdocstrings-source" data-search-exclude>'
        "<summary>Source</summary></details>"
    )
    assert render(html, ["md_in_html", "site_markdown.search_index"]) == (
        exclude_source_listings(html)
    )


def test_mkdocstrings_listings_reach_the_extension_on_the_built_pages(built_site):
    """mkdocstrings renders the reference into stashed HTML; the extension's
    postprocessor runs after it is back in the page, so every listing is marked."""
    for stage in range(1, 7):
        page = built_site / "reference" / f"stage{stage}" / "index.html"
        tags = re.findall(
            r"<details class=\"mkdocstrings-source\"[^>]*>", page.read_text()
        )
        assert tags, f"{page}: no source listing"
        assert set(tags) == {
            '<details class="mkdocstrings-source" data-search-exclude>'
        }, page
