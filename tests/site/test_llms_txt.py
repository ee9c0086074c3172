"""llms.txt lists the nav as the llms.txt proposal describes; llms-full.txt holds every
page's Markdown with includes inlined and tooltip definitions left out
(site_markdown/post_build/llms_txt.py, run after either generator)."""

import textwrap
from pathlib import Path

from site_markdown.post_build import llms_txt
from site_markdown.post_build.built_site import BuiltSite
from site_markdown.post_build.llms_txt import (
    PageEntry,
    full_markdown,
    nav_sections,
    page_url,
    render_llms_txt,
)
from site_markdown.post_build.site_config import Link, Page, Section, SiteConfig

SITE_URL = "https://example.org/roadmap/"
SERVED = BuiltSite(Path("site"), directory_urls=True)

HOME = Page("index.md", None, {"description": "Start here."}, "# Home\n\nWelcome.\n")
STAGE = Page(
    "stages/01-model.md",
    "Stage 1: The model",
    {"description": "Call a model\n  well."},
    "# Stage 1\n\nTokens.\n\n*[Token]: A piece of text.\n*[tokens]: A piece of text.\n",
)
DEEP = Page("guides/deep.md", "Deep dive")
NAV_ITEMS = [
    HOME,
    Section("Stages", (STAGE, Section("More", (DEEP,)))),
    Link("Source", "https://example.org/src"),
]


def test_page_urls_are_absolute_with_site_url_and_relative_without():
    assert page_url("stages/01-model/", SITE_URL) == SITE_URL + "stages/01-model/"
    assert page_url("", SITE_URL) == SITE_URL
    assert page_url("stages/01-model/", "") == "stages/01-model/"
    assert page_url("", "") == "./"


def test_sections_mirror_the_nav_and_flatten_subsections():
    sections = nav_sections(NAV_ITEMS, SERVED, SITE_URL)
    assert [
        (title, [entry.title for entry in entries]) for title, entries in sections
    ] == [
        ("Pages", ["Home"]),
        ("Stages", ["Stage 1: The model", "Deep dive"]),
        ("Pages", ["Source"]),
    ]
    assert sections[1][1][0] == PageEntry(
        "Stage 1: The model", SITE_URL + "stages/01-model/", "Call a model well."
    )


def test_the_offline_build_lists_html_urls():
    offline = BuiltSite(Path("site-offline"), directory_urls=False)
    sections = nav_sections(NAV_ITEMS, offline, "")
    assert [entry.url for _, entries in sections for entry in entries] == [
        "index.html",
        "stages/01-model.html",
        "guides/deep.html",
        "https://example.org/src",
    ]


def test_llms_txt_has_title_summary_and_one_link_line_per_page():
    text = render_llms_txt(
        "Roadmap", "Six stages\nof work.", nav_sections(NAV_ITEMS, SERVED, SITE_URL)
    )
    assert text == textwrap.dedent("""\
        # Roadmap

        > Six stages of work.

        ## Pages

        - [Home](https://example.org/roadmap/): Start here.

        ## Stages

        - [Stage 1: The model](https://example.org/roadmap/stages/01-model/): Call a model well.
        - [Deep dive](https://example.org/roadmap/guides/deep/)

        ## Pages

        - [Source](https://example.org/src)

        ## Optional

        - [Full text](llms-full.txt): the Markdown of every page above in one file
        """)  # noqa: E501


def config(tmp_path, **snippets) -> SiteConfig:
    extensions = ["abbr", {"pymdownx.snippets": snippets}] if snippets else ["abbr"]
    return SiteConfig(
        tmp_path / "mkdocs.yml",
        {
            "site_name": "Roadmap",
            "site_description": "Six stages.",
            "site_url": SITE_URL,
            "markdown_extensions": extensions,
            "nav": ["index.md", {"Stages": [{"Stage 1: The model": "stages/01.md"}]}],
        },
    )


def test_full_markdown_inlines_snippet_sections_and_drops_tooltips(tmp_path):
    module = tmp_path / "first_call.py"
    module.write_text(
        "import anthropic\n# --8<-- [start:call]\nreply = call()\n# --8<-- [end:call]\n"
    )
    text = '# Call\n\n```python\n--8<-- "first_call.py:call"\n```\n\n*[Call]: Asking.\n'
    cfg = config(tmp_path, base_path=["."], check_paths=True)
    page = Page("call.md", None, markdown=text)
    assert full_markdown(page, cfg) == "# Call\n\n```python\nreply = call()\n```\n"


def test_full_markdown_leaves_includes_alone_without_the_snippets_extension(tmp_path):
    text = '```python\n--8<-- "first_call.py:call"\n```'
    page = Page("call.md", None, markdown=text)
    assert full_markdown(page, config(tmp_path)) == text + "\n"


def test_generated_text_comes_from_the_expanders_in_order(tmp_path):
    page = Page("p.md", None, markdown="# P\n\n<!-- a -->\n")
    expand = [
        lambda text, src: text.replace("<!-- a -->", f"A for {src} <!-- b -->"),
        lambda text, src: text.replace("<!-- b -->", "and B"),
    ]
    assert full_markdown(page, config(tmp_path), expand) == "# P\n\nA for p.md and B\n"


def test_write_puts_both_files_in_the_site_in_nav_order(tmp_path):
    docs = tmp_path / "docs"
    (docs / "stages").mkdir(parents=True)
    (docs / "index.md").write_text(
        "---\ntitle: Home\ndescription: Start here.\n---\n# Home\n\nWelcome.\n"
    )
    (docs / "stages" / "01.md").write_text("# Stage 1\n\nTokens.\n\n*[Token]: Text.\n")
    site = tmp_path / "site"
    (site / "stages" / "01").mkdir(parents=True)
    (site / "index.html").write_text("<html></html>")
    (site / "stages" / "01" / "index.html").write_text("<html></html>")
    built = BuiltSite.read(site, ["index.md", "stages/01.md"])
    llms_txt.write(built, config(tmp_path))

    llms = (site / "llms.txt").read_text()
    assert llms.startswith("# Roadmap\n\n> Six stages.\n\n## Pages\n")
    full = (site / "llms-full.txt").read_text()
    assert full == textwrap.dedent("""\
        # Roadmap

        > Six stages.

        ---

        Page: Home
        URL: https://example.org/roadmap/

        # Home

        Welcome.

        ---

        Page: Stage 1: The model
        URL: https://example.org/roadmap/stages/01/

        # Stage 1

        Tokens.
        """)


def test_the_built_llms_full_txt_holds_the_generated_text(built_site):
    full = (built_site / "llms-full.txt").read_text(encoding="utf-8")
    assert "<!-- glossary -->" not in full
    assert "<!-- results-table " not in full
    assert "data-used-on" not in full
    assert "### Context window { #context-window }" in full  # the glossary body
    assert "**Requires:** nothing, start here" in full  # stage_meta's line
