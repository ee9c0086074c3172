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


def has_hnsw_index(conn) -> bool:
    return (
        conn.execute(
            "SELECT count(*) FROM pg_indexes WHERE indexname = 'chunks_embedding_hnsw'"
        ).fetchone()[0]
        == 1
    )


@pytest.fixture
def empty(conn):
    """No rows and no HNSW index: the state of a database before its first load."""
    conn.execute("TRUNCATE documents CASCADE")
    conn.execute("DROP INDEX IF EXISTS chunks_embedding_hnsw")
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


def test_the_hnsw_index_is_built_after_the_first_load_and_kept_after(empty, embedder):
    assert not has_hnsw_index(empty)
    ingest(empty, embedder, pydoc_documents(["pass"]))
    assert has_hnsw_index(empty)
    built = empty.execute(
        "SELECT pg_relation_filenode('chunks_embedding_hnsw')"
    ).fetchone()
    ingest(empty, embedder, pydoc_documents(["pass", "with"]))
    # Same index file: rows were added to the graph, the graph was not rebuilt.
    assert (
        empty.execute("SELECT pg_relation_filenode('chunks_embedding_hnsw')").fetchone()
        == built
    )
    [vector] = embedder.embed(['The "with" statement'])
    with empty.transaction():
        empty.execute("SET LOCAL enable_seqscan = off")  # 12 rows: force the index
        nearest = empty.execute(
            "SELECT d.source FROM chunks c JOIN documents d ON d.id = c.document_id"
            " ORDER BY c.embedding <=> %s LIMIT 1",
            (vector,),
        ).fetchone()
    assert nearest == ("pydoc:with",)  # the chunks added later are in the graph


def test_a_document_gone_from_the_complete_source_is_removed(empty, embedder):
    ingest(empty, embedder, pydoc_documents(["assert", "pass", "with"]))
    site = Document("site:a.md", "site", "A", "# A\n\nA page.\n")
    report = ingest(
        empty,
        embedder,
        [*pydoc_documents(["assert", "with"]), site],
        complete_source=True,
    )
    assert report.removed == ["pydoc:pass"]
    assert report.unchanged == ["pydoc:assert", "pydoc:with"]
    assert report.added == ["site:a.md"]
    sources = [r[0] for r in empty.execute("SELECT source FROM documents ORDER BY 1")]
    assert sources == ["pydoc:assert", "pydoc:with", "site:a.md"]
    orphans = empty.execute(
        "SELECT count(*) FROM chunks c LEFT JOIN documents d ON d.id = c.document_id"
        " WHERE d.id IS NULL"
    ).fetchone()[0]
    assert orphans == 0  # its chunks went with it


def test_only_the_collections_in_the_source_are_pruned(empty, embedder):
    """A source of pydoc topics says nothing about the site pages: they stay."""
    site = Document("site:a.md", "site", "A", "# A\n\nA page.\n")
    ingest(empty, embedder, [*pydoc_documents(["pass"]), site])
    report = ingest(empty, embedder, pydoc_documents(["with"]), complete_source=True)
    assert report.removed == ["pydoc:pass"]
    sources = [r[0] for r in empty.execute("SELECT source FROM documents ORDER BY 1")]
    assert sources == ["pydoc:with", "site:a.md"]


def test_without_complete_source_nothing_is_removed(empty, embedder):
    ingest(empty, embedder, pydoc_documents(["pass", "with"]))
    report = ingest(empty, embedder, pydoc_documents(["with"]))
    assert report.removed == []
    assert counts(empty)[0] == 2


def test_an_empty_document_in_the_source_keeps_its_old_version(empty, embedder):
    """Empty is bad input, not a deletion: it is skipped and the old rows stay."""
    [original] = pydoc_documents(["pass"])
    ingest(empty, embedder, [original])
    blank = Document(original.source, original.collection, original.title, "\n")
    report = ingest(empty, embedder, [blank], complete_source=True)
    assert report.removed == []
    assert report.skipped == ["pydoc:pass: empty document, nothing to index"]
    assert counts(empty)[0] == 1


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
    assert first.startswith("2 added, 0 replaced, 0 unchanged, 0 removed, 0 skipped, ")
    runpy.run_module("snippets.stage3.ingest", run_name="__main__")
    assert capsys.readouterr().out == (
        "0 added, 0 replaced, 2 unchanged, 0 removed, 0 skipped, 0 chunks written\n"
    )
    # Naming topics is not the complete source: the other topic stays.
    monkeypatch.setattr(sys, "argv", ["ingest", "pass"])
    runpy.run_module("snippets.stage3.ingest", run_name="__main__")
    assert capsys.readouterr().out == (
        "0 added, 0 replaced, 1 unchanged, 0 removed, 0 skipped, 0 chunks written\n"
    )


def test_main_over_every_topic_removes_what_pydoc_no_longer_has(
    conn, monkeypatch, capsys
):
    """The full corpus is the complete source: a stored topic it lacks goes."""
    import snippets.stage3.ingest as module

    conn.execute("TRUNCATE documents CASCADE")
    monkeypatch.setattr(sys, "argv", ["ingest", "pass", "assert"])
    runpy.run_module("snippets.stage3.ingest", run_name="__main__")
    capsys.readouterr()
    # A pydoc without 'pass': patch the corpus the module reads, not the code.
    [assert_topic] = pydoc_documents(["assert"])
    monkeypatch.setattr(module, "pydoc_documents", lambda names: [assert_topic])
    monkeypatch.setattr(sys, "argv", ["ingest"])
    module.main()
    assert capsys.readouterr().out == (
        "0 added, 0 replaced, 1 unchanged, 1 removed, 0 skipped, 0 chunks written\n"
    )
