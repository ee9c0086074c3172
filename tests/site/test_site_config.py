"""What the post-build step reads from mkdocs.yml and docs/, without MkDocs
(site_markdown/post_build/site_config.py)."""

import pytest

from site_markdown.post_build.site_config import (
    ROOT,
    Link,
    Page,
    Section,
    SiteConfigError,
    first_h1,
    load,
    pages,
    split_front_matter,
)

CONFIG = """\
site_name: Roadmap
plugins:
  - search
  - offline:
      enabled: !ENV [POST17_TEST_OFFLINE, false]
markdown_extensions:
  - abbr
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
nav:
  - index.md
  - Stages:
      - First: stages/01.md
      - Source: https://example.org/src
"""


@pytest.fixture
def project(tmp_path):
    (tmp_path / "docs" / "stages").mkdir(parents=True)
    (tmp_path / "docs" / "index.md").write_text("---\ntitle: Home page\n---\n# Hi\n")
    (tmp_path / "docs" / "stages" / "01.md").write_text("# Stage one\n")
    (tmp_path / "mkdocs.yml").write_text(CONFIG)
    return tmp_path


def test_the_env_tag_takes_the_variable_or_its_fallback(project, monkeypatch):
    assert load(project / "mkdocs.yml").plugin_options("offline") == {"enabled": False}
    monkeypatch.setenv("POST17_TEST_OFFLINE", "true")
    assert load(project / "mkdocs.yml").plugin_options("offline") == {"enabled": True}


def test_extensions_keep_their_order_and_python_names_stay_names(project):
    config = load(project / "mkdocs.yml")
    assert config.extension_options() == {
        "abbr": {},
        "pymdownx.emoji": {"emoji_index": "material.extensions.emoji.twemoji"},
    }
    assert config.plugin_options("search") == {}
    assert config.plugin_options("blog") is None


def test_the_nav_becomes_pages_sections_and_links(project):
    nav = load(project / "mkdocs.yml").nav()
    home = Page("index.md", None, {"title": "Home page"}, "# Hi\n")
    first = Page("stages/01.md", "First", {}, "# Stage one\n")
    assert nav == [
        home,
        Section("Stages", (first, Link("Source", "https://example.org/src"))),
    ]
    assert pages(nav) == [home, first]


def test_titles_follow_mkdocs_order_nav_then_front_matter_then_h1_then_name():
    assert Page("a.md", "Nav", {"title": "Meta"}, "# H1").title == "Nav"
    assert Page("a.md", None, {"title": "Meta"}, "# H1").title == "Meta"
    assert Page("a.md", None, {}, "```\n# not a heading\n```\n# H1 #").title == "H1"
    assert Page("index.md", None).title == "Home"
    assert Page("guides/rag-debugging.md", None).title == "Rag debugging"
    assert Page("n.ipynb", "Nav", notebook_title="From the notebook").title == (
        "From the notebook"
    )


def test_first_h1_skips_fenced_code():
    assert first_h1("```python\n# comment\n```\n\n# Real title\n") == "Real title"
    assert first_h1("No heading\n") is None


def test_front_matter_that_mkdocs_would_drop_silently_stops_the_step():
    text = "---\ndescription: Cost: what it is\n---\n# Page\n"
    with pytest.raises(SiteConfigError) as error:
        split_front_matter(text, "stages/x.md")
    assert str(error.value) == (
        "docs/stages/x.md: the front matter is not valid YAML (mapping values are "
        'not allowed here); quote a value that holds ": ", e.g. description: '
        '"Cost: what it is"'
    )


def test_a_nav_entry_without_its_file_is_reported(project):
    (project / "docs" / "stages" / "01.md").unlink()
    with pytest.raises(SiteConfigError, match=r"names docs/stages/01.md, which does"):
        load(project / "mkdocs.yml").nav()


def test_every_page_of_the_real_nav_has_valid_front_matter():
    """Zensical refuses a page whose front matter is not YAML; MkDocs drops it."""
    assert len(pages(load(ROOT / "mkdocs.yml").nav())) > 30
