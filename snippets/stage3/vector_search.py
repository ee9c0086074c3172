"""Vector search: the chunks whose embeddings lie nearest the question's.

`<=>` is pgvector's cosine distance (1 - cosine similarity); ordering by it with
a LIMIT lets PostgreSQL walk the HNSW index instead of scanning every row. HNSW
is approximate: `hnsw.ef_search` is how many candidates it keeps while walking,
so it sets the trade between recall and latency. The value here was picked by
`benchmarks/stage3_scale.py`, which sweeps it at 100,000 chunks.

A metadata filter (`collection`) is applied to the rows the index hands up.
Before pgvector 0.8 a selective filter threw most of them away and the query
returned fewer than k rows; the workaround was a wider `ef_search`. With
`hnsw.iterative_scan` on, the index keeps walking until k rows pass the filter,
bounded by `hnsw.max_scan_tuples` so that a filter nothing passes cannot turn
into a walk of the whole graph.

A vector index always has a nearest neighbour, however unrelated, so this
search always returns k rows. Deciding that none of them answers the question
is not its job: snippets/stage3/no_answer.py decides that on the passages the
answer would be built from, after fusion and reranking.
"""

import sys

import numpy as np
import psycopg

from snippets.stage3.database import connect
from snippets.stage3.embeddings import Embedder, load_model
from snippets.stage3.schema import fetch_passages

# --8<-- [start:search]
# Set for one transaction around each query (pgvector 0.8; defaults in comments).
SEARCH_SETTINGS = {
    # Default 40. At 100,000 chunks the sweep's smallest setting with recall@10
    # >= 0.95 was 64 (0.959); 100 leaves a margin, since each build differs.
    "hnsw.ef_search": "100",
    "hnsw.iterative_scan": "relaxed_order",  # default off
    "hnsw.max_scan_tuples": "20000",  # the default, written out: the walk's bound
}

# relaxed_order may hand rows up slightly out of order; the outer ORDER BY
# restores it. MATERIALIZED keeps PostgreSQL from folding the two together, and
# `+ 0` keeps PostgreSQL 17 and later from trusting the CTE's order and dropping
# the sort (pgvector's README gives the same form).
SQL = """
WITH nearest AS MATERIALIZED (
    SELECT c.id, c.embedding <=> %(query)s AS distance
    FROM chunks c JOIN documents d ON d.id = c.document_id
    WHERE %(collection)s::text IS NULL OR d.collection = %(collection)s
    ORDER BY distance
    LIMIT %(k)s
)
SELECT id, 1 - distance AS similarity FROM nearest ORDER BY distance + 0
"""


def apply_search_settings(conn: psycopg.Connection) -> None:
    """Set SEARCH_SETTINGS for the current transaction, in one round trip."""
    calls = ", ".join("set_config(%s, %s, true)" for _ in SEARCH_SETTINGS)
    conn.execute(
        f"SELECT {calls}", [part for kv in SEARCH_SETTINGS.items() for part in kv]
    )


def nearest_chunks(
    conn: psycopg.Connection,
    vector: np.ndarray,
    k: int = 10,
    collection: str | None = None,
) -> list[tuple[int, float]]:
    """(chunk id, cosine similarity) of the k nearest chunks, most similar first."""
    with conn.transaction():  # the settings last until this commits
        apply_search_settings(conn)
        return conn.execute(
            SQL, {"query": vector, "collection": collection, "k": k}
        ).fetchall()


def vector_search(
    conn: psycopg.Connection,
    embedder: Embedder,
    query: str,
    k: int = 10,
    collection: str | None = None,
) -> list[tuple[int, float]]:
    """(chunk id, cosine similarity) of the k chunks nearest to the query."""
    [vector] = embedder.embed([query])
    return nearest_chunks(conn, vector, k, collection)


# --8<-- [end:search]


def main() -> None:
    query = " ".join(sys.argv[1:]) or "How can a class make instances sortable?"
    embedder = Embedder(load_model())
    with connect() as conn:
        hits = vector_search(conn, embedder, query, k=3, collection="pydoc")
        for passage in fetch_passages(conn, hits):
            print(f"{passage.score:.3f}  {passage.source}  {passage.heading_path}")


if __name__ == "__main__":
    main()
