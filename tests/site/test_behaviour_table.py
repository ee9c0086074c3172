"""site_markdown/behaviour_table.py: the double's facts and verdicts, rendered, not
typed."""

import json

from site_markdown import behaviour_table
from tests.double import behaviour
from tests.site.rendering import render as render_page

PAGE = "contributing/how-examples-are-tested/index.html"


def render(markdown: str) -> str:
    return behaviour_table.expand(markdown)


def test_the_extension_replaces_the_marker_before_the_page_is_parsed():
    html = render_page(
        "Before.\n\n<!-- conformance-summary -->\n\nAfter.",
        ["site_markdown.behaviour_table"],
    )
    assert html == (
        "<p>Before.</p>\n<p>The probes have <strong>never been run against the real "
        "API</strong>: every verdict below is the double's own reading of the docs. A "
        "run of <code>pytest tests/double/test_conformance.py --live</code> with a key "
        "fills the last column.</p>\n<p>After.</p>"
    )


def test_every_row_of_the_table_is_on_the_page_with_its_source():
    table = render("<!-- behaviour-table -->")
    lines = table.splitlines()
    assert lines[0] == "| Fact | Models | API version | Basis | Source (read) | Live |"
    assert len(lines) == 2 + len(behaviour.ROWS)
    forced = behaviour.by_id("forced-tool-use-refused")
    row = lines[2 + behaviour.ROWS.index(forced)]
    assert row == (
        "| `tool_choice` of type `any` or `tool` is a 400. | `claude-opus-5-5`, "
        "`claude-sonnet-5-5` | all | documented | "
        "[platform.claude.com/docs/en/models/sonnet-5-5/whats-new-sonnet-5-5]"
        "(https://platform.claude.com/docs/en/models/sonnet-5-5/whats-new-sonnet-5-5)"
        " (2026-12-01) | not run |"
    )


def test_without_a_live_run_the_page_says_never():
    assert render("<!-- conformance-summary -->") == behaviour_table.NEVER


def test_a_live_run_fills_the_verdicts_and_the_summary(tmp_path, monkeypatch):
    live = tmp_path / "live.json"
    live.write_text(
        json.dumps(
            {
                "date": "2026-12-02",
                "sdk": "2.15.0",
                "api_version": "2026-10-21",
                "rows": {"forced-tool-use-refused": {"verdict": "disagree"}},
            }
        )
    )
    monkeypatch.setattr(behaviour_table, "LIVE", live)
    probed = sum(1 for row in behaviour.ROWS if row.probe is not None)
    assert render("<!-- conformance-summary -->") == (
        "Last run against the real API on 2026-12-02, with anthropic 2.15.0 "
        f"(API version 2026-10-21): 0 of {probed} probes agreed with the double."
    )
    assert "(2026-12-01) | disagree |" in render("<!-- behaviour-table -->")


def test_the_built_page_has_the_table_and_no_marker(built_site):
    page = (built_site / PAGE).read_text(encoding="utf-8")
    assert "behaviour-table" not in page and "conformance-summary" not in page
    assert page.count("<tr>") >= len(behaviour.ROWS) + 1


def test_the_lifecycle_table_shows_every_model_with_its_dates():
    from tests.model_lifecycle import LIFECYCLES

    lines = render("<!-- lifecycle-table -->").splitlines()
    assert lines[0] == (
        "| Model | Status | Deprecated | Retires | Replacement | Source (read) |"
    )
    assert len(lines) == 2 + len(LIFECYCLES)
    retired = next(
        life
        for life in LIFECYCLES.values()
        if life.status == "retired" and life.replacement
    )
    row = next(line for line in lines if line.startswith(f"| `{retired.model}` "))
    assert row == (
        f"| `{retired.model}` | retired | {retired.deprecated or ''} | "
        f"{retired.retires} | `{retired.replacement}` | "
        f"[{retired.source.removeprefix('https://')}]({retired.source}) "
        f"({retired.read}) |"
    )
    current = next(line for line in lines if line.startswith("| `claude-sonnet-5-5` "))
    assert "| not before 2027-09-28 |" in current
