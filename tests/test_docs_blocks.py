"""`assert_page_shows`: how a page's output block is found and compared."""

import pytest

from tests.docs_blocks import assert_page_shows, shown_block

PAGE = """\
# A page

Run `python -m snippets.demo`:

!!! note "Output from the local API double, not from a model"

    ```text
    first
    second   
    third
    fourth
    ```

Later, `python -m snippets.demo --short`:

!!! note "Output from the local API double, not from a model"

    ```text
    first
    ...
    third
    ...
    ```

A block no note holds, after `python -m snippets.bare`:

```text
first
```
"""
PRINTED = "first\nsecond\nthird\nfourth\n"


@pytest.fixture
def page(tmp_path):
    path = tmp_path / "page.md"
    path.write_text(PAGE, encoding="utf-8")
    return path


def test_the_first_text_block_after_the_anchor_without_its_indent(page):
    assert shown_block(page, "--short`") == (18, ["first", "...", "third", "..."])


def test_every_line_matches_trailing_spaces_and_last_newline_aside(page):
    assert_page_shows(page, "`python -m snippets.demo`", PRINTED)
    assert_page_shows(page, "`python -m snippets.demo`", PRINTED.rstrip("\n"))


def test_a_line_the_page_does_not_show_fails_with_both_sides(page):
    with pytest.raises(AssertionError) as failed:
        assert_page_shows(page, "`python -m snippets.demo`", PRINTED + "fifth\n")
    assert str(failed.value) == (
        f"{page}:7, the text block after '`python -m snippets.demo`', is not what "
        "the code printed. The page shows:\n"
        "first\nsecond\nthird\nfourth\n"
        "--- the code printed ---\n"
        "first\nsecond\nthird\nfourth\nfifth\n"
        "--- copy the output (run against the double) into the page's block"
    )


@pytest.mark.parametrize(
    "printed",
    [
        "first\nthird\n",  # each `...` may stand for no line
        "first\nsecond\nthird\nfourth\n",
        "first\nx\ny\nthird\n",
        "first\nthird\nthird\n",  # the run after a `...` is found where it fits
    ],
)
def test_dots_stand_for_any_lines_in_between(page, printed):
    assert_page_shows(page, "--short`", printed)


@pytest.mark.parametrize(
    "printed",
    [
        "zeroth\nfirst\nthird\n",  # before the first `...`: the first lines
        "first\nsecond\n",  # a run between two `...` must appear
        "first\nthird fourth\n",  # whole lines, not a part of one
        "",
    ],
)
def test_dots_do_not_excuse_a_wrong_start_or_a_missing_run(page, printed):
    with pytest.raises(AssertionError, match="is not what the code printed"):
        assert_page_shows(page, "--short`", printed)


def test_without_a_leading_or_trailing_dots_the_ends_are_fixed(tmp_path):
    page = tmp_path / "ends.md"
    page.write_text(
        '!!! note "Output from the local API double"\n\n'
        "    ```text\n    ...\n    last\n    ```\n",
        encoding="utf-8",
    )
    assert_page_shows(page, "!!! note", "a\nb\nlast\n")
    with pytest.raises(AssertionError, match="is not what the code printed"):
        assert_page_shows(page, "!!! note", "a\nlast\nb\n")


def test_a_block_outside_a_labelled_note_fails(page):
    with pytest.raises(AssertionError) as failed:
        assert_page_shows(page, "snippets.bare", "first\n")
    assert str(failed.value) == (
        f"{page}:27, the text block after 'snippets.bare', is not in a note "
        'headed !!! note "Output from the local API double...'
    )


def test_a_note_with_another_source_names_its_label(tmp_path):
    page = tmp_path / "log.md"
    page.write_text(
        '!!! note "Output from a recorded log"\n\n    ```text\n    line\n    ```\n',
        encoding="utf-8",
    )
    assert_page_shows(page, "!!! note", "line\n", label='!!! note "Output from a')
    with pytest.raises(AssertionError, match="is not in a note headed"):
        assert_page_shows(page, "!!! note", "line\n")


def test_an_anchor_the_page_lost_fails_first(page):
    with pytest.raises(AssertionError) as failed:
        assert_page_shows(page, "snippets.gone", "first\n")
    assert str(failed.value) == f"{page} no longer contains 'snippets.gone'"
