"""The built site, used as a reader uses it, in headless Chromium.

Each test opens pages from the local static host (see conftest.py) and ends by
asserting that its tabs saw no console error, no failed request and no request to
another host.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page, expect

from tests.browser.conftest import Browsing, Reader
from tests.docs_blocks import code_blocks

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
STAGE_1 = "stages/01-model-as-component.md"
STAGE_3 = "stages/03-retrieval.md"
SECTION_MARKER = re.compile(r"^\s*# --8<-- \[(start|end):[\w-]+\]\s*$")
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
TITLE = re.compile(r'title="([^"]+)"')
CHECKBOX = "input[type=checkbox][data-progress-id]"

# Marks the home diagram: the smallest element holding every stage's progress badge.
MARK_DIAGRAM = """() => {
  const badges = [...document.querySelectorAll('.stage-progress[data-stage]')];
  let box = badges[0];
  while (box && !badges.every(badge => box.contains(badge))) box = box.parentElement;
  if (box) box.setAttribute('data-test-diagram', '');
  return badges.map(badge => Number(badge.dataset.stage));
}"""


def page_url(site_url: str, src: str) -> str:
    """The directory URL MkDocs gives a page: stages/01-x.md -> stages/01-x/."""
    stem = src.removesuffix(".md").removesuffix("index").rstrip("/")
    return site_url + (stem + "/" if stem else "")


def stage_pages() -> dict[int, str]:
    """Stage number (front matter `stage:`) -> source path under docs/."""
    stages = {}
    for path in sorted((DOCS / "stages").glob("*.md")):
        match = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
        meta = yaml.safe_load(match.group(1)) if match else None
        if isinstance(meta, dict) and isinstance(meta.get("stage"), int):
            stages[meta["stage"]] = path.relative_to(DOCS).as_posix()
    return stages


def snippet_section(target: str) -> str:
    """What pymdownx.snippets includes for `path[:section]`: the section's lines
    without nested section markers, dedented."""
    path, _, section = target.partition(":")
    lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
    if section:
        start = lines.index(f"# --8<-- [start:{section}]")
        end = lines.index(f"# --8<-- [end:{section}]")
        lines = lines[start + 1 : end]
    kept = [line for line in lines if not SECTION_MARKER.match(line)]
    return textwrap.dedent("\n".join(kept)).strip("\n")


def tick_first_item(page: Page) -> tuple[str, str]:
    """Tick the first checklist item on the open page; return its id and text."""
    box = page.locator(CHECKBOX).first
    item_id = box.get_attribute("data-progress-id") or ""
    name = box.get_attribute("aria-label") or ""
    box.check(force=True)  # the input is see-through; this clicks its drawn box
    expect(box).to_be_checked()
    return item_id, name


# ----------------------------------------------------------------- navigation


def test_home_diagram_links_reach_every_stage(reader: Reader, site_url: str) -> None:
    page = reader.page
    stages = stage_pages()
    assert len(stages) == 6, f"expected six stage pages, found {stages}"
    for number, src in sorted(stages.items()):
        page.goto(site_url)
        badges = page.evaluate(MARK_DIAGRAM)
        assert sorted(badges) == sorted(stages), "one progress badge per stage"
        target = page_url(site_url, src)
        links = page.locator("[data-test-diagram] a[href]")
        hrefs = [link.evaluate("a => a.href") for link in links.all()]
        assert target in hrefs, f"the home diagram has no link to Stage {number}"
        links.nth(hrefs.index(target)).click()
        expect(page).to_have_url(target)
        expect(page.locator("article h1")).to_contain_text(f"Stage {number}")
    reader.assert_clean()


def test_search_for_reranking_finds_stage_3(reader: Reader, site_url: str) -> None:
    page = reader.page
    page.goto(site_url)
    page.locator(".md-search__input").fill("reranking")
    stage_3 = page_url(site_url, STAGE_3)
    result = page.locator('.md-search-result__link[href*="stages/03-retrieval/"]').first
    expect(result).to_be_visible()
    result.click()
    expect(page).to_have_url(re.compile(re.escape(stage_3)))
    reader.assert_clean()


def test_glossary_term_shows_its_definition_on_hover(
    reader: Reader, site_url: str
) -> None:
    page = reader.page
    page.goto(page_url(site_url, STAGE_1))
    term = page.locator("article abbr[title]").first
    definition = term.get_attribute("title") or ""
    assert definition, "Stage 1 has no glossary term with a tooltip"
    term.hover()
    tooltip = page.locator(".md-tooltip2--active")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_have_text(definition)
    reader.assert_clean()


def test_copy_button_copies_exactly_the_snippet(new_browsing, site_url: str) -> None:
    browsing: Browsing = new_browsing(permissions=["clipboard-read", "clipboard-write"])
    reader = browsing.open()
    page = reader.page
    blocks = [b for b in code_blocks(DOCS / STAGE_1) if b.includes]
    first = blocks[0]
    title = TITLE.search(first.info).group(1)
    same_title = [b for b in blocks if TITLE.search(b.info).group(1) == title]
    expected = "\n".join(snippet_section(target) for target in first.includes)

    page.goto(page_url(site_url, STAGE_1))
    filename = page.locator(f'.filename:text-is("{title}")')
    block = page.locator(".highlight", has=filename).nth(same_title.index(first))
    block.hover()
    block.locator('.md-code__button[data-md-type="copy"]').click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == expected
    reader.assert_clean()


# ----------------------------------------------------------------- progress


def test_ticked_item_stays_ticked_and_counts_on_home(
    reader: Reader, site_url: str
) -> None:
    page = reader.page
    page.goto(page_url(site_url, STAGE_1))
    item_id, name = tick_first_item(page)
    assert item_id.startswith("stages/01-model-as-component:")
    assert name, "a checklist checkbox needs an accessible name"

    page.reload()
    expect(page.locator(f'{CHECKBOX}[data-progress-id="{item_id}"]')).to_be_checked()

    page.goto(site_url)
    badge = page.locator('.stage-progress[data-stage="1"]')
    total = badge.get_attribute("data-total")
    expect(badge).to_have_text(f"1 of {total} ticked")
    reader.assert_clean()


def test_progress_exports_and_imports_as_a_file(
    new_browsing, site_url: str, tmp_path: Path
) -> None:
    first = new_browsing().open()
    first.page.goto(page_url(site_url, STAGE_1))
    item_id, _ = tick_first_item(first.page)
    first.page.goto(site_url)
    with first.page.expect_download() as download:
        first.page.get_by_role("button", name="Export progress").click()
    exported = tmp_path / "progress.json"
    download.value.save_as(exported)
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["format"] == "ai-engineer-roadmap-progress"
    assert data["done"] == [item_id]
    first.assert_clean()

    # Another browser: nothing ticked until the file is imported.
    second = new_browsing().open()
    page = second.page
    page.goto(site_url)
    badge = page.locator('.stage-progress[data-stage="1"]')
    total = badge.get_attribute("data-total")
    expect(badge).to_have_text(f"0 of {total} ticked")

    not_progress = tmp_path / "notes.json"
    not_progress.write_text('{"hello": "world"}', encoding="utf-8")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Import progress").click()
    chooser.value.set_files(not_progress)
    expect(page.get_by_role("status")).to_contain_text("not a roadmap progress file")
    expect(badge).to_have_text(f"0 of {total} ticked")

    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Import progress").click()
    chooser.value.set_files(exported)
    expect(page.get_by_role("status")).to_have_text("Imported 1 tick.")
    expect(badge).to_have_text(f"1 of {total} ticked")
    page.goto(page_url(site_url, STAGE_1))
    expect(page.locator(f'{CHECKBOX}[data-progress-id="{item_id}"]')).to_be_checked()
    second.assert_clean()


# ----------------------------------------------------------------- palette


def test_dark_mode_toggles_and_is_remembered(reader: Reader, site_url: str) -> None:
    page = reader.page
    page.goto(site_url)
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    page.locator("form[data-palette-toggle] label:visible").click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.reload()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.locator("form[data-palette-toggle] label:visible").click()
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    reader.assert_clean()


def test_palette_follows_the_system_until_the_reader_chooses(
    reader: Reader, site_url: str
) -> None:
    page = reader.page
    body = page.locator("body")
    root_scheme = "getComputedStyle(document.documentElement).colorScheme"
    page.emulate_media(color_scheme="dark")
    page.goto(site_url)
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    assert page.evaluate(root_scheme) == "dark"  # canvas and scrollbars too
    page.emulate_media(color_scheme="light")  # the system switches while reading
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    assert page.evaluate(root_scheme) == "light"
    page.locator("form[data-palette-toggle] label:visible").click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.emulate_media(color_scheme="light")
    page.reload()  # the reader's choice now wins over the system setting
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.locator("form[data-palette-toggle] input:checked").focus()  # Enter toggles too
    page.keyboard.press("Enter")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    reader.assert_clean()
