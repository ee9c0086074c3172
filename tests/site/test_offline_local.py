"""hooks/offline_local.py: the offline build's worker shim comes from this site."""

from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError
from offline_local import VENDOR_FILE, on_config

UNPKG_SHIM = "https://unpkg.com/iframe-worker/shim"


def config(docs_dir, polyfills):
    return SimpleNamespace(docs_dir=str(docs_dir), extra={"polyfills": polyfills})


def test_the_cdn_shim_becomes_the_vendored_copy(tmp_path) -> None:
    (tmp_path / VENDOR_FILE).parent.mkdir(parents=True)
    (tmp_path / VENDOR_FILE).write_text("// shim", encoding="utf-8")
    result = on_config(config(tmp_path, ["other.js", UNPKG_SHIM]))
    assert result.extra["polyfills"] == ["other.js", VENDOR_FILE]


def test_a_build_without_the_offline_plugin_is_left_alone(tmp_path) -> None:
    assert on_config(config(tmp_path, [])).extra["polyfills"] == []


def test_a_missing_copy_stops_the_build_and_names_the_fix(tmp_path) -> None:
    with pytest.raises(PluginError, match="make vendor"):
        on_config(config(tmp_path, [UNPKG_SHIM]))
