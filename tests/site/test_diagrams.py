"""Mermaid diagrams reach readers as SVG drawn at build time (site_markdown.diagrams).

Every ```mermaid block in docs/ has its drawing committed under
docs/assets/diagrams/, keyed by a hash of its source; no drawing is left over from
an old version; each one is named for screen readers and coloured by the palette;
and the built pages carry the SVG instead of a block for mermaid.js to draw.
"""

from pathlib import Path

import pytest
from pymdownx.superfences import fence_code_format

from site_markdown.diagrams import (
    DIAGRAM_DIR,
    DiagramsExtension,
    diagram_key,
    inline_diagrams,
    mermaid_blocks,
)
from site_markdown.page import SiteError
from tests.site.rendering import render

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGE = """# A page

```mermaid
flowchart LR
    A[Ask] --> B[Answer]
```

Text.

  ~~~mermaid
  flowchart TD
      X --> Y
  ~~~
"""
RENDERED = (
    '<p>Text.</p><pre class="mermaid"><code>flowchart LR\n'
    "    A[Ask] --&gt; B[Answer]</code></pre>"
)


def all_blocks() -> list[tuple[str, int, str]]:
    return [
        (page.relative_to(ROOT).as_posix(), block.line, block.source)
        for page in sorted(DOCS.rglob("*.md"))
        for block in mermaid_blocks(page.read_text(encoding="utf-8"))
    ]


def test_blocks_are_found_with_their_line_and_source():
    first, second = mermaid_blocks(PAGE)
    assert (first.line, first.source) == (3, "flowchart LR\n    A[Ask] --> B[Answer]")
    assert (second.line, second.source) == (10, "flowchart TD\n    X --> Y")


def test_the_key_follows_the_source_but_not_trailing_space():
    source = "flowchart LR\n    A --> B"
    assert diagram_key(source) == diagram_key(source + "  \n")
    assert diagram_key(source) != diagram_key(source.replace("B", "C"))


def test_a_block_is_replaced_by_its_drawing(tmp_path):
    key = diagram_key("flowchart LR\n    A[Ask] --> B[Answer]")
    (tmp_path / f"{key}.svg").write_text("<svg><title>Ask</title></svg>\n")
    out = inline_diagrams(RENDERED, tmp_path, "guides/x.md", PAGE)
    assert (
        out
        == '<p>Text.</p><figure class="diagram"><svg><title>Ask</title></svg></figure>'
    )


def test_a_missing_drawing_stops_the_build_with_page_line_and_fix(tmp_path):
    with pytest.raises(SiteError) as info:
        inline_diagrams(RENDERED, tmp_path, "guides/x.md", PAGE)
    message = str(info.value)
    assert message.startswith("docs/guides/x.md:3: this Mermaid diagram has no drawing")
    assert "make diagrams" in message


MERMAID_FENCE = {
    "custom_fences": [
        {"name": "mermaid", "class": "mermaid", "format": fence_code_format}
    ]
}


def page_extensions(docs: Path) -> tuple[list, dict]:
    """superfences with the Mermaid fence and the extension, as in mkdocs.yml."""
    extensions = ["pymdownx.superfences", DiagramsExtension(docs_dir=str(docs))]
    return extensions, {"pymdownx.superfences": MERMAID_FENCE}


@pytest.mark.parametrize("generator", ["mkdocs", "zensical"])
def test_the_extension_puts_the_drawing_in_the_blocks_place(tmp_path, generator):
    docs = tmp_path / "docs"
    (docs / DIAGRAM_DIR).mkdir(parents=True)
    (docs / "guides").mkdir()
    (docs / "guides" / "x.md").write_text(PAGE)
    key = diagram_key("flowchart LR\n    A[Ask] --> B[Answer]")
    (docs / DIAGRAM_DIR / f"{key}.svg").write_text("<svg><title>Ask</title></svg>\n")
    extensions, configs = page_extensions(docs)
    text = PAGE.split("Text.")[0]  # the first diagram only
    html = render(text, extensions, configs, page="guides/x.md", generator=generator)
    assert html == (
        '<h1>A page</h1>\n<figure class="diagram"><svg><title>Ask</title></svg>'
        "</figure>"
    )


def test_the_extension_names_the_page_and_line_of_a_missing_drawing(tmp_path):
    docs = tmp_path / "docs"
    (docs / "guides").mkdir(parents=True)
    (docs / "guides" / "x.md").write_text(PAGE)
    extensions, configs = page_extensions(docs)
    with pytest.raises(SiteError) as info:
        render(PAGE, extensions, configs, page="guides/x.md")
    key = diagram_key("flowchart LR\n    A[Ask] --> B[Answer]")
    assert str(info.value) == (
        f"docs/guides/x.md:3: this Mermaid diagram has no drawing (docs/{DIAGRAM_DIR}/"
        f"{key}.svg); run `make diagrams` and commit the SVG it writes"
    )


def test_every_diagram_in_docs_has_its_drawing_and_no_drawing_is_stale():
    blocks = all_blocks()
    assert blocks, "the RAG pages draw their pipeline with Mermaid"
    drawings = DOCS / DIAGRAM_DIR
    missing = [
        f"{page}:{line}"
        for page, line, source in blocks
        if not (drawings / f"{diagram_key(source)}.svg").is_file()
    ]
    assert not missing, f"run `make diagrams` for: {missing}"
    used = {f"{diagram_key(source)}.svg" for _, _, source in blocks}
    stale = sorted(
        path.name for path in drawings.glob("*.svg") if path.name not in used
    )
    assert not stale, f"no diagram uses {stale}; `make diagrams` deletes them"


@pytest.mark.parametrize("page, line, source", all_blocks())
def test_each_drawing_is_named_and_follows_the_palette(page, line, source):
    svg = (DOCS / DIAGRAM_DIR / f"{diagram_key(source)}.svg").read_text()
    assert "accTitle:" in source, f"{page}:{line}: start the diagram with accTitle:"
    assert 'aria-labelledby="chart-title-' in svg and "<title " in svg
    assert "var(--md-mermaid-node-fg-color)" in svg
    labels = [part.split("]")[0] for part in source.split("[")[1:]]
    for label in labels:  # every node's words are in the drawing
        for word in label.replace("<br/>", " ").replace("(", " ").split():
            assert word.strip('"():') in svg, f"{page}:{line}: {word!r} not drawn"


def test_built_pages_carry_the_svg_and_no_mermaid_script(built_site):
    page = (built_site / "stages" / "03-retrieval" / "index.html").read_text()
    assert '<figure class="diagram"><svg id="diagram-' in page
    assert 'class="mermaid"' not in page
    assert "mermaid.min.js" not in page
