"""Python-Markdown extension: the API reference's source listings stay out of search.

Every page downloads the search index (search/search_index.json) when it loads, and
the browser parses it on the main thread. The reference pages repeat the code of
every example module under "Source code in ...", the same code the stage pages
include, which made up a fifth of the index. Material's search plugin skips any
element marked `data-search-exclude`, so the listings stay on the page and leave the
index; the signatures and docstrings stay searchable.

A postprocessor marks them on the final HTML, where mkdocstrings' output is back in
the page. Only mkdocstrings writes these listings, so no page needs to be named.
"""

from __future__ import annotations

from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor

SOURCE_LISTING = '<details class="mkdocstrings-source">'
EXCLUDED = '<details class="mkdocstrings-source" data-search-exclude>'
PRIORITY = 16  # after raw_html (30) and amp_substitute (20): the final HTML


def exclude_source_listings(html: str) -> str:
    return html.replace(SOURCE_LISTING, EXCLUDED)


class SearchIndexPostprocessor(Postprocessor):
    def run(self, text: str) -> str:
        return exclude_source_listings(text)


class SearchIndexExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        processor = SearchIndexPostprocessor(md)
        md.postprocessors.register(processor, "search_index", PRIORITY)


def makeExtension(**kwargs) -> SearchIndexExtension:
    return SearchIndexExtension(**kwargs)
