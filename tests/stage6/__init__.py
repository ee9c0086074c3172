"""Tests for snippets/stage6, one module per example."""

from tests.stage5 import DOCS

STAGE_PAGE = DOCS / "stages" / "06-specialise.md"
