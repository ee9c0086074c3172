"""site_markdown/progress.py: stable checklist ids, accessible names and the home
totals (which the post-build step fills with `fill_stage_spans`)."""

import json
import re

import markdown
import pytest

from site_markdown.page import SiteError
from site_markdown.progress import (
    ProgressExtension,
    add_progress_ids,
    fill_stage_spans,
    find_checklist_items,
    item_id,
    progress_ids,
    progress_text,
)
from tests.site.rendering import render as render_page

PAGE = "stages/01-model-as-component.md"


def render(source: str) -> str:
    """Markdown to HTML the way the site renders task lists."""
    return markdown.markdown(
        source,
        extensions=["pymdownx.tasklist", "abbr"],
        extension_configs={
            "pymdownx.tasklist": {"custom_checkbox": True, "clickable_checkbox": True}
        },
    )


def ids_of(html: str) -> list[str]:
    return re.findall(r'data-progress-id="([^"]+)"', html)


def test_an_item_id_is_the_page_and_the_item_text() -> None:
    html, ids = add_progress_ids(render("- [ ] Count *tokens* first!"), PAGE)
    assert ids == ["stages/01-model-as-component:count-tokens-first"]
    assert ids_of(html) == ids
    assert 'aria-label="Count tokens first!"' in html


def test_inserting_an_item_keeps_the_ids_of_the_others() -> None:
    _, before = add_progress_ids(
        render("- [ ] Read stop_reason\n- [ ] Set a timeout"), PAGE
    )
    _, after = add_progress_ids(
        render("- [ ] Stream replies\n- [ ] Read stop_reason\n- [ ] Set a timeout"),
        PAGE,
    )
    assert after[1:] == before


def test_nested_items_get_their_own_text_and_plain_items_none() -> None:
    source = "- [ ] Parent item\n    - [ ] Child item\n- a plain bullet\n"
    html, ids = add_progress_ids(render(source), PAGE)
    assert ids == [item_id(PAGE, "Parent item"), item_id(PAGE, "Child item")]
    assert html.count("data-progress-id=") == 2


def test_glossary_tooltips_and_entities_do_not_change_the_id() -> None:
    plain = render("- [ ] Count tokens & cost")
    with_tooltip = render("- [ ] Count tokens & cost\n\n*[tokens]: Units of text")
    assert "<abbr" in with_tooltip
    assert [i.text for i in find_checklist_items(with_tooltip)] == [
        "Count tokens & cost"
    ]
    assert add_progress_ids(with_tooltip, PAGE)[1] == add_progress_ids(plain, PAGE)[1]


def test_quotes_in_an_item_are_escaped_in_the_label() -> None:
    html, _ = add_progress_ids(render('- [ ] Say "done" <em>only</em> then'), PAGE)
    assert 'aria-label="Say &quot;done&quot; only then"' in html


HOME = (
    '<html><body><p><span class="stage-progress" data-stage="1"></span>'
    '<span data-stage="2" class="stage-progress big"></span></p></body></html>'
)


def test_home_spans_get_totals_and_the_page_gets_the_index() -> None:
    stages = {1: ["a:x", "a:y"], 2: []}
    html = fill_stage_spans(HOME, stages, "index.md")
    assert f'data-total="2">{progress_text(0, 2)}</span>' in html
    assert 'data-total="0">no checklist yet</span>' in html
    index = re.search(
        r'<script type="application/json" id="progress-index">(.*?)</script>', html
    )
    assert json.loads(index.group(1)) == {"1": ["a:x", "a:y"], "2": []}
    assert html.index("progress-index") < html.index("</body>")


def test_a_span_for_an_unknown_stage_stops_the_build() -> None:
    with pytest.raises(SiteError, match=r'index\.md: .*data-stage="7"'):
        fill_stage_spans(HOME.replace('"2"', '"7"'), {1: [], 2: []}, "index.md")


def test_the_index_cannot_end_its_script_element() -> None:
    html = fill_stage_spans(HOME, {1: ["a:</script>"], 2: []}, "index.md")
    assert html.count("</script>") == 1


TASKLIST = {"pymdownx.tasklist": {"custom_checkbox": True, "clickable_checkbox": True}}


@pytest.mark.parametrize("generator", ["mkdocs", "zensical"])
def test_the_extension_names_every_checkbox_for_the_page_it_renders(generator) -> None:
    html = render_page(
        "- [ ] Count *tokens* first!\n- [x] Set a timeout\n",
        ["pymdownx.tasklist", "site_markdown.progress"],
        TASKLIST,
        page=PAGE,
        generator=generator,
    )
    assert progress_ids(html) == [
        "stages/01-model-as-component:count-tokens-first",
        "stages/01-model-as-component:set-a-timeout",
    ]
    assert html.count('aria-label="Count tokens first!"') == 1


def test_without_a_named_page_the_extension_can_be_told_one() -> None:
    source = "- [ ] Count tokens"
    extensions = ["pymdownx.tasklist", ProgressExtension(page="guides/x.md")]
    html = render_page(source, extensions, TASKLIST)
    assert progress_ids(html) == ["guides/x:count-tokens"]


def test_a_checklist_on_a_page_nobody_names_stops_the_build() -> None:
    with pytest.raises(SiteError, match="a checklist on a page the site generator"):
        render_page(
            "- [ ] Count tokens", ["pymdownx.tasklist", "site_markdown.progress"]
        )
    plain = render_page("- a bullet", ["pymdownx.tasklist", "site_markdown.progress"])
    assert plain == "<ul>\n<li>a bullet</li>\n</ul>"
