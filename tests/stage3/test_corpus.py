import re
import runpy
from pydoc_data.topics import topics

import pytest

from snippets.stage3.corpus import (
    NotUtf8,
    UnknownTopic,
    pydoc_documents,
    read_utf8,
    site_documents,
    underlines_to_markdown,
)


def test_every_pydoc_topic_becomes_one_document():
    documents = pydoc_documents()
    assert len(documents) == len(topics) >= 70
    assert {d.collection for d in documents} == {"pydoc"}
    with_statement = next(d for d in documents if d.source == "pydoc:with")
    assert with_statement.title == 'The "with" statement'
    assert with_statement.text.startswith('# The "with" statement\n')


def test_only_heading_markup_changes():
    text = topics["specialnames"]
    converted = underlines_to_markdown(text)
    assert converted.startswith("# Special method names\n")
    assert "\n## Basic customization\n" in converted
    kept = [re.sub(r"^#{1,4} ", "", line) for line in converted.splitlines()]
    underlines = {
        line for line in text.splitlines() if line and set(line) <= set("*=-~")
    }
    original = [line for line in text.splitlines() if line not in underlines]
    assert kept == original


def test_a_subset_of_topics_and_a_clear_error_for_unknown_names():
    assert [d.source for d in pydoc_documents(["with", "pass"])] == [
        "pydoc:pass",
        "pydoc:with",
    ]
    with pytest.raises(UnknownTopic, match="no pydoc topic named nonsense"):
        pydoc_documents(["with", "nonsense"])


def test_a_file_that_is_not_utf8_is_named_with_its_offset(tmp_path):
    path = tmp_path / "legacy.md"
    path.write_bytes("# Café\n".encode("latin-1"))
    with pytest.raises(NotUtf8, match=r"legacy.md: byte 0xe9 at offset 5 is not UTF-8"):
        read_utf8(path)


def test_site_pages_load_and_a_bad_file_does_not_stop_the_others(tmp_path):
    (tmp_path / "guides").mkdir()
    (tmp_path / "guides" / "rag.md").write_text(
        '---\ntitle: "How RAG works"\ndescription: x\n---\n\n# How RAG works\n\nText.\n'
    )
    (tmp_path / "plain.md").write_text("Intro line\n\n# Plain page\n\nBody.\n")
    (tmp_path / "untitled.md").write_text("No heading at all.\n")
    (tmp_path / "broken.md").write_bytes(b"caf\xe9\n")
    documents, problems = site_documents(tmp_path)
    by_source = {d.source: d for d in documents}
    assert sorted(by_source) == [
        "site:guides/rag.md",
        "site:plain.md",
        "site:untitled.md",
    ]
    rag = by_source["site:guides/rag.md"]
    assert rag.title == "How RAG works"
    assert rag.collection == "site"
    assert not rag.text.startswith("---")  # front matter is not indexed
    assert by_source["site:plain.md"].title == "Plain page"
    assert by_source["site:untitled.md"].title == "untitled"
    assert len(problems) == 1
    assert "broken.md: byte 0xe9 at offset 3 is not UTF-8" in problems[0]


def test_main_describes_the_corpus(capsys):
    runpy.run_module("snippets.stage3.corpus", run_name="__main__")
    out = capsys.readouterr().out
    assert out.startswith(f"{len(topics)} pydoc topics, ")
    assert '# The "with" statement' in out
