"""Vector search on the shared slice of the corpus, and filtered search on
10,000 chunks where the filter keeps 1% of them.

The 10,000 vectors are random (seeded), not embeddings: what those tests check
is how PostgreSQL and pgvector find rows, and 10,000 real chunks would take
minutes to embed. One document in a hundred is in the collection 'rare'. They
live in a database of their own, filled once per test run, so the slice's
searches do not see them.
"""

import re
import runpy
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import psycopg
import pytest
from pgvector.psycopg import register_vector

from snippets.stage3.schema import create_vector_index, fetch_passages
from snippets.stage3.vector_search import (
    SEARCH_SETTINGS,
    SQL,
    apply_search_settings,
    nearest_chunks,
    vector_search,
)
from tests.stage3.databases import shared_database

READS_SHARED_SLICE = True  # searches only: reuse the session's ingested slice


def test_a_paraphrase_finds_the_passage_without_shared_words(conn, embedder):

    hits = vector_search(conn, embedder, "when does my object count as false?", k=3)
    top = fetch_passages(conn, hits)
    assert {"pydoc:truth", "pydoc:customization", "pydoc:booleans"} & {
        p.source for p in top
    }
    similarities = [s for _, s in hits]
    assert similarities == sorted(similarities, reverse=True)
    assert all(0 < s <= 1 for s in similarities)


def test_the_collection_filter_keeps_only_that_collection(conn, embedder):
    query = "How are keyword and vector rankings merged?"
    site = fetch_passages(conn, vector_search(conn, embedder, query, collection="site"))
    assert [p.source for p in site] == ["site:guides/how-rag-works.md"]
    # The nearest pydoc chunks come back, and only they, however unrelated.
    pydoc = fetch_passages(
        conn, vector_search(conn, embedder, query, collection="pydoc")
    )
    assert len(pydoc) == 10
    assert all(p.source.startswith("pydoc:") for p in pydoc)


def test_an_unrelated_query_still_gets_k_neighbours(conn, embedder):
    # The index always has neighbours: deciding that none of them answers is
    # no_answer.py's job, on the passages the answer would use.
    nearest = vector_search(conn, embedder, "xyzzy plugh frobnicate")
    assert len(nearest) == 10
    assert max(similarity for _, similarity in nearest) < 0.35


def test_main_prints_the_nearest_chunks(conn, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["vector_search"])
    runpy.run_module("snippets.stage3.vector_search", run_name="__main__")
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3
    assert all(line.split()[1].startswith("pydoc:") for line in out)


DOCUMENTS, CHUNKS_PER_DOCUMENT, K = 100, 100, 10


def unit_rows(rng: np.random.Generator, n: int) -> np.ndarray:
    rows = rng.normal(size=(n, 384)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def fill_one_percent(conn: psycopg.Connection) -> None:
    """100 documents of 100 chunks, bulk loaded, then the HNSW index built."""
    rng = np.random.default_rng(3)
    with conn.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO documents (source, collection, title, content_hash)"
            " VALUES (%s, %s, %s, '')",
            [(f"doc:{i}", "rare" if i == 0 else "common", f"{i}") for i in range(100)],
        )
    ids = dict(conn.execute("SELECT source, id FROM documents").fetchall())
    vectors = unit_rows(rng, DOCUMENTS * CHUNKS_PER_DOCUMENT)
    with (
        conn.cursor() as cursor,
        cursor.copy(
            "COPY chunks (document_id, ordinal, heading_path, context, content,"
            " embedding) FROM STDIN WITH (FORMAT BINARY)"
        ) as copy,
    ):
        copy.set_types(["int8", "int4", "text", "text", "text", "vector"])
        for i, vector in enumerate(vectors):
            document = f"doc:{i // CHUNKS_PER_DOCUMENT}"
            copy.write_row((ids[document], i, "", "", "", vector))
    create_vector_index(conn)
    conn.execute("ANALYZE documents")


@pytest.fixture(scope="module")
def wide(postgres) -> Iterator[psycopg.Connection]:
    """A connection to the 10,000 chunks' database (every worker reads it)."""
    url = shared_database(postgres, "one_percent", fill_one_percent)
    with psycopg.connect(url, autocommit=True) as connection:
        register_vector(connection)
        yield connection


@pytest.fixture(scope="module")
def table(wide) -> dict[int, tuple[str, np.ndarray]]:
    """chunk id -> (collection, vector), as stored."""
    rows = wide.execute(
        "SELECT c.id, d.collection, c.embedding FROM chunks c"
        " JOIN documents d ON d.id = c.document_id"
    ).fetchall()
    return {chunk_id: (collection, vector) for chunk_id, collection, vector in rows}


