import runpy
import sys

from snippets.stage3.schema import fetch_passages
from snippets.stage3.vector_search import MIN_SIMILARITY, vector_search

READS_SHARED_SLICE = True  # searches only: reuse the session's ingested slice


def test_a_paraphrase_finds_the_passage_without_shared_words(conn, embedder):

    hits = vector_search(conn, embedder, "when does my object count as false?", k=3)
    top = fetch_passages(conn, hits)
    assert {"pydoc:truth", "pydoc:customization", "pydoc:booleans"} & {
        p.source for p in top
    }
    similarities = [s for _, s in hits]
    assert similarities == sorted(similarities, reverse=True)
    assert all(MIN_SIMILARITY <= s <= 1 for s in similarities)


def test_the_collection_filter_keeps_only_that_collection(conn, embedder):
    query = "How are keyword and vector rankings merged?"
    site = fetch_passages(conn, vector_search(conn, embedder, query, collection="site"))
    assert [p.source for p in site] == ["site:guides/how-rag-works.md"]
    # Without the similarity floor, the nearest pydoc chunks come back, and only they.
    pydoc = fetch_passages(
        conn,
        vector_search(conn, embedder, query, collection="pydoc", min_similarity=-1),
    )
    assert len(pydoc) == 10
    assert all(p.source.startswith("pydoc:") for p in pydoc)


def test_an_unrelated_query_returns_nothing_rather_than_the_least_bad(conn, embedder):
    assert vector_search(conn, embedder, "xyzzy plugh frobnicate", k=5) == []
    nearest = vector_search(conn, embedder, "xyzzy plugh frobnicate", min_similarity=-1)
    assert len(nearest) == 10  # the index always has neighbours


def test_the_query_can_use_the_hnsw_index(conn, embedder):
    [vector] = embedder.embed(["anything"])
    plan = "\n".join(
        row[0]
        for row in conn.execute(
            "EXPLAIN SELECT id FROM chunks ORDER BY embedding <=> %s LIMIT 5", (vector,)
        )
    )
    assert "Index Scan using chunks_embedding_hnsw" in plan


def test_main_prints_the_nearest_chunks(conn, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["vector_search"])
    runpy.run_module("snippets.stage3.vector_search", run_name="__main__")
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3
    assert all(line.split()[1].startswith("pydoc:") for line in out)
    monkeypatch.setattr(sys, "argv", ["vector_search", "xyzzy", "plugh"])
    runpy.run_module("snippets.stage3.vector_search", run_name="__main__")
    assert "no chunk is similar enough" in capsys.readouterr().out
