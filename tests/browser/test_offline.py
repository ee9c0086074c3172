"""The offline build (`make offline`) works from file:// with no server.

Material's offline plugin switches to `.html` URLs and inlines the search index into a
script; the post-build step serves the worker shim from the site. Opened straight
from disk, a reader can follow the diagram, search, and tick checklists, and the
browser asks nothing of any server.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Reader

pytestmark = pytest.mark.browser


def test_offline_site_reads_searches_and_ticks_from_disk(
    reader: Reader, offline_site: Path
) -> None:
    page = reader.page
    home = (offline_site / "index.html").as_uri()
    page.goto(home)

    stage_1 = (offline_site / "stages" / "01-model-as-component.html").as_uri()
    page.locator('a[href$="stages/01-model-as-component.html"]').first.click()
    expect(page).to_have_url(stage_1)
    expect(page.locator("article h1")).to_contain_text("Stage 1")

    box = page.locator("input[type=checkbox][data-progress-id]").first
    box.check(force=True)  # the input is see-through; this clicks its drawn box
    page.reload()
    expect(box).to_be_checked()

    page.locator(".md-search__input").fill("reranking")
    result = page.locator('.md-search-result__link[href*="stages/03-retrieval.html"]')
    expect(result.first).to_be_visible()
    result.first.click()
    stage_3 = (offline_site / "stages" / "03-retrieval.html").as_uri()
    expect(page).to_have_url(re.compile("^" + re.escape(stage_3)))

    page.goto(home)
    badge = page.locator('.stage-progress[data-stage="1"]')
    expect(badge).to_have_text(f"1 of {badge.get_attribute('data-total')} ticked")
    reader.assert_clean()
