"""Tests for snippets/stage5, one module per example, and the output the pages show.

A page shows an example's output from the double in a ```text block, which
`tests.docs_blocks.assert_page_shows` compares with what the code printed, so a
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
