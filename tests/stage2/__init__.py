"""Tests for snippets/stage2, one module per example."""

from tests.docs_blocks import DOCS

STAGE_PAGE = DOCS / "stages" / "02-context-and-prompting.md"
