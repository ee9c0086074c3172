"""site_markdown/page.py: which docs/ page a Markdown instance renders, as MkDocs and
Zensical each leave it on the instance, and a page's front matter."""

from pathlib import Path

import markdown
import pytest

from site_markdown.page import front_matter, rendered_page, split_front_matter
from tests.site.rendering import markdown_for


@pytest.mark.parametrize("generator", ["mkdocs", "zensical"])
def test_the_page_comes_from_either_generator(generator):
    md = markdown_for([], page="stages/03-retrieval.md", generator=generator)
    assert rendered_page(md) == "stages/03-retrieval.md"


def test_a_plain_markdown_call_renders_no_page():
    assert rendered_page(markdown.Markdown()) is None


def test_front_matter_is_read_from_the_page_file(tmp_path: Path):
    (tmp_path / "a.md").write_text("---\nstage: 2\ntitle: A\n---\n# A\n")
    (tmp_path / "b.md").write_text("# B, no front matter\n")
    assert front_matter("a.md", tmp_path) == {"stage": 2, "title": "A"}
    assert front_matter("b.md", tmp_path) == {}
    assert front_matter("missing.md", tmp_path) == {}


def test_broken_front_matter_counts_as_none():
    assert split_front_matter("---\nstage: [2\n---\nBody") == ({}, "Body")
