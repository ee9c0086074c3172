"""Which docs/ page a Markdown instance is rendering, under MkDocs or Zensical.

Python-Markdown itself does not know what file it renders. Both site generators
leave the page on the Markdown instance they create for it:

- MkDocs registers a treeprocessor named `relpath` whose `file` is the page's
  File (`file.src_uri`: "stages/03-retrieval.md").
- Zensical registers a preprocessor named `rendering_context` whose `page.path`
  is the page's path under docs/ and whose `page.meta` is its front matter.

`rendered_page(md)` reads whichever is there, and None when neither is (a plain
`markdown.markdown()` call, or a docstring mkdocstrings renders on its own).
`front_matter(src_uri)` reads a page's front matter from docs/, the same for both.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from markdown import Markdown

DOCS_DIR = "docs"
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


class SiteError(ValueError):
    """A page or the data it shows is wrong; the message names the place and the fix."""


def rendered_page(md: Markdown) -> str | None:
    """The page's path under docs/ ("guides/index.md"), or None if not known."""
    if "relpath" in md.treeprocessors:  # MkDocs
        file = getattr(md.treeprocessors["relpath"], "file", None)
        if isinstance(getattr(file, "src_uri", None), str):
            return file.src_uri
    if "rendering_context" in md.preprocessors:  # Zensical
        page = getattr(md.preprocessors["rendering_context"], "page", None)
        path = getattr(page, "path", None)
        if isinstance(path, str) and path:
            return path.replace("\\", "/").removeprefix(f"{DOCS_DIR}/")
    return None


def split_front_matter(source: str) -> tuple[dict, str]:
    """A Markdown file's front matter (empty if none or not valid YAML) and body."""
    match = FRONT_MATTER.match(source)
    if not match:
        return {}, source
    try:
        meta = yaml.safe_load(match.group(1) or "")
    except yaml.YAMLError:
        meta = None  # the generator reports broken front matter itself
    return (meta if isinstance(meta, dict) else {}), source[match.end() :]


def front_matter(src_uri: str, docs_dir: Path) -> dict:
    """The front matter of docs_dir/src_uri; empty if the file has none."""
    try:
        text = (docs_dir / src_uri).read_text(encoding="utf-8")
    except OSError:
        return {}
    return split_front_matter(text)[0]
