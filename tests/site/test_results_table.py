"""site_markdown/results_table.py: the Stage 3 page's measured tables come from JSON."""

import json
import re
from pathlib import Path

import pytest

from site_markdown import results_table
from site_markdown.page import SiteError
from tests.site.rendering import render

ROOT = Path(__file__).resolve().parents[2]


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
    out = results_table.expand(page, tmp_path)
    assert out == (
        "Before\n\n| method | n | mrr |\n| --- | --: | --: |\n"
        "| bm25 | 1,234 | 0.512 |\n\nAfter\n"
    )
    extension = results_table.ResultsTableExtension(root=str(tmp_path))
    assert render(page, ["tables", extension]) == (
        "<p>Before</p>\n<table>\n<thead>\n<tr>\n<th>method</th>\n"
        '<th style="text-align: right;">n</th>\n'
        '<th style="text-align: right;">mrr</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n'
        "<td>bm25</td>\n"
        '<td style="text-align: right;">1,234</td>\n'
        '<td style="text-align: right;">0.512</td>\n'
        "</tr>\n</tbody>\n</table>\n<p>After</p>"
    )


def test_intervals_and_p_values_have_cells_of_their_own():
    interval = {"value": 0.85185, "low": 0.7593, "high": 0.92593}
    assert results_table.cell(interval) == "0.852 [0.759, 0.926]"
    assert results_table.cell({"p": 0.0213}) == "0.021"
    assert results_table.cell({"p": 0.0004}) == "< 0.001"
    assert results_table.cell({"other": 1}) == "{'other': 1}"


def test_a_missing_table_stops_the_build_with_its_name(tmp_path):
    (tmp_path / "r.json").write_text('{"tables": {}}')
    with pytest.raises(SiteError, match=r"table 'nope' from r.json"):
        results_table.expand("<!-- results-table r.json#nope -->", tmp_path)


def test_every_marker_on_the_stage3_page_renders_from_committed_results():
    page = (ROOT / "docs" / "stages" / "03-retrieval.md").read_text(encoding="utf-8")
    markers = results_table.MARKER.findall(page)
    assert len(markers) >= 2
    out = results_table.expand(page, ROOT)
    assert "<!-- results-table" not in out


def test_the_extension_is_registered_in_mkdocs_yml():
    text = (ROOT / "mkdocs.yml").read_text()
    extensions = re.findall(r"^  - (site_markdown\.\w+)", text, re.M)
    assert "site_markdown.results_table" in extensions, (
        "mkdocs.yml: add `- site_markdown.results_table` under `markdown_extensions:` "
        "so the Stage 3 page shows its measured tables"
    )
