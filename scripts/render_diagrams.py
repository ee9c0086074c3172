"""Render the site's Mermaid diagrams to SVG files, once, instead of in every browser.

Every ```mermaid block in docs/ is drawn by Mermaid (the vendored copy that
scripts/vendor_assets.sh fetches) in headless Chromium and saved as
docs/assets/diagrams/<key>.svg, where the key is a hash of the diagram's source.
site_markdown/diagrams.py puts that SVG into the page in place of the block, so readers
download a few kilobytes of SVG instead of 3.5 MB of Mermaid and run no script.
Editing a diagram changes its key, and the build then stops until this is run again
(`make diagrams`). SVG files no diagram uses any more are deleted.

The SVG takes its colours from Material's CSS variables, so it follows the light and
dark palettes, and labels are SVG text, so they print and scale cleanly.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from site_markdown.diagrams import DIAGRAM_DIR, diagram_key, mermaid_blocks

ROOT = Path(__file__).resolve().parent.parent

MERMAID = ROOT / ".cache" / "mermaid" / "mermaid.min.js"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
# Measured with Arial's metrics (Liberation Sans here), the fallback of Material's
# system font stack; SVG text is never clipped if a reader's font runs wider.
FONT = "Helvetica, Arial, sans-serif"
THEME_CSS = """
.node rect, .node circle, .node ellipse, .node polygon, .node path {
  fill: var(--md-mermaid-node-bg-color); stroke: var(--md-mermaid-node-fg-color);
}
.label, .nodeLabel, .edgeLabel, .cluster-label, text, .label text, .cluster text,
.cluster-label text {
  fill: var(--md-mermaid-label-fg-color); color: var(--md-mermaid-label-fg-color);
  font-family: var(--md-mermaid-font-family);
}
.edgeLabel rect, .labelBkg { fill: var(--md-mermaid-label-bg-color); opacity: 1; }
.edgeLabel, .edgeLabel p, .edgeLabel rect, .labelBkg {
  background-color: var(--md-mermaid-label-bg-color);
}
.edgePath .path, .flowchart-link { stroke: var(--md-mermaid-edge-color); }
.marker, marker path {
  fill: var(--md-mermaid-edge-color); stroke: var(--md-mermaid-edge-color);
}
.cluster rect {
  fill: var(--md-default-fg-color--lightest);
  stroke: var(--md-default-fg-color--lighter);
}
"""


def render(sources: list[str]) -> list[str]:
    from playwright.sync_api import sync_playwright

    config = {
        "startOnLoad": False,
        "theme": "base",
        "securityLevel": "strict",
        "fontFamily": FONT,
        "flowchart": {"htmlLabels": False},
        "themeCSS": THEME_CSS,
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROME, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.set_content(f'<body style="font-family: {FONT}"></body>')
        page.add_script_tag(path=str(MERMAID))
        page.evaluate("config => mermaid.initialize(config)", config)
        svgs = [
            page.evaluate(
                "async ([id, text]) => (await mermaid.render(id, text)).svg",
                [f"diagram-{diagram_key(source)}", source],
            )
            for source in sources
        ]
        browser.close()
    return svgs


def main() -> int:
    if not MERMAID.is_file():
        missing = MERMAID.relative_to(ROOT)
        print(f"render_diagrams: {missing} is missing; run `make vendor`")
        return 2
    if not Path(CHROME).is_file():
        print(f"render_diagrams: no Chromium at {CHROME} (apt-get install chromium)")
        return 2
    docs = ROOT / "docs"
    blocks = [
        block
        for page in sorted(docs.rglob("*.md"))
        for block in mermaid_blocks(page.read_text(encoding="utf-8"))
    ]
    sources = sorted({block.source for block in blocks})
    out = docs / DIAGRAM_DIR
    out.mkdir(parents=True, exist_ok=True)
    for source, svg in zip(sources, render(sources), strict=True):
        path = out / f"{diagram_key(source)}.svg"
        path.write_text(svg + "\n", encoding="utf-8")
        print(f"render_diagrams: {path.relative_to(ROOT)}")
    keep = {f"{diagram_key(source)}.svg" for source in sources}
    for stale in sorted(out.glob("*.svg")):
        if stale.name not in keep:
            stale.unlink()
            stale_path = stale.relative_to(ROOT)
            print(f"render_diagrams: removed {stale_path} (no diagram uses it)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
