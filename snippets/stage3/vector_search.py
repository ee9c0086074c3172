"""Vector search: the chunks whose embeddings lie nearest the question's.

`<=>` is pgvector's cosine distance (1 - cosine similarity); ordering by it with
a LIMIT lets PostgreSQL walk the HNSW index instead of scanning every row. HNSW
is approximate: `hnsw.ef_search` (default 40) is how many candidates it keeps
while walking, and it caps how many rows one query can return.

A metadata filter (`collection`) is applied to the candidates the index found.
With a selective filter most candidates are thrown away, so this function raises
`ef_search` for filtered queries. A vector index always has a nearest neighbour,
however unrelated: `min_similarity` is what turns "nothing relevant" into an
empty result instead of the least bad chunk.
"""

import sys

import psycopg

from snippets.stage3.database import connect
from snippets.stage3.embeddings import Embedder, load_model
from snippets.stage3.schema import fetch_passages

# --8<-- [start:search]
# Calibrated on the labelled set: every answering chunk scores 0.42 or more,
# keyboard mashing reaches 0.31 (benchmarks/stage3_retrieval.py measures both).
MIN_SIMILARITY = 0.35

SQL = """
SELECT c.id, 1 - (c.embedding <=> %(query)s) AS similarity
FROM chunks c JOIN documents d ON d.id = c.document_id
WHERE %(collection)s::text IS NULL OR d.collection = %(collection)s
ORDER BY c.embedding <=> %(query)s
LIMIT %(k)s
"""


def vector_search(
    conn: psycopg.Connection,
    embedder: Embedder,
    query: str,
    k: int = 10,
    collection: str | None = None,
    min_similarity: float = MIN_SIMILARITY,
) -> list[tuple[int, float]]:
    """(chunk id, cosine similarity) pairs, most similar first."""
    [vector] = embedder.embed([query])
    ef_search = max(40, k) if collection is None else max(200, 4 * k)
    with conn.transaction():  # set_config(..., true) lasts until the commit
        conn.execute("SELECT set_config('hnsw.ef_search', %s, true)", (str(ef_search),))
        rows = conn.execute(
            SQL, {"query": vector, "collection": collection, "k": k}
        ).fetchall()
    return [(chunk_id, sim) for chunk_id, sim in rows if sim >= min_similarity]


# --8<-- [end:search]


def main() -> None:
    query = " ".join(sys.argv[1:]) or "How can a class make instances sortable?"
    embedder = Embedder(load_model())
    with connect() as conn:
        hits = vector_search(conn, embedder, query, k=3, collection="pydoc")
        for passage in fetch_passages(conn, hits):
            print(f"{passage.score:.3f}  {passage.source}  {passage.heading_path}")
        if not hits:
            print(f"no chunk is similar enough (cosine >= {MIN_SIMILARITY})")


if __name__ == "__main__":
    main()
