"""The home page's stage totals, filled by the post-build step from the built stage
pages' checklist ids (site_markdown/post_build/stage_totals.py)."""

import re

from site_markdown.post_build.built_site import BuiltSite
from site_markdown.post_build.site_config import SiteConfig
from site_markdown.post_build.stage_totals import write
from site_markdown.progress import progress_ids

HOME = '<body><span class="stage-progress" data-stage="1"></span></body>'
STAGE_PAGE = '<input data-progress-id="s1:a" type="checkbox"><input data-progress-id="s1:b" type="checkbox">'  # noqa: E501


def project(tmp_path, extensions=({"site_markdown.progress": {}},)):
    (tmp_path / "docs" / "stages").mkdir(parents=True)
    (tmp_path / "docs" / "index.md").write_text("# Home\n")
    (tmp_path / "docs" / "stages" / "01.md").write_text("---\nstage: 1\n---\n# One\n")
    site = tmp_path / "site"
    (site / "stages" / "01").mkdir(parents=True)
    (site / "index.html").write_text(HOME)
    (site / "stages" / "01" / "index.html").write_text(STAGE_PAGE)
    config = SiteConfig(
        tmp_path / "mkdocs.yml",
        {
            "site_name": "Site",
            "markdown_extensions": list(extensions),
            "nav": ["index.md", "stages/01.md"],
        },
    )
    return BuiltSite(site, directory_urls=True), config


def test_the_home_spans_count_the_stage_pages_items(tmp_path):
    site, config = project(tmp_path)
    assert write(site, config) is True
    assert (site.path / "index.html").read_text() == (
        '<body><span class="stage-progress" data-stage="1" data-total="2">'
        '0 of 2 ticked</span><script type="application/json" id="progress-index">'
        '{"1": ["s1:a", "s1:b"]}</script>\n</body>'
    )


def test_a_second_run_leaves_the_filled_page_alone(tmp_path):
    site, config = project(tmp_path)
    write(site, config)
    filled = (site.path / "index.html").read_text()
    assert write(site, config) is False
    assert (site.path / "index.html").read_text() == filled


def test_without_the_progress_extension_nothing_is_filled(tmp_path):
    site, config = project(tmp_path, extensions=())
    assert write(site, config) is False
    assert (site.path / "index.html").read_text() == HOME


def test_the_built_home_page_counts_each_stage_pages_ids(built_site):
    home = (built_site / "index.html").read_text(encoding="utf-8")
    totals = dict(re.findall(r'data-stage="(\d)" data-total="(\d+)"', home))
    stage_pages = sorted((built_site / "stages").glob("0[1-6]-*/index.html"))
    assert totals == {
        path.parent.name[1]: str(len(progress_ids(path.read_text(encoding="utf-8"))))
        for path in stage_pages
    }
