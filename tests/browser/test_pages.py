"""Every built page loads cleanly, and a stage page prints cleanly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Browsing, Reader

pytestmark = pytest.mark.browser

STAGE_1 = "stages/01-model-as-component/"
TABS = 4  # pages loading at once in the every-page check
LOAD_MS = 30_000  # for a batch of pages to load, on a busy machine


def built_pages(site: Path) -> list[str]:
    """Every HTML page of the built site, as a path under the site root."""
    return sorted(
        path.relative_to(site).as_posix().removesuffix("index.html")
        for path in site.rglob("*.html")
    )


def test_every_page_loads_without_errors_or_outside_requests(
    new_browsing: Callable[..., Browsing],
    built_site: Path,
    site_url: str,
) -> None:
    pages = built_pages(built_site)
    assert len(pages) > 10, f"the built site has only {pages}"
    # A few tabs at once, each in its own profile so that every problem (a blocked
    # request included) is told against the page that caused it.
    tabs = [new_browsing().open() for _ in range(TABS)]
    seen = dict.fromkeys(range(TABS), 0)
    problems: list[str] = []
    for start in range(0, len(pages), TABS):
        batch = list(enumerate(pages[start : start + TABS]))
        for slot, path in batch:
            tabs[slot].page.goto(site_url + path, wait_until="commit")
        for slot, path in batch:
            tabs[slot].page.wait_for_load_state("load", timeout=LOAD_MS)
            found = tabs[slot].problems()[seen[slot] :]
            seen[slot] += len(found)
            problems += [f"{path or 'home'}: {problem}" for problem in found]
    assert not problems, "\n".join(problems)


def test_stage_page_prints_without_site_chrome(reader: Reader, site_url: str) -> None:
    page = reader.page
    page.goto(site_url + STAGE_1)
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-tabs", ".md-sidebar--primary", ".md-footer"):
        expect(page.locator(chrome).first).to_be_hidden()
    expect(page.locator("article h1")).to_be_visible()
    expect(page.locator(".md-code__nav").first).to_be_hidden()
    # A link to another site carries its address on paper.
    external = page.locator('article a[href^="http"]').first
    if external.count():
        after = external.evaluate("a => getComputedStyle(a, '::after').content")
        assert external.get_attribute("href") in after
    assert page.pdf()[:5] == b"%PDF-"
    reader.assert_clean()


def test_dark_palette_prints_light(reader: Reader, site_url: str) -> None:
    page = reader.page
    page.goto(site_url + STAGE_1)
    page.locator("form[data-palette-toggle] label:visible").click()
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    reader.assert_clean()


@pytest.mark.parametrize("width", [1400, 412])  # desktop, and a phone
def test_a_diagram_fills_the_text_column(reader: Reader, site_url: str, width: int):
    page = reader.page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site_url + "stages/03-retrieval/")
    diagram = page.locator("figure.diagram svg")
    expect(diagram).to_be_visible()
    drawn = float(diagram.get_attribute("viewBox").split()[2])  # its natural width
    column = page.locator("article").bounding_box()["width"]
    shown = diagram.bounding_box()["width"]
    assert shown >= 0.9 * min(drawn, column), (shown, drawn, column)
    reader.assert_clean()


def test_a_request_to_another_host_is_recorded_and_never_answered(
    reader: Reader, site_url: str
) -> None:
    reader.page.goto(site_url)
    outcome = reader.page.evaluate(
        "fetch('https://example.com/pixel.gif').then(() => 'answered', () => 'failed')"
    )
    assert outcome == "failed"
    assert reader.problems() == [
        "console error: Failed to load resource: net::ERR_PROXY_CONNECTION_FAILED "
        "(https://example.com/pixel.gif)",
        "request to another host (blocked): https://example.com/pixel.gif",
    ]
