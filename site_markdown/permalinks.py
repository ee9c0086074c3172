"""Python-Markdown extension: heading permalinks named by aria-label, not a title.

The toc extension gives each heading's ¶ link `title="Permanent link"`, and Material
mounts a tooltip component (event listeners, observers) on every element with a
title when a page loads: dozens per long page, two hundred on the glossary, for a
tooltip few readers need. An aria-label that names the heading ("Permanent link to
Choosing a model") tells a screen reader more than the ¶ and its title did, and
costs nothing at load. The link itself, and its anchor, are unchanged.

A postprocessor does it on the final HTML, because the API reference's headings
come from mkdocstrings as HTML the page only puts back at that stage.
"""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor

PERMALINK = (
    re.compile(  # a heading up to its permalink, as toc or mkdocstrings write it
        r'(?P<heading><h[1-6] id="(?P<id>[^"]+)"[^>]*>(?P<text>(?:(?!</h[1-6]>).)*?))'
        r'<a (?P<attrs>[^>]*class="headerlink"[^>]*)>(?P<mark>[^<]*)</a>',
        re.S,
    )
)
TAG = re.compile(r"<[^>]+>")
PRIORITY = 15  # after raw_html (30) and amp_substitute (20): the final HTML


def name_permalinks(html: str) -> str:
    """Swap each heading permalink's title for an aria-label naming the heading."""

    def named(match: re.Match[str]) -> str:
        if 'title="Permanent link"' not in match["attrs"]:
            return match[0]
        text = " ".join(TAG.sub("", match["text"]).split()).replace('"', "&quot;")
        return (
            f'{match["heading"]}<a class="headerlink" href="#{match["id"]}" '
            f'aria-label="Permanent link to {text}">{match["mark"]}</a>'
        )

    return PERMALINK.sub(named, html)


class PermalinkPostprocessor(Postprocessor):
    def run(self, text: str) -> str:
        if 'class="headerlink"' not in text:
            return text
        return name_permalinks(text)


class PermalinksExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.postprocessors.register(PermalinkPostprocessor(md), "permalinks", PRIORITY)


def makeExtension(**kwargs) -> PermalinksExtension:
    return PermalinksExtension(**kwargs)
