"""Python-Markdown extension: Mermaid diagrams arrive as SVG drawn at build time.

A ```mermaid block in a page becomes `<pre class="mermaid">` (superfences), which
Material would hand to mermaid.js in the reader's browser: 3.5 MB of script, parsed
on every page with a diagram, the largest cost on those pages by far. Instead,
scripts/render_diagrams.py (`make diagrams`) draws each diagram once with Mermaid in
headless Chromium and saves docs/assets/diagrams/<key>.svg, the key being a hash of
the diagram's source; a postprocessor puts that SVG in the block's place (after
superfences' stashed HTML is back in the page).

An edited diagram has a new key, so a page whose SVG is missing stops the build,
naming the page, the line of the block and the command that fixes it.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from pathlib import Path

from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor

from site_markdown.page import DOCS_DIR, SiteError, rendered_page

DIAGRAM_DIR = "assets/diagrams"  # under docs/
FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})mermaid[ \t]*$")
RENDERED_BLOCK = re.compile(
    r'<pre class="mermaid"><code>(?P<code>.*?)</code></pre>', re.S
)
PRIORITY = 19  # after raw_html (30) and amp_substitute (20): the final HTML


@dataclass(frozen=True)
class MermaidBlock:
    source: str  # the diagram, as Mermaid reads it
    line: int  # of the opening fence, 1-based


def diagram_key(source: str) -> str:
    """The file name stem of a diagram's SVG: a hash of its source, so an edit to the
    diagram asks for a new drawing."""
    normalized = "\n".join(line.rstrip() for line in source.strip().splitlines())
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:16]


def mermaid_blocks(markdown: str) -> list[MermaidBlock]:
    """Every ```mermaid fenced block of a Markdown page, with its line."""
    blocks = []
    lines = markdown.splitlines()
    index = 0
    while index < len(lines):
        opening = FENCE_OPEN.match(lines[index])
        index += 1
        if opening is None:
            continue
        start, body = index, []
        while index < len(lines) and lines[index].strip() != opening["fence"]:
            body.append(lines[index].removeprefix(opening["indent"]))
            index += 1
        index += 1  # the closing fence
        blocks.append(MermaidBlock("\n".join(body), start))
    return blocks


def inline_diagrams(page_html: str, svg_dir: Path, src_uri: str, markdown: str) -> str:
    """Replace each rendered Mermaid block with its SVG from svg_dir; the page's
    Markdown is read only to name the line of a block that has no drawing."""

    def svg_for(match: re.Match[str]) -> str:
        source = html.unescape(match["code"])
        key = diagram_key(source)
        path = svg_dir / f"{key}.svg"
        if not path.is_file():
            lines = [
                b.line for b in mermaid_blocks(markdown) if diagram_key(b.source) == key
            ]
            where = f"docs/{src_uri}:{lines[0] if lines else '?'}"
            raise SiteError(
                f"{where}: this Mermaid diagram has no drawing (docs/{DIAGRAM_DIR}/"
                f"{key}.svg); run `make diagrams` and commit the SVG it writes"
            )
        svg = path.read_text(encoding="utf-8").strip()
        return f'<figure class="diagram">{svg}</figure>'

    return RENDERED_BLOCK.sub(svg_for, page_html)


class DiagramPostprocessor(Postprocessor):
    def __init__(self, md: Markdown, docs_dir: Path) -> None:
        super().__init__(md)
        self.docs_dir = docs_dir

    def run(self, text: str) -> str:
        if RENDERED_BLOCK.search(text) is None:
            return text
        page = rendered_page(self.md) or "?"
        try:  # the page's source, only to name the line of a missing drawing
            markdown = (self.docs_dir / page).read_text(encoding="utf-8")
        except OSError:
            markdown = ""
        return inline_diagrams(text, self.docs_dir / DIAGRAM_DIR, page, markdown)


class DiagramsExtension(Extension):
    def __init__(self, **kwargs) -> None:
        self.config = {"docs_dir": [DOCS_DIR, "docs/, relative to the cwd"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        processor = DiagramPostprocessor(md, Path(self.getConfig("docs_dir")))
        md.postprocessors.register(processor, "diagrams", PRIORITY)


def makeExtension(**kwargs) -> DiagramsExtension:
    return DiagramsExtension(**kwargs)
