"""Tests for snippets/stage5, one module per example, and the output the pages show.

A page shows an example's output from the double in a ```text block. The block is
the output: every line, in order, or with a `...` line where the page leaves lines
out. `assert_page_shows` fails when the code's output and the page disagree, so a
figure cannot change on one side alone.
"""

from pathlib import Path

DOCS = Path(__file__).parents[2] / "docs"
STAGE_PAGE = DOCS / "stages" / "05-reliability.md"  # the overview
PARTS = DOCS / "stages" / "05-reliability"
EVALS_PAGE = PARTS / "evals.md"
JUDGE_PAGE = PARTS / "judge.md"
GATE_PAGE = PARTS / "ci-gate.md"
OBSERVABILITY_PAGE = PARTS / "observability.md"
SAFETY_PAGE = PARTS / "safety.md"
ECONOMICS_PAGE = PARTS / "economics.md"
AFTER_LAUNCH_PAGE = PARTS / "after-launch.md"
WRITING_EVALS = DOCS / "guides" / "writing-evals.md"
LEFT_OUT = "..."


def shown_output(page: Path, after: str) -> list[str]:
    """The lines of the first ```text block after the text `after` on the page."""
    text = page.read_text(encoding="utf-8")
    start = text.find(after)
    assert start >= 0, f"{page.name} no longer contains {after!r}"
    fence = text.index("```text\n", start)
    indent = fence - text.rfind("\n", 0, fence) - 1
    body = text[fence + len("```text\n") :].splitlines()
    lines = []
    for line in body:
        if line.strip() == "```":
            return lines
        lines.append(line[indent:])
    raise AssertionError(f"{page.name}: the text block after {after!r} never closes")


def _segments(shown: list[str]) -> list[list[str]]:
    segments: list[list[str]] = [[]]
    for line in shown:
        if line == LEFT_OUT:
            segments.append([])
        else:
            segments[-1].append(line)
    return segments


def assert_page_shows(output: str, page: Path, after: str) -> None:
    """The block after `after` on the page is exactly what the code printed.

    Each run of lines between `...` markers must appear in the output, whole and
    in order; a block that does not start (or end) with `...` starts (or ends)
    where the output does.
    """
    shown = shown_output(page, after)
    printed = [line.rstrip() for line in output.splitlines()]
    where = f"{page.name}, the text block after {after!r}"
    segments = _segments(shown)
    position = 0
    for number, segment in enumerate(segments):
        if not segment:
            continue
        starts = range(position, len(printed) - len(segment) + 1)
        if number == 0:  # no `...` above: the block starts where the output does
            starts = range(0, min(1, len(starts)))
        if number == len(segments) - 1:  # no `...` below: it ends there too
            starts = [i for i in starts if i + len(segment) == len(printed)]
        found = next(
            (i for i in starts if printed[i : i + len(segment)] == segment), None
        )
        assert found is not None, (
            f"{where} does not match what the code printed. The page shows:\n"
            + "\n".join(segment)
            + "\n--- the code printed ---\n"
            + "\n".join(printed)
        )
        position = found + len(segment)
