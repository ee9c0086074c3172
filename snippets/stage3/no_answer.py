"""Nothing matches: decided on the passages the answer would be built from.

Every search returns something. A vector index always has a nearest neighbour,
BM25 matches any chunk that shares one word with the question, and RRF ranks
whatever the two lists hold. So "the index has nothing on this" cannot be read
off a ranking. It is decided at the end, on the passages about to go to the
model (after fusion, and after reranking when there is one): if none of them
is similar enough to the question, there is no model call and no answer.

"Similar enough" is the cosine similarity between the question and a passage,
computed in PostgreSQL from the stored embedding, whichever search found the
passage. RRF scores cannot serve: they come from ranks alone, so the top
passage for an unrelated question scores as high as the top passage for a good
one.

MIN_SIMILARITY is chosen by benchmarks/stage3_retrieval.py on a calibration
half of the labelled questions and of plausible out-of-scope ones
(data/stage3/no_answer_split.json); the other half measures the false accepts
and false rejects that the Stage 3 page reports.
"""

import sys

import psycopg

from snippets.stage3.database import connect
from snippets.stage3.embeddings import Embedder, load_model
from snippets.stage3.hybrid_search import hybrid_search
from snippets.stage3.keyword_search import BM25Index
from snippets.stage3.schema import Passage, fetch_passages

# --8<-- [start:decide]
# Chosen on the calibration questions by benchmarks/stage3_retrieval.py, which
# reports the false accepts and false rejects it gives on the evaluation ones.
MIN_SIMILARITY = 0.42


def best_similarity(
    conn: psycopg.Connection, embedder: Embedder, question: str, passages: list[Passage]
) -> float | None:
    """The highest cosine similarity between the question and any of the passages."""
    if not passages:
        return None
    [vector] = embedder.embed([question])
    [best] = conn.execute(
        "SELECT max(1 - (embedding <=> %s)) FROM chunks WHERE id = ANY(%s)",
        (vector, [p.chunk_id for p in passages]),
    ).fetchone()
    return best


def something_matches(
    conn: psycopg.Connection,
    embedder: Embedder,
    question: str,
    passages: list[Passage],
    min_similarity: float = MIN_SIMILARITY,
) -> bool:
    """Whether any passage is similar enough to the question to answer from."""
    best = best_similarity(conn, embedder, question, passages)
    return best is not None and best >= min_similarity


# --8<-- [end:decide]


def main() -> None:
    question = (
        " ".join(sys.argv[1:])
        or "How do I make a command-line flag required with argparse?"
    )
    embedder = Embedder(load_model())
    with connect() as conn:
        bm25 = BM25Index.from_database(conn)
        hits = hybrid_search(conn, embedder, bm25, question, k=5)
        passages = fetch_passages(conn, hits)
        best = best_similarity(conn, embedder, question, passages)
    print(f"{len(passages)} passages retrieved; the most similar scores {best:.3f}")
    if best >= MIN_SIMILARITY:
        print(f"at least {MIN_SIMILARITY}: answer from them")
    else:
        print(f"below {MIN_SIMILARITY}: nothing in the index matches, no answer")


if __name__ == "__main__":
    main()
