"""Where pages land in a built site and how one page reaches another
(site_markdown/post_build/built_site.py)."""

from pathlib import Path

import pytest

from site_markdown.post_build.built_site import (
    BuiltSite,
    BuiltSiteError,
    article,
    element_end,
    rebase,
    resolve,
)

SERVED = BuiltSite(Path("site"), directory_urls=True)
OFFLINE = BuiltSite(Path("site"), directory_urls=False)


def test_urls_and_files_with_directory_urls_and_without():
    assert [SERVED.url(src) for src in ("index.md", "guides/index.md", "a/b.md")] == [
        "",
        "guides/",
        "a/b/",
    ]
    assert [OFFLINE.url(src) for src in ("index.md", "guides/index.md", "a/b.md")] == [
        "index.html",
        "guides/index.html",
        "a/b.html",
    ]
    assert SERVED.file("a/b.ipynb") == Path("site/a/b/index.html")
    assert SERVED.file("index.md") == Path("site/index.html")
    assert OFFLINE.file("a/b.md") == Path("site/a/b.html")


def test_the_url_style_is_read_from_the_build(tmp_path):
    (tmp_path / "index.html").write_text("")
    (tmp_path / "faq.html").write_text("")
    assert BuiltSite.read(tmp_path, ["index.md", "faq.md"]).directory_urls is False
    (tmp_path / "faq.html").unlink()
    (tmp_path / "faq").mkdir()
    (tmp_path / "faq" / "index.html").write_text("")
    assert BuiltSite.read(tmp_path, ["index.md", "faq.md"]).directory_urls is True


def test_a_directory_without_a_site_is_reported(tmp_path):
    with pytest.raises(BuiltSiteError, match="no built site"):
        BuiltSite.read(tmp_path, ["index.md"])


def test_hrefs_between_pages():
    assert SERVED.href("glossary", "index.md") == "../"
    assert SERVED.href("glossary", "stages/01.md") == "../stages/01/"
    assert SERVED.href("notebooks/nb", "notebooks/nb.ipynb") == "./"
    assert OFFLINE.href("stages", "index.md") == "../index.html"


def test_resolve_and_rebase_keep_every_relative_url_pointing_at_the_same_file():
    assert resolve("stages/a", "../../guides/x/#top") == "guides/x"
    html = (
        '<a href="../">up</a><a href="./">self</a><img src="../../img/a.png">'
        '<a href="#here">here</a><a href="https://example.org/">out</a>'
    )
    assert rebase(html, "guides/how", "notebooks/nb") == (
        '<a href="../../guides/">up</a><a href="../../guides/how/">self</a>'
        '<img src="../../img/a.png"><a href="#here">here</a>'
        '<a href="https://example.org/">out</a>'
    )


def test_element_end_counts_nested_elements_of_the_same_tag():
    html = "<ul><li>a<ul><li>b</li></ul></li></ul><p>after</p>"
    assert (
        html[: element_end(html, 0, "ul")] == "<ul><li>a<ul><li>b</li></ul></li></ul>"
    )
    with pytest.raises(BuiltSiteError, match="never closed"):
        element_end("<ul><li>", 0, "ul")


def test_article_is_the_theme_content_only():
    page = (
        '<nav>x</nav><article class="md-content__inner md-typeset"><p>y</p></article>'
    )
    assert article(page) == "<p>y</p>"
    with pytest.raises(BuiltSiteError, match="no <article"):
        article("<p>y</p>")
