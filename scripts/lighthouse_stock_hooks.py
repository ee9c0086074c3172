"""The one hook of `make lighthouse`'s stock baseline: the project's text, nothing else.

The baseline is this site's Markdown built with Material's defaults, to show what the
project's own front end costs. Some of that Markdown is text that the project's hooks
generate at build time, and without it the baseline pages would be shorter than the
real ones (the glossary would be one paragraph). This hook writes that text and
nothing more, with the project's own functions:

- the glossary body on docs/glossary.md (hooks/glossary.py's render_glossary),
- the measured tables (hooks/results_table.py), the API double's behaviour tables
  (hooks/behaviour_table.py), and the "Requires / Tested with" lines under each stage
  title (hooks/stage_meta.py).

Everything the project's hooks change in the HTML stays out: no glossary tooltips,
no permalink names, no pre-rendered diagrams, no progress ids, no search-index
exclusions, no llms.txt. scripts/lighthouse.py writes the baseline's mkdocs.yml.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hooks"))  # the hooks import their siblings by name

import behaviour_table  # noqa: E402
import glossary  # noqa: E402
import results_table  # noqa: E402
import stage_meta  # noqa: E402
from glossary_source import load_glossary  # noqa: E402

_terms: list = []
_pages: list = []


def on_config(config):
    global _terms
    _terms = load_glossary(ROOT / glossary.GLOSSARY_FILE)


def on_nav(nav, config, files):
    global _pages
    _pages = [
        glossary.read_page(page.file.src_uri, page.file.content_string)
        for page in nav.pages
        if page.file.src_uri.endswith(".md")
    ]


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri == glossary.GLOSSARY_PAGE:
        body = glossary.render_glossary(_terms, _pages, glossary.GLOSSARY_PAGE)
        markdown = markdown.replace(glossary.MARKER, body, 1)
    markdown = results_table.MARKER.sub(
        lambda m: results_table.render(ROOT, m["path"], m["table"]), markdown
    )
    markdown = behaviour_table.on_page_markdown(
        markdown, page=page, config=config, files=files
    )
    return stage_meta.on_page_markdown(markdown, page, config, files)
