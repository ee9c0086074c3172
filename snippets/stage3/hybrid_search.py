"""Hybrid search: BM25 and vector rankings merged by reciprocal rank fusion.

The two searches fail differently. BM25 misses paraphrases ("sortable" against
"__lt__"); vectors miss rare exact tokens and blur similar topics together. RRF
merges the two ranked lists without comparing their scores, which live on
different scales: each chunk earns 1 / (k + rank) from every list it appears in,
with k = 60 damping the difference between the very top ranks.

Neither list is cut by a score floor, and the fused list is never empty while
the index holds a chunk: a vector index always has neighbours. Whether the
passages answer the question is decided after fusion (snippets/stage3/no_answer.py).
"""

import sys

import psycopg

from snippets.stage3.database import connect
from snippets.stage3.embeddings import Embedder, load_model
from snippets.stage3.keyword_search import BM25Index
from snippets.stage3.schema import fetch_passages
from snippets.stage3.vector_search import vector_search


# --8<-- [start:rrf]
def reciprocal_rank_fusion(
    rankings: list[list[int]], k: int = 60
) -> list[tuple[int, float]]:
    """Merge ranked id lists: score(id) = sum over lists of 1 / (k + rank)."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1 / (k + rank)
    return sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))


# --8<-- [end:rrf]


# --8<-- [start:hybrid]
def hybrid_search(
    conn: psycopg.Connection,
    embedder: Embedder,
    bm25: BM25Index,
    query: str,
    k: int = 10,
    candidates: int = 50,
    collection: str | None = None,
) -> list[tuple[int, float]]:
    """Top k chunk ids by RRF over the top `candidates` of each search."""
    keyword = bm25.search(query, k=candidates, collection=collection)
    vector = vector_search(conn, embedder, query, k=candidates, collection=collection)
    fused = reciprocal_rank_fusion(
        [[chunk_id for chunk_id, _ in keyword], [chunk_id for chunk_id, _ in vector]]
    )
    return fused[:k]


# --8<-- [end:hybrid]


def main() -> None:
    query = " ".join(sys.argv[1:]) or "Why does my dict raise on a list key?"
    embedder = Embedder(load_model())
    with connect() as conn:
        bm25 = BM25Index.from_database(conn)
        hits = hybrid_search(conn, embedder, bm25, query, k=5)
        for passage in fetch_passages(conn, hits):
            print(f"{passage.score:.4f}  {passage.source}  {passage.heading_path}")


if __name__ == "__main__":
    main()
