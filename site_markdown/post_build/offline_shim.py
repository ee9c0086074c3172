"""The offline build loads its Web Worker shim from this site, not from a CDN.

The `offline` plugin (Material's and Zensical's alike) makes search work from file://
by inlining the search index and by adding the `iframe-worker` shim (browsers refuse
Web Workers on file://) to every page as `<script src="https://unpkg.com/iframe-worker/
shim">`. A reader who opens the downloaded site without a network would then have no
search, and every page would ask a third party for a script.

This step rewrites that reference in every built page to the copy in
docs/assets/javascripts/vendor/ (fetched by scripts/vendor_assets.sh, `make vendor`),
relative to the page, and copies the file into the site if the generator did not.
Builds without the offline plugin have no such reference and are left alone. A missing
copy stops the step and says how to get it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from site_markdown.post_build.built_site import BuiltSite
from site_markdown.post_build.site_config import PostBuildError

VENDOR_FILE = "assets/javascripts/vendor/iframe-worker-shim.js"  # under docs/ and site
CDN_SHIM = "https://unpkg.com/iframe-worker/shim"


class OfflineShimError(PostBuildError):
    """The offline build needs the vendored shim and it is not there."""


def write(site: BuiltSite, docs_dir: Path) -> int:
    """Point every page at the vendored shim; the number of pages changed."""
    pages = [
        path
        for path in sorted(site.path.rglob("*.html"))
        if CDN_SHIM in path.read_text(encoding="utf-8")
    ]
    if not pages:
        return 0
    copy = site.path / VENDOR_FILE
    if not copy.is_file():
        source = docs_dir / VENDOR_FILE
        if not source.is_file():
            raise OfflineShimError(
                f"The offline build needs docs/{VENDOR_FILE} (the iframe-worker shim "
                "that runs search from file://). Run `make vendor` to fetch it; the "
                "site never loads it from a CDN."
            )
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, copy)
    for path in pages:
        local = site.link(path, VENDOR_FILE)
        html = path.read_text(encoding="utf-8")
        path.write_text(html.replace(f'"{CDN_SHIM}"', f'"{local}"'), encoding="utf-8")
    return len(pages)
