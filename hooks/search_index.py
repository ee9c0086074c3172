"""MkDocs hook: keep the API reference's source listings out of the search index.

Every page downloads the search index (search/search_index.json) when it loads, and
the browser parses it on the main thread. The reference pages repeat the code of
every example module under "Source code in ...", the same code the stage pages
include, which made up a fifth of the index. Material's search plugin skips any
element marked `data-search-exclude`, so the listings stay on the page and leave the
index; the signatures and docstrings stay searchable.
"""

from __future__ import annotations

SOURCE_LISTING = '<details class="mkdocstrings-source">'
EXCLUDED = '<details class="mkdocstrings-source" data-search-exclude>'


def on_page_content(html, page, config, files):
    if page.file.src_uri.startswith("reference/"):
        return html.replace(SOURCE_LISTING, EXCLUDED)
    return html
