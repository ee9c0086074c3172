"""llms.txt lists the nav as the llms.txt proposal describes; llms-full.txt holds every
page's Markdown with includes inlined and tooltip definitions left out."""

import textwrap
from types import SimpleNamespace

from llms_txt import (
    PageEntry,
    full_markdown,
    nav_sections,
    on_nav,
    on_page_content,
    on_post_build,
    page_url,
    render_llms_txt,
)

SITE_URL = "https://example.org/roadmap/"


def page(title, url, src_uri, description=None, markdown=""):
    meta = {"description": description} if description else {}
    return SimpleNamespace(
        is_section=False,
        is_page=True,
        is_link=False,
        title=title,
        url=url,
        meta=meta,
        markdown=markdown,
        file=SimpleNamespace(src_uri=src_uri),
    )


def section(title, *children):
    return SimpleNamespace(
        is_section=True, is_page=False, is_link=False, title=title, children=children
    )


def link(title, url):
    return SimpleNamespace(
        is_section=False, is_page=False, is_link=True, title=title, url=url
    )


HOME = page("Home", "", "index.md", "Start here.", "# Home\n\nWelcome.\n")
STAGE = page(
    "Stage 1: The model",
    "stages/01-model/",
    "stages/01-model.md",
    "Call a model\n  well.",
    "# Stage 1\n\nTokens.\n\n*[Token]: A piece of text.\n*[tokens]: A piece of text.\n",
)
DEEP = page("Deep dive", "guides/deep/", "guides/deep.md")
NAV_ITEMS = [
    HOME,
    section("Stages", STAGE, section("More", DEEP)),
    link("Source", "https://example.org/src"),
]


def test_page_urls_are_absolute_with_site_url_and_relative_without():
    assert page_url("stages/01-model/", SITE_URL) == SITE_URL + "stages/01-model/"
    assert page_url("", SITE_URL) == SITE_URL
    assert page_url("stages/01-model/", "") == "stages/01-model/"
    assert page_url("", "") == "./"


def test_sections_mirror_the_nav_and_flatten_subsections():
    sections = nav_sections(NAV_ITEMS, SITE_URL)
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


def test_llms_txt_has_title_summary_and_one_link_line_per_page():
    text = render_llms_txt(
        "Roadmap", "Six stages\nof work.", nav_sections(NAV_ITEMS, SITE_URL)
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


def config(tmp_path, **snippets):
    extensions = ["abbr", "pymdownx.snippets"] if snippets else ["abbr"]
    return SimpleNamespace(
        site_name="Roadmap",
        site_description="Six stages.",
        site_url=SITE_URL,
        site_dir=str(tmp_path / "site"),
        markdown_extensions=extensions,
        mdx_configs={"pymdownx.snippets": snippets} if snippets else {},
    )


def test_full_markdown_inlines_snippet_sections_and_drops_tooltips(tmp_path):
    module = tmp_path / "first_call.py"
    module.write_text(
        "import anthropic\n# --8<-- [start:call]\nreply = call()\n# --8<-- [end:call]\n"
    )
    text = '# Call\n\n```python\n--8<-- "first_call.py:call"\n```\n\n*[Call]: Asking.\n'
    cfg = config(tmp_path, base_path=[str(tmp_path)], check_paths=True)
    assert full_markdown(text, cfg) == "# Call\n\n```python\nreply = call()\n```\n"


def test_full_markdown_leaves_includes_alone_without_the_snippets_extension(tmp_path):
    text = '```python\n--8<-- "first_call.py:call"\n```'
    assert full_markdown(text, config(tmp_path)) == text + "\n"


def test_post_build_writes_both_files_in_nav_order(tmp_path):
    cfg = config(tmp_path)
    (tmp_path / "site").mkdir()
    nav = SimpleNamespace(items=NAV_ITEMS, pages=[HOME, STAGE, DEEP])
    on_nav(nav, cfg, None)
    for item in (STAGE, HOME):  # pages render in any order
        on_page_content("<p></p>", item, cfg, None)
    on_post_build(cfg)

    llms = (tmp_path / "site" / "llms.txt").read_text()
    assert llms.startswith("# Roadmap\n\n> Six stages.\n\n## Pages\n")
    full = (tmp_path / "site" / "llms-full.txt").read_text()
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
        URL: https://example.org/roadmap/stages/01-model/

        # Stage 1

        Tokens.
        """)
