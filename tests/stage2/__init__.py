"""Tests for snippets/stage2, one module per example."""

from pathlib import Path

STAGE_PAGE = (
    Path(__file__).parents[2] / "docs" / "stages" / "02-context-and-prompting.md"
)


def assert_page_shows(output: str) -> None:
    """Every line a module printed appears on the Stage 2 page, which labels it."""
    page = STAGE_PAGE.read_text(encoding="utf-8")
    missing = [line for line in output.splitlines() if line.strip() not in page]
    assert not missing, f"{STAGE_PAGE.name} does not show these output lines: {missing}"
