"""The one post-build step: what spans the site, after MkDocs or Zensical built it.

The site is built in two passes. Inside each page, Python-Markdown extensions do the
work (site_markdown/*.py, listed under `markdown_extensions` in mkdocs.yml); both
generators run them. What needs the whole site, or the page around the Markdown,
is done here, once the generator has written the site, reading only the built
directory, mkdocs.yml and docs/:

- notebook pages, when the generator copied the .ipynb raw (notebooks.py);
- llms.txt and llms-full.txt (llms_txt.py);
- the glossary's "Used on" links (glossary_used_on.py) and the home page's stage
  totals (stage_totals.py): markers the extensions leave, since a page cannot see
  the others;
- the FAQ page's FAQPage structured data in its <head> (faq_schema.py);
- the offline build's worker shim from this site, not a CDN (offline_shim.py).

    python -m site_markdown.post_build SITE_DIR [--config mkdocs.yml]

`make build`, `make offline` and `make build-zensical` run it after their generator;
`make serve` runs it through hooks/post_build.py, since `mkdocs serve` rebuilds
without make.
"""

from __future__ import annotations

from pathlib import Path

from site_markdown.post_build import (
    faq_schema,
    glossary_used_on,
    llms_txt,
    notebooks,
    offline_shim,
    stage_totals,
)
from site_markdown.post_build.built_site import BuiltSite
from site_markdown.post_build.site_config import CONFIG_FILE, load, pages


def run(site_dir: Path, config_file: Path = CONFIG_FILE) -> list[str]:
    """Run every site-wide job on the built site; one line per job done."""
    config = load(config_file)
    sources = [page.src for page in pages(config.nav())]
    site = BuiltSite.read(site_dir, sources)
    done = []
    rendered = notebooks.write(site, config)
    done += [f"notebook page for docs/{src}" for src in rendered]
    llms_txt.write(site, config)
    done.append("llms.txt and llms-full.txt")
    used_on = glossary_used_on.write(site, config)
    if used_on:
        done.append(f'"Used on" links for {used_on} glossary terms')
    if stage_totals.write(site, config):
        done.append("stage totals on the home page")
    faq_schema.write(site)
    done.append(f"FAQPage structured data on docs/{faq_schema.FAQ_PAGE}")
    shimmed = offline_shim.write(site, config.docs_dir)
    if shimmed:
        done.append(f"offline worker shim from this site on {shimmed} pages")
    return done
