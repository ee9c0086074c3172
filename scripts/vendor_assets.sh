#!/usr/bin/env bash
# Fetch the front-end files the site serves itself, so no page loads them from a CDN.
#
# - mermaid.min.js: Material for MkDocs loads it from unpkg.com unless `mermaid` is
#   already defined; hooks/mermaid_local.py adds a <script> for this copy instead.
# - iframe-worker-shim.js: the `offline` plugin adds it from unpkg.com so search works
#   from file://; hooks/offline_local.py points it at this copy instead.
#
# Each file comes from the npm registry through npm itself (`npm pack`) and is fetched
# only when it is missing. Delete a file and run `make vendor` to update it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$ROOT/docs/assets/javascripts/vendor"

# vendor PACKAGE@RANGE PATH_IN_PACKAGE FILE_NAME
vendor() {
  local spec="$1" source="$2" dest="$VENDOR/$3"
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
  mkdir -p "$VENDOR"
  cp "$tmp/package/$source" "$dest"
  rm -rf "$tmp"
  echo "vendor: ${spec%@*} ${version:-?} -> ${dest#"$ROOT"/}"
}

vendor mermaid@11 dist/mermaid.min.js mermaid.min.js
vendor iframe-worker@1 shim/index.js iframe-worker-shim.js
