"""Tests for snippets/stage2, one module per example."""

from pathlib import Path

from tests.docs_blocks import code_blocks

STAGE_PAGE = (
    Path(__file__).parents[2] / "docs" / "stages" / "02-context-and-prompting.md"
)
LABEL = '!!! note "Output from the local API double"'


def _note_heading(lines: list[str], fence_line: int) -> str:
    """The line that opens the indented block a fence sits in (1-based line)."""
    for line in reversed(lines[: fence_line - 1]):
        if line.strip() and not line.startswith((" ", "\t")):
            return line.strip()
    return ""


def page_output(module: str) -> str:
    """The text block the Stage 2 page shows, in a note labelled as the double's
    output, after the code of `snippets/stage2/<module>.py` and before other code."""
    lines = STAGE_PAGE.read_text(encoding="utf-8").splitlines()
    shown, last_included = [], None
    for block in code_blocks(STAGE_PAGE):
        if block.includes:
            last_included = block.includes[0].split(":", 1)[0]
        elif (
            block.language == "text"
            and last_included == f"snippets/stage2/{module}.py"
            and _note_heading(lines, block.line) == LABEL
        ):
            shown.append(block.body + "\n")
    assert len(shown) == 1, (
        f"{STAGE_PAGE.name} should show one text block of {module}'s output, in a "
        f"note headed {LABEL}, after the module's code; found {len(shown)}"
    )
    return shown[0]


def assert_page_shows(module: str, output: str) -> None:
    """The page shows exactly what the module printed: every line, nothing more."""
    assert output == page_output(module), (
        f"{STAGE_PAGE.name} and `python -m snippets.stage2.{module}` disagree; "
        "copy the module's output (run against the double) into the page's block"
    )
