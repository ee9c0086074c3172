"""Pages with a Mermaid diagram load the vendored mermaid.min.js before Material's
bundle, so Material never fetches it from a CDN; the build fails if the file is
missing."""

from types import SimpleNamespace

import pytest
from mermaid_local import VENDOR_FILE, has_mermaid, insert_mermaid_script, on_post_page
from mkdocs.exceptions import PluginError

BUNDLE = '<script src="{base}assets/javascripts/bundle.a5f9d56c.min.js"></script>'
DIAGRAM = '<pre class="mermaid"><code>graph LR\n  A --> B</code></pre>'


def html(body: str, base: str = "../../") -> str:
    return f"<html><body>{body}\n{BUNDLE.format(base=base)}\n</body></html>"


def page(src_uri: str = "index.md"):
    return SimpleNamespace(file=SimpleNamespace(src_uri=src_uri))


def config(docs_dir, features=()):
    return SimpleNamespace(docs_dir=str(docs_dir), theme={"features": list(features)})


@pytest.fixture
def docs_dir(tmp_path):
    vendored = tmp_path / VENDOR_FILE
    vendored.parent.mkdir(parents=True)
    vendored.write_text("globalThis.mermaid = {};")
    return tmp_path


def test_detects_superfences_mermaid_blocks_only():
    assert has_mermaid(html(DIAGRAM))
    assert has_mermaid('<div class="mermaid wide">')
    assert not has_mermaid(html("<pre><code>mermaid</code></pre>"))
    assert not has_mermaid('<span class="not-mermaid">')


@pytest.mark.parametrize("base", ["", "../", "../../", "/roadmap/"])
def test_script_goes_right_before_the_bundle_with_the_same_base(base):
    out = insert_mermaid_script(html(DIAGRAM, base))
    mermaid = f'<script src="{base}assets/javascripts/vendor/mermaid.min.js"></script>'
    assert f"{mermaid}\n{BUNDLE.format(base=base)}" in out
    assert out.count("mermaid.min.js") == 1


def test_pages_without_a_diagram_are_left_alone(docs_dir):
    output = html("<p>No diagram.</p>")
    assert on_post_page(output, page(), config(docs_dir)) == output


def test_pages_with_a_diagram_get_the_local_script(docs_dir):
    out = on_post_page(html(DIAGRAM), page(), config(docs_dir))
    assert '<script src="../../assets/javascripts/vendor/mermaid.min.js">' in out
    assert "unpkg" not in out


def test_missing_vendored_file_stops_the_build_and_says_make_vendor(tmp_path):
    with pytest.raises(PluginError) as info:
        on_post_page(html(DIAGRAM), page("stages/03-retrieval.md"), config(tmp_path))
    assert str(info.value) == (
        "stages/03-retrieval.md needs Mermaid but "
        "docs/assets/javascripts/vendor/mermaid.min.js is missing. Run `make vendor` "
        "to fetch it; the site never loads Mermaid from a CDN."
    )


def test_instant_navigation_puts_the_script_on_every_page(docs_dir):
    cfg = config(docs_dir, features=["navigation.instant"])
    out = on_post_page(html("<p>No diagram.</p>"), page(), cfg)
    assert "vendor/mermaid.min.js" in out


def test_a_page_without_materials_bundle_is_an_error():
    with pytest.raises(PluginError, match="bundle script was not found"):
        insert_mermaid_script(f"<html>{DIAGRAM}</html>", "index.md")


def test_a_deferred_bundle_still_gets_the_script_before_it():
    deferred = BUNDLE.format(base="../").replace("<script src", "<script defer src")
    out = insert_mermaid_script(f"<html><body>{DIAGRAM}\n{deferred}\n</body></html>")
    mermaid = '<script src="../assets/javascripts/vendor/mermaid.min.js"></script>'
    assert f"{mermaid}\n{deferred}" in out