@pytest.fixture(scope="module")
def query() -> np.ndarray:
    return unit_rows(np.random.default_rng(4), 1)[0]


def exact_top(table, query, k: int, collection: str) -> list[int]:
    ids = [i for i, (c, _) in table.items() if c == collection]
    similarity = np.array([table[i][1].to_numpy() @ query for i in ids])
    return [ids[j] for j in np.argsort(-similarity)[:k]]


def plan(conn, query, collection: str | None) -> str:
    with conn.transaction():
        apply_search_settings(conn)
        rows = conn.execute(
            "EXPLAIN " + SQL, {"query": query, "collection": collection, "k": K}
        )
        return "\n".join(row[0] for row in rows)


@contextmanager
def graph_walk(conn) -> Iterator[None]:
    """Make PostgreSQL walk the HNSW graph and filter, as it does whenever it
    expects the filter to keep many rows: the exact plan needs a sort."""
    with conn.transaction():
        conn.execute("SET LOCAL enable_sort = off")
        yield


def test_the_filter_keeps_one_percent(table):
    collections = [collection for collection, _ in table.values()]
    assert collections.count("rare") / len(collections) == 0.01


def test_an_unfiltered_query_walks_the_hnsw_index(table, wide, query):
    assert "Index Scan using chunks_embedding_hnsw on chunks" in plan(wide, query, None)


def test_a_one_percent_filter_returns_the_exact_k_nearest(table, wide, query):
    """PostgreSQL finds the 100 rare chunks through the document index and sorts
    them: exact, and cheaper than a graph walk for so few rows."""
    found = plan(wide, query, "rare")
    assert "Index Scan using chunks_document_id_ordinal_key on chunks" in found
    assert "chunks_embedding_hnsw" not in found
    hits = nearest_chunks(wide, query, K, collection="rare")
    assert [chunk_id for chunk_id, _ in hits] == exact_top(table, query, K, "rare")


def test_walking_the_graph_a_one_percent_filter_still_returns_k_rows(
    table, wide, query
):
    with graph_walk(wide):
        assert "Index Scan using chunks_embedding_hnsw" in plan(wide, query, "rare")
        hits = nearest_chunks(wide, query, K, collection="rare")
    assert len(hits) == K
    assert {table[chunk_id][0] for chunk_id, _ in hits} == {"rare"}
    similarities = [similarity for _, similarity in hits]
    assert similarities == sorted(similarities, reverse=True)


@pytest.mark.parametrize("ef_search", ["40", "200"])
def test_without_iterative_scans_a_wider_ef_search_is_not_enough(
    table, wide, query, monkeypatch, ef_search
):
    """The old workaround: 200 candidates, of which 1% pass, is about 2 rows."""
    monkeypatch.setitem(SEARCH_SETTINGS, "hnsw.iterative_scan", "off")
    monkeypatch.setitem(SEARCH_SETTINGS, "hnsw.ef_search", ef_search)
    with graph_walk(wide):
        hits = nearest_chunks(wide, query, K, collection="rare")
    assert len(hits) < K


def rows_the_index_handed_up(conn, query, collection: str) -> int:
    """EXPLAIN ANALYZE: how many rows the HNSW scan produced before the LIMIT."""
    with graph_walk(conn):
        apply_search_settings(conn)
        lines = [
            row[0]
            for row in conn.execute(
                "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + SQL,
                {"query": query, "collection": collection, "k": K},
            )
        ]
    [scan] = [
        line for line in lines if "Index Scan using chunks_embedding_hnsw" in line
    ]
    return round(float(re.search(r"actual rows=([\d.]+)", scan)[1]))


def test_max_scan_tuples_bounds_a_walk_that_finds_nothing(
    table, wide, query, monkeypatch
):
    """A filter no row passes: under the default bound of 20,000 tuples the walk
    reads all 10,000 rows here; a lower bound stops it early (the candidates it
    had already met are still handed up, so it stops above the bound)."""
    with graph_walk(wide):
        assert nearest_chunks(wide, query, K, collection="absent") == []
    assert rows_the_index_handed_up(wide, query, "absent") == len(table)
    monkeypatch.setitem(SEARCH_SETTINGS, "hnsw.max_scan_tuples", "5000")
    assert rows_the_index_handed_up(wide, query, "absent") < len(table)
