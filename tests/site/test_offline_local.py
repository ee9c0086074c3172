"""The offline build's worker shim comes from this site, not from unpkg.com
(site_markdown/post_build/offline_shim.py, run after either generator)."""

from pathlib import Path

import pytest

from site_markdown.post_build.built_site import BuiltSite
from site_markdown.post_build.offline_shim import (
    CDN_SHIM,
    VENDOR_FILE,
    OfflineShimError,
    write,
)

SHIM_TAG = '<script src="{}"></script>'


def offline_site(root: Path) -> BuiltSite:
    """A built offline site: a home page and a stage page, both with the CDN shim."""
    (root / "site" / "stages").mkdir(parents=True)
    for page in ("index.html", "stages/01.html"):
        (root / "site" / page).write_text(f"<head>{SHIM_TAG.format(CDN_SHIM)}</head>")
    return BuiltSite(root / "site", directory_urls=False)


def vendored_copy(docs_dir: Path) -> None:
    (docs_dir / VENDOR_FILE).parent.mkdir(parents=True)
    (docs_dir / VENDOR_FILE).write_text("// shim", encoding="utf-8")


def test_the_cdn_shim_becomes_the_vendored_copy_relative_to_each_page(tmp_path):
    site = offline_site(tmp_path)
    vendored_copy(tmp_path / "docs")
    assert write(site, tmp_path / "docs") == 2
    assert (site.path / "index.html").read_text() == (
        f"<head>{SHIM_TAG.format(VENDOR_FILE)}</head>"
    )
    assert (site.path / "stages" / "01.html").read_text() == (
        f"<head>{SHIM_TAG.format('../' + VENDOR_FILE)}</head>"
    )
    assert (site.path / VENDOR_FILE).read_text() == "// shim"


def test_a_build_without_the_offline_plugin_is_left_alone(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<head></head>")
    assert write(BuiltSite(tmp_path / "site", True), tmp_path / "docs") == 0
    assert not (tmp_path / "site" / VENDOR_FILE).exists()


def test_a_missing_copy_stops_the_build_and_names_the_fix(tmp_path):
    with pytest.raises(OfflineShimError, match="make vendor"):
        write(offline_site(tmp_path), tmp_path / "docs")
