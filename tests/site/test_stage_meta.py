"""Stage pages state what they require and unlock, from their front matter
(site_markdown/stage_meta.py)."""

from pathlib import Path

import pytest

from site_markdown.page import SiteError
from site_markdown.stage_meta import (
    ROOT,
    StageMetaExtension,
    examples_line,
    expand,
    stage_files,
    stage_line,
)
from tests.site.rendering import render

PAGES = {n: f"stages/0{n}-s{n}.md" for n in range(1, 7)}
STAGE_2 = "---\nstage: 2\nrequires: [1]\nunlocks: [3]\n---\n\n# Stage 2: Context\n"


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """A docs/ with three stage pages, a subpage and a page that is no stage."""
    for name, text in {
        "index.md": "# Home\n",
        "faq.md": "# FAQ\n",
        "stages/01-a.md": "---\nstage: 1\n---\n# Stage 1\n",
        "stages/02-b.md": STAGE_2,
        "stages/03-c.md": "---\nstage: 3\n---\n# Stage 3\n",
        "stages/03-c/part.md": "# Part\n",
    }.items():
        path = tmp_path / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path / "docs"


def test_the_line_links_each_stage_it_names():
    line = stage_line("stages/03-s3.md", [2], [4], PAGES)
    assert line == (
        "**Requires:** [Stage 2](02-s2.md) · **Unlocks:** [Stage 4](04-s4.md)\n"
        "{ .stage-meta }"
    )


def test_the_first_and_last_stage_say_so():
    assert "**Requires:** nothing, start here" in stage_line(
        "stages/01-s1.md", [], [2], PAGES
    )
    assert "this is the last stage" in stage_line("stages/06-s6.md", [5], [], PAGES)


def test_the_stage_pages_are_found_by_their_file_names(docs):
    assert stage_files(docs) == {
        1: "stages/01-a.md",
        2: "stages/02-b.md",
        3: "stages/03-c.md",
    }


def test_the_line_goes_under_the_h1_of_stage_pages_only(docs):
    markdown = "# Stage 2: Context\n\nIntro.\n"
    out = expand(markdown, "stages/02-b.md", docs)
    assert out == (
        "# Stage 2: Context\n\n**Requires:** [Stage 1](01-a.md) · **Unlocks:** "
        "[Stage 3](03-c.md)\n{ .stage-meta }\n\n"
        f"{examples_line(2, ROOT)}\n\n\nIntro.\n"
    )
    assert expand(markdown, "faq.md", docs) == markdown
    assert expand(markdown, "stages/03-c/part.md", docs) == markdown


@pytest.mark.parametrize("generator", ["mkdocs", "zensical"])
def test_the_extension_knows_the_page_from_either_generator(docs, generator):
    extensions = ["attr_list", StageMetaExtension(docs_dir=str(docs))]
    html = render(
        "# Stage 2: Context\n\nIntro.",
        extensions,
        page="stages/02-b.md",
        generator=generator,
    )
    tested = render(examples_line(2, ROOT), ["attr_list"])
    assert html == (
        '<h1>Stage 2: Context</h1>\n<p class="stage-meta"><strong>Requires:</strong> '
        '<a href="01-a.md">Stage 1</a> · <strong>Unlocks:</strong> '
        f'<a href="03-c.md">Stage 3</a></p>\n{tested}\n<p>Intro.</p>'
    )
    assert render("# Stage 2: Context", extensions) == "<h1>Stage 2: Context</h1>"


def test_a_stage_without_a_page_stops_the_build():
    with pytest.raises(SiteError, match=r"docs/stages/02-b.md: .*stage 9"):
        stage_line("stages/02-b.md", [9], [3], PAGES)


def test_a_stage_page_without_h1_stops_the_build(docs):
    with pytest.raises(SiteError, match="needs an H1"):
        expand("Text\n", "stages/02-b.md", docs)


def write(root, name, text):
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_the_examples_line_names_the_pinned_sdk_and_the_stages_models(tmp_path):
    write(tmp_path, "constraints.txt", "# pins\nanthropic==2.15.0\nhttpx==1.0\n")
    write(
        tmp_path,
        "snippets/stage2/a.py",
        'MODEL = "claude-sonnet-5-5"\nSMALL = "claude-haiku-5-5"\n',
    )
    write(tmp_path, "snippets/stage2/b.py", 'MODEL = "claude-sonnet-5-5"\n')
    write(tmp_path, "snippets/stage3/c.py", 'MODEL = "claude-opus-5-5"\n')
    assert examples_line(2, tmp_path) == (
        "**Tested with** anthropic 2.15.0 · API version 2026-10-21 · models "
        "`claude-haiku-5-5`, `claude-sonnet-5-5` · against the local API double; "
        "last run against the real API: never\n{ .stage-meta }"
    )
    write(tmp_path, "data/conformance/live.json", '{"date": "2026-12-02"}')
    assert examples_line(2, tmp_path).endswith(
        "last run against the real API: 2026-12-02\n{ .stage-meta }"
    )


def test_no_pinned_sdk_stops_the_build(tmp_path):
    write(tmp_path, "constraints.txt", "httpx==1.0\n")
    with pytest.raises(SiteError, match="pins no anthropic version"):
        examples_line(1, tmp_path)
