#!/usr/bin/env bash
# Fetch the front-end files the site needs, so no page loads them from a CDN.
#
# - mermaid.min.js (into .cache/mermaid/, not served): scripts/render_diagrams.py draws
#   the site's diagrams with it at `make diagrams` time; readers get SVG, not Mermaid.
# - iframe-worker-shim.js: the `offline` plugin adds it from unpkg.com so search works
#   from file://; the post-build step (site_markdown/post_build/offline_shim.py) points
#   every page at this copy instead.
#
# Each file comes from the npm registry through npm itself (`npm pack`) and is fetched
# only when it is missing. Delete a file and run `make vendor` to update it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$ROOT/docs/assets/javascripts/vendor"
TOOLS="$ROOT/.cache/mermaid"

# vendor PACKAGE@RANGE PATH_IN_PACKAGE DESTINATION
vendor() {
  local spec="$1" source="$2" dest="$3"
  if [[ -f "$dest" ]]; then
    echo "vendor: ${dest#"$ROOT"/} already present"
    return
  fi
  command -v npm >/dev/null || {
    echo "vendor: npm is needed to fetch $spec (install Node.js)" >&2
    exit 1
  }
  local tmp tarball version
  tmp="$(mktemp -d)"
  tarball="$(cd "$tmp" && npm pack --silent "$spec")"
  tar -xzf "$tmp/$tarball" -C "$tmp" package/package.json "package/$source"
  version="$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$tmp/package/package.json")"
  mkdir -p "$(dirname "$dest")"
  cp "$tmp/package/$source" "$dest"
  rm -rf "$tmp"
  echo "vendor: ${spec%@*} ${version:-?} -> ${dest#"$ROOT"/}"
}

# Which files: "mermaid", "shim", or both when no argument is given.
want="${1:-all}"
if [[ "$want" == all || "$want" == mermaid ]]; then
  vendor mermaid@11 dist/mermaid.min.js "$TOOLS/mermaid.min.js"
fi
if [[ "$want" == all || "$want" == shim ]]; then
  vendor iframe-worker@1 shim/index.js "$VENDOR/iframe-worker-shim.js"
fi
