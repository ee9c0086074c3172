"""MkDocs hook: the offline build loads its Web Worker shim from this site, not a CDN.

Material's `offline` plugin makes search work from file:// by inlining the search
index into search/search_index.js and by adding the `iframe-worker` shim (browsers
refuse Web Workers on file://) to `extra.polyfills`, as a script from unpkg.com. A
reader who opens the downloaded site without a network would then have no search, and
every page would ask a third party for a script.

on_config runs after the plugin's own on_config (MkDocs runs hooks after plugins) and
swaps that URL for the copy in docs/assets/javascripts/vendor/, which
scripts/vendor_assets.sh fetches from the npm registry (`make vendor`). Builds without
the offline plugin are left alone. A missing copy stops the build and says so.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

VENDOR_FILE = "assets/javascripts/vendor/iframe-worker-shim.js"  # under docs/


def on_config(config):
    polyfills = config.extra.get("polyfills") or []
    remote = [url for url in polyfills if "iframe-worker" in str(url)]
    if not remote:
        return config
    if not (Path(config.docs_dir) / VENDOR_FILE).is_file():
        raise PluginError(
            f"The offline build needs docs/{VENDOR_FILE} (the iframe-worker shim that "
            "runs search from file://). Run `make vendor` to fetch it; the site never "
            "loads it from a CDN."
        )
    config.extra["polyfills"] = [
        VENDOR_FILE if url in remote else url for url in polyfills
    ]
    return config
