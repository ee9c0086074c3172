"""The home page's stage cards: how many checklist items each stage has.

The progress extension (site_markdown/progress.py) gives every checklist item of a
page a stable `data-progress-id`, but the home page cannot count another page's
items, so its `<span class="stage-progress" data-stage="N">` are left empty. This
step reads the ids from each built stage page (a nav page whose front matter has
`stage: N`), fills each span with its total ("0 of 12 ticked") and adds the id index
that assets/javascripts/progress.js reads, with the extension's own
`fill_stage_spans`.
"""

from __future__ import annotations

from site_markdown import progress
from site_markdown.post_build.built_site import BuiltSite
from site_markdown.post_build.site_config import SiteConfig, pages

EXTENSION = "site_markdown.progress"
HOME = "index.md"


def stage_ids(site: BuiltSite, config: SiteConfig) -> dict[int, list[str]]:
    """{stage: the checklist ids of its built page, in document order}."""
    return {
        int(page.meta["stage"]): progress.progress_ids(site.html(page.src))
        for page in pages(config.nav())
        if "stage" in page.meta
    }


def write(site: BuiltSite, config: SiteConfig) -> bool:
    """Fill the built home page's stage totals; whether there was anything to fill."""
    if EXTENSION not in config.extension_options():
        return False
    home = site.file(HOME)
    text = home.read_text(encoding="utf-8")
    if (
        'class="stage-progress"' not in text
        or f'id="{progress.INDEX_ELEMENT_ID}"' in text
    ):
        return False  # no cards, or filled by an earlier run
    home.write_text(
        progress.fill_stage_spans(text, stage_ids(site, config), HOME), encoding="utf-8"
    )
    return True
