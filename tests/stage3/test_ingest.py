import runpy
import sys

import pytest

from snippets.stage3.chunking import HEADING, recursive
from snippets.stage3.contextual import structural_prefix
from snippets.stage3.corpus import Document, pydoc_documents
from snippets.stage3.ingest import ingest


def words_outside_headings(text: str, headings: set[str]) -> list[str]:
    return [
        w for line in text.splitlines() if line not in headings for w in line.split()
    ]


def counts(conn) -> tuple[int, int]:
    return (
        conn.execute("SELECT count(*) FROM documents").fetchone()[0],
        conn.execute("SELECT count(*) FROM chunks").fetchone()[0],
    )


@pytest.fixture
def empty(conn):
    conn.execute("TRUNCATE documents CASCADE")
    return conn


def test_documents_become_chunks_with_prefix_and_embedding(empty, embedder):
    documents = pydoc_documents(["with", "pass"])
    report = ingest(empty, embedder, documents)
    assert report.added == ["pydoc:pass", "pydoc:with"]
    assert report.chunks == counts(empty)[1] > 2
    row = empty.execute(
        "SELECT c.heading_path, c.context, c.content, vector_dims(c.embedding)"
        " FROM chunks c JOIN documents d ON d.id = c.document_id"
        " WHERE d.source = 'pydoc:with' ORDER BY c.ordinal LIMIT 1"
    ).fetchone()
    assert row[0] == 'The "with" statement'
    assert row[1] == 'The "with" statement'  # title and heading path, once
    assert row[2].startswith('# The "with" statement')
    assert row[3] == 384


def test_a_second_ingestion_changes_nothing(empty, embedder):
    documents = pydoc_documents(["with", "pass"])
    first = ingest(empty, embedder, documents)
    before = counts(empty)
    again = ingest(empty, embedder, documents)
    assert again.unchanged == ["pydoc:pass", "pydoc:with"]
    assert again.added == again.replaced == []
    assert again.chunks == 0
    assert counts(empty) == before == (2, first.chunks)


def test_a_changed_document_replaces_its_old_chunks(empty, embedder):
    [original] = pydoc_documents(["pass"])
    ingest(empty, embedder, [original])
    edited = Document(
        original.source, original.collection, original.title, original.text + "\nNew."
    )
    report = ingest(empty, embedder, [edited])
    assert report.replaced == ["pydoc:pass"]
    documents, chunks = counts(empty)
    assert documents == 1
    assert chunks == report.chunks
    assert (
        empty.execute(
            "SELECT count(*) FROM chunks WHERE content LIKE '%New.'"
        ).fetchone()[0]
        == 1
    )


def test_other_settings_count_as_a_change(empty, embedder):
    documents = pydoc_documents(["pass"])
    ingest(empty, embedder, documents)
    report = ingest(empty, embedder, documents, chunker=recursive)
    assert report.replaced == ["pydoc:pass"]
    assert counts(empty)[0] == 1


def test_an_empty_document_is_reported_and_skipped(empty, embedder):
    blank = Document("site:blank.md", "site", "blank", " \n\n ")
    report = ingest(empty, embedder, [blank, *pydoc_documents(["pass"])])
    assert report.skipped == ["site:blank.md: empty document, nothing to index"]
    assert report.added == ["pydoc:pass"]
    assert counts(empty)[0] == 1


def test_a_document_far_larger_than_the_window_is_chunked_whole(empty, embedder):
    [big] = pydoc_documents(["typesmapping"])  # ~16,000 characters
    assert embedder.count_tokens(big.text) > 10 * embedder.max_tokens
    report = ingest(empty, embedder, [big])
    assert report.added == ["pydoc:typesmapping"]
    rows = empty.execute(
        "SELECT context, content FROM chunks ORDER BY ordinal"
    ).fetchall()
    assert all(
        embedder.count_tokens(f"{context}\n\n{content}") <= embedder.max_tokens
        for context, content in rows
    )
    # Nothing is lost: every line of text (headings aside) is in some chunk, in order.
    headings = {line for line in big.text.splitlines() if HEADING.match(line)}
    chunked = "\n".join(content for _, content in rows)
    assert words_outside_headings(chunked, headings) == words_outside_headings(
        big.text, headings
    )


def test_a_failure_keeps_what_was_written_and_the_old_version(empty, embedder):
    [pass_doc, with_doc] = pydoc_documents(["pass", "with"])
    ingest(empty, embedder, [pass_doc])
    edited = Document(pass_doc.source, "pydoc", pass_doc.title, pass_doc.text + "\nX")

    def failing_prefixer(document, chunk):
        if document.source == "pydoc:pass":
            raise RuntimeError("the prefix service is down")
        return structural_prefix(document, chunk)

    with pytest.raises(RuntimeError, match="prefix service"):
        ingest(empty, embedder, [with_doc, edited], prefixer=failing_prefixer)
    sources = [r[0] for r in empty.execute("SELECT source FROM documents ORDER BY 1")]
    assert sources == ["pydoc:pass", "pydoc:with"]  # 'with' kept, old 'pass' kept
    assert (
        empty.execute("SELECT count(*) FROM chunks WHERE content LIKE '%X'").fetchone()[
            0
        ]
        == 0
    )


def test_main_ingests_the_named_topics_and_is_idempotent(conn, monkeypatch, capsys):
    conn.execute("TRUNCATE documents CASCADE")
    monkeypatch.setattr(sys, "argv", ["ingest", "pass", "assert"])
    runpy.run_module("snippets.stage3.ingest", run_name="__main__")
    first = capsys.readouterr().out
    assert first.startswith("2 added, 0 replaced, 0 unchanged, 0 skipped, ")
    runpy.run_module("snippets.stage3.ingest", run_name="__main__")
    assert capsys.readouterr().out == (
        "0 added, 0 replaced, 2 unchanged, 0 skipped, 0 chunks written\n"
    )
