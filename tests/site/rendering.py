"""Render Markdown as MkDocs or Zensical would for one page, for the extension tests.

Both generators leave the page on the Markdown instance (site_markdown/page.py reads
it): MkDocs as the File of its `relpath` treeprocessor, Zensical as the page of its
`rendering_context` preprocessor. These stand-ins carry the same attributes.
"""

from __future__ import annotations

from types import SimpleNamespace

import markdown
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor


class MkDocsRelpath(Treeprocessor):
    def __init__(self, src_uri: str) -> None:
        super().__init__()
        self.file = SimpleNamespace(src_uri=src_uri)

    def run(self, root):
        return None


class ZensicalContext(Preprocessor):
    def __init__(self, path: str) -> None:
        super().__init__()
        self.page = SimpleNamespace(path=path, meta={})

    def run(self, lines: list[str]) -> list[str]:
        return lines


def markdown_for(
    extensions: list,
    configs: dict | None = None,
    page: str | None = None,
    generator: str = "mkdocs",
) -> markdown.Markdown:
    """A Markdown instance with the extensions, rendering `page` (a docs/ path) as
    `generator` ("mkdocs" or "zensical") names it, or no page at all."""
    md = markdown.Markdown(extensions=extensions, extension_configs=configs or {})
    if page is not None and generator == "mkdocs":
        md.treeprocessors.register(MkDocsRelpath(page), "relpath", 0)
    elif page is not None:
        md.preprocessors.register(ZensicalContext(page), "rendering_context", 0)
    return md


def render(
    text: str,
    extensions: list,
    configs: dict | None = None,
    page: str | None = None,
    generator: str = "mkdocs",
) -> str:
    return markdown_for(extensions, configs, page, generator).convert(text)
