"""The search index every page downloads holds prose and code once, not twice.

Reads the built site's search/search_index.json: the API reference keeps its
signatures and docstrings there but not its source listings (hooks/search_index.py),
and glossary entries keep their definitions but not their "Used on" lines
(hooks/glossary.py), while the stage pages keep their code.
"""

import json
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def entries(built_site: Path) -> list[dict]:
    index = built_site / "search" / "search_index.json"
    return json.loads(index.read_text(encoding="utf-8"))["docs"]


def texts(entries: list[dict], prefix: str) -> list[str]:
    return [entry["text"] for entry in entries if entry["location"].startswith(prefix)]


def test_reference_entries_keep_docstrings_but_not_source(entries):
    reference = texts(entries, "reference/stage1/")
    assert sum("<p>" in text for text in reference) >= 5  # docstrings are prose
    assert not [text for text in reference if "<pre>" in text]


def test_stage_pages_keep_their_code(entries):
    assert any(
        "<pre>" in text for text in texts(entries, "stages/01-model-as-component/")
    )


def test_glossary_entries_keep_definitions_but_not_used_on(entries):
    (agent,) = [e for e in entries if e["location"] == "glossary/#agent"]
    assert "decides step by step which tools to call" in agent["text"]
    glossary = texts(entries, "glossary/")
    assert not [text for text in glossary if "Used on:" in text or "Related:" in text]
