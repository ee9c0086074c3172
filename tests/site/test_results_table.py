"""hooks/results_table.py: the Stage 3 page's measured tables come from JSON."""

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import results_table  # hooks/ is on sys.path (tests/site/conftest.py)
from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[2]


def config_at(root: Path) -> SimpleNamespace:
    return SimpleNamespace(config_file_path=str(root / "mkdocs.yml"))


def test_a_marker_becomes_a_table(tmp_path):
    (tmp_path / "r.json").write_text(
        json.dumps(
            {
                "tables": {
                    "t": {
                        "columns": ["method", "n", "mrr"],
                        "rows": [["bm25", 1234, 0.51234]],
                    }
                }
            }
        )
    )
    page = "Before\n\n<!-- results-table r.json#t -->\n\nAfter\n"
    out = results_table.on_page_markdown(
        page, page=None, config=config_at(tmp_path), files=None
    )
    assert out == (
        "Before\n\n| method | n | mrr |\n| --- | --: | --: |\n"
        "| bm25 | 1,234 | 0.512 |\n\nAfter\n"
    )


def test_intervals_and_p_values_have_cells_of_their_own():
    interval = {"value": 0.85185, "low": 0.7593, "high": 0.92593}
    assert results_table.cell(interval) == "0.852 [0.759, 0.926]"
    assert results_table.cell({"p": 0.0213}) == "0.021"
    assert results_table.cell({"p": 0.0004}) == "< 0.001"
    assert results_table.cell({"other": 1}) == "{'other': 1}"


def test_a_missing_table_stops_the_build_with_its_name(tmp_path):
    (tmp_path / "r.json").write_text('{"tables": {}}')
    with pytest.raises(PluginError, match=r"table 'nope' from r.json"):
        results_table.on_page_markdown(
            "<!-- results-table r.json#nope -->",
            page=None,
            config=config_at(tmp_path),
            files=None,
        )


def test_every_marker_on_the_stage3_page_renders_from_committed_results():
    page = (ROOT / "docs" / "stages" / "03-retrieval.md").read_text(encoding="utf-8")
    markers = results_table.MARKER.findall(page)
    assert len(markers) >= 2
    out = results_table.on_page_markdown(
        page, page=None, config=config_at(ROOT), files=None
    )
    assert "<!-- results-table" not in out


def test_the_hook_is_registered_in_mkdocs_yml():
    hooks = re.findall(r"^  - (hooks/\S+\.py)", (ROOT / "mkdocs.yml").read_text(), re.M)
    assert "hooks/results_table.py" in hooks, (
        "mkdocs.yml: add `- hooks/results_table.py` under `hooks:` so the Stage 3 "
        "page shows its measured tables"
    )
