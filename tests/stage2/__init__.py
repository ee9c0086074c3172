"""Tests for snippets/stage2, one module per example."""

from tests import docs_blocks

STAGE_PAGE = docs_blocks.DOCS / "stages" / "02-context-and-prompting.md"


def page_output(module: str) -> str:
    """The Stage 2 page's labelled output block for `snippets/stage2/<module>.py`."""
    return docs_blocks.page_output(STAGE_PAGE, f"snippets/stage2/{module}.py")


def assert_page_shows(module: str, output: str) -> None:
    """The page shows exactly what the module printed: every line, nothing more."""
    docs_blocks.assert_page_shows(STAGE_PAGE, f"snippets/stage2/{module}.py", output)
