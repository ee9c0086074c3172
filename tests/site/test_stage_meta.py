"""Stage pages state what they require and unlock, from their front matter."""

from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError
from stage_meta import ROOT, examples_line, on_page_markdown, stage_line

PAGES = {n: f"stages/0{n}-s{n}.md" for n in range(1, 7)}


def files(*src_uris: str) -> SimpleNamespace:
    pages = [SimpleNamespace(src_uri=uri) for uri in src_uris]
    return SimpleNamespace(documentation_pages=lambda: pages)


def page(src_uri: str, **meta) -> SimpleNamespace:
    return SimpleNamespace(file=SimpleNamespace(src_uri=src_uri), meta=meta)


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


def test_the_line_goes_under_the_h1_of_stage_pages_only():
    markdown = "# Stage 2: Context\n\nIntro.\n"
    stage_files = files("index.md", "stages/01-a.md", "stages/03-c.md")
    out = on_page_markdown(
        markdown,
        page("stages/02-b.md", stage=2, requires=[1], unlocks=[3]),
        None,
        stage_files,
    )
    assert out == (
        "# Stage 2: Context\n\n**Requires:** [Stage 1](01-a.md) · **Unlocks:** "
        "[Stage 3](03-c.md)\n{ .stage-meta }\n\n"
        f"{examples_line(2, ROOT)}\n\n\nIntro.\n"
    )
    assert on_page_markdown(markdown, page("faq.md"), None, stage_files) == markdown


def test_a_stage_without_a_page_stops_the_build():
    with pytest.raises(PluginError, match=r"docs/stages/02-b.md: .*stage 9"):
        stage_line("stages/02-b.md", [9], [3], PAGES)


def test_a_stage_page_without_h1_stops_the_build():
    with pytest.raises(PluginError, match="needs an H1"):
        on_page_markdown("Text\n", page("stages/02-b.md", stage=2), None, files())


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
    with pytest.raises(PluginError, match="pins no anthropic version"):
        examples_line(1, tmp_path)
