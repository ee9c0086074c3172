"""What a page loads only when the reader first needs it, in headless Chromium.

The search index waits for the first use of search (overrides/partials/
search-on-demand.js), a code block gets its copy button when it scrolls into view
(Material's content.lazy), and a tooltip is drawn on first hover or focus
(docs/assets/javascripts/tooltips.js). Each still works once used.

Zensical's bundle asks for search.json instead and draws its own search dialog once
that index is in; the same script holds it until the search button (or Ctrl+K) is
used, in the site `make build-zensical` builds.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Reader

pytestmark = pytest.mark.browser

STAGE_1 = "stages/01-model-as-component/"
INDEX = "search/search_index.json"
ZENSICAL_INDEX = "search.json"


def test_search_index_is_fetched_on_first_use_of_search(
    reader: Reader, site_url: str
) -> None:
    page = reader.page
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site_url + STAGE_1)
    expect(page.locator("html.js")).to_have_count(1)  # the bundle has started
    assert [url for url in requested if url.endswith(INDEX)] == []

    with page.expect_request(f"**/{INDEX}"):
        page.locator(".md-search__input").focus()
    page.locator(".md-search__input").fill("reranking")
    result = page.locator('.md-search-result__link[href*="stages/03-retrieval/"]')
    expect(result.first).to_be_visible()
    reader.assert_clean()


def test_search_shortcut_fetches_the_index(reader: Reader, site_url: str) -> None:
    page = reader.page
    page.goto(site_url + STAGE_1)
    expect(page.locator("html.js")).to_have_count(1)
    with page.expect_request(f"**/{INDEX}"):
        page.keyboard.press("s")  # Material opens search on s, f and /
    expect(page.locator(".md-search__input")).to_be_focused()
    reader.assert_clean()


def test_code_block_gets_its_copy_button_in_view(reader: Reader, site_url: str) -> None:
    page = reader.page
    page.goto(site_url + STAGE_1)
    last = page.locator(".md-content .highlight").last
    expect(last.locator(".md-code__button")).to_have_count(0)
    last.scroll_into_view_if_needed()
    expect(last.locator('.md-code__button[data-md-type="copy"]')).to_be_attached()
    reader.assert_clean()


def test_copy_button_shows_its_tooltip_on_focus(reader: Reader, site_url: str) -> None:
    page = reader.page
    page.goto(site_url + STAGE_1)
    block = page.locator(".md-content .highlight").first
    block.scroll_into_view_if_needed()
    button = block.locator('.md-code__button[data-md-type="copy"]')
    expect(button).to_have_attribute("title", "Copy to clipboard")
    button.focus()
    tooltip = page.locator(".md-tooltip2--active")
    expect(tooltip).to_have_text("Copy to clipboard")
    expect(button).to_have_attribute("aria-describedby", tooltip.get_attribute("id"))
    page.keyboard.press("Escape")
    expect(page.locator(".md-tooltip2--active")).to_have_count(0)
    expect(button).to_have_attribute("title", "Copy to clipboard")
    reader.assert_clean()


def test_a_search_result_link_still_highlights_its_terms(
    reader: Reader, site_url: str
) -> None:
    page = reader.page
    with page.expect_request(f"**/{INDEX}"):  # ?h= needs the index at once
        page.goto(site_url + "stages/03-retrieval/?h=reranking")
    expect(page.locator("article mark[data-md-highlight]").first).to_have_text(
        "reranking", ignore_case=True
    )
    reader.assert_clean()


def test_zensical_search_index_is_fetched_on_first_use_of_search(
    reader: Reader, zensical_site_url: str
) -> None:
    page = reader.page
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(zensical_site_url + STAGE_1)
    expect(page.locator("html.js")).to_have_count(1)
    assert [url for url in requested if url.endswith(ZENSICAL_INDEX)] == []

    with page.expect_request(f"**/{ZENSICAL_INDEX}"):
        page.locator(".md-search__button").click()
    query = page.locator("dialog input")  # in the bundle's shadow root
    expect(query).to_be_focused()
    query.fill("reranking")
    result = page.locator('dialog a[href*="stages/03-retrieval/"]')
    expect(result.first).to_be_visible()
    reader.assert_clean()


def test_zensical_search_shortcut_fetches_the_index(
    reader: Reader, zensical_site_url: str
) -> None:
    page = reader.page
    page.goto(zensical_site_url + STAGE_1)
    expect(page.locator("html.js")).to_have_count(1)
    with page.expect_request(f"**/{ZENSICAL_INDEX}"):
        page.keyboard.press("Control+k")  # the dialog's own key, before it exists
    expect(page.locator("dialog input")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("dialog")).to_be_hidden()
    page.keyboard.press("Control+k")  # now the dialog's own handler
    expect(page.locator("dialog input")).to_be_focused()
    reader.assert_clean()
