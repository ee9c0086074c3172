"""MkDocs hook: serve Mermaid from this site instead of a CDN.

Material for MkDocs renders diagrams with mermaid.js, which it fetches from unpkg.com
unless a global `mermaid` already exists when a diagram is drawn. On every page whose
HTML holds a diagram (`class="mermaid"`), on_post_page puts a <script> for the copy in
docs/assets/javascripts/vendor/ just before Material's bundle, so the global exists in
time and the browser never asks a third party.

With `navigation.instant`, Material swaps page content without reloading and never runs
scripts outside the content area. The page a reader lands on then decides whether
Mermaid is loaded, so in that mode the script goes on every page.

The hook fetches nothing: when the vendored file is missing the build stops and says
to run `make vendor` (scripts/vendor_assets.sh).
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.exceptions import PluginError

VENDOR_FILE = "assets/javascripts/vendor/mermaid.min.js"  # under docs/
MERMAID_BLOCK = re.compile(r'class="(?:[^"]*\s)?mermaid(?:\s[^"]*)?"')
BUNDLE_SCRIPT = re.compile(
    r'<script (?:defer )?src="(?P<base>[^"]*?)'
    r'assets/javascripts/bundle\.[0-9a-f]+\.min\.js">'
)


def on_post_page(output, page, config):
    instant = "navigation.instant" in (config.theme.get("features") or [])
    if not (instant or has_mermaid(output)):
        return output
    vendored = Path(config.docs_dir) / VENDOR_FILE
    if not vendored.is_file():
        raise PluginError(
            f"{page.file.src_uri} needs Mermaid but docs/{VENDOR_FILE} is missing. "
            "Run `make vendor` to fetch it; the site never loads Mermaid from a CDN."
        )
    return insert_mermaid_script(output, page.file.src_uri)


def has_mermaid(html: str) -> bool:
    """Whether the page holds a Mermaid diagram (superfences' `class="mermaid"`)."""
    return MERMAID_BLOCK.search(html) is not None


def insert_mermaid_script(html: str, src_uri: str = "page") -> str:
    """Add the local mermaid.min.js right before Material's bundle script, with the
    same relative base the bundle uses, so the path is right on every page."""
    bundle = BUNDLE_SCRIPT.search(html)
    if bundle is None:
        raise PluginError(
            f"{src_uri}: Material's bundle script was not found, so the local Mermaid "
            "cannot be put before it (did the theme change?)"
        )
    tag = f'<script src="{bundle.group("base")}{VENDOR_FILE}"></script>\n'
    return html[: bundle.start()] + tag + html[bundle.start() :]
