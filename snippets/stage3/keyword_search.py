"""Keyword search: BM25 with bm25s, and PostgreSQL's full-text search to compare.

Embeddings blur exact tokens: `__slots__`, `PYTHONHASHSEED` or an error message
are matched better by the words themselves. This stage ranks keyword hits with
BM25 from the bm25s library (an in-memory index built from the chunks table),
because BM25 weighs rare words up and long chunks down. PostgreSQL's
`ts_rank_cd` has no notion of how rare a word is across the corpus; the
benchmark puts a number on the difference. The full-text query lives in the
same database and needs no extra process, so it is kept here as the baseline.
"""

import sys

import bm25s
import numpy as np
import psycopg
import Stemmer

from snippets.stage3.database import connect
from snippets.stage3.schema import fetch_passages

# --8<-- [start:bm25]
STEMMER = Stemmer.Stemmer("english")  # 'dictionaries' and 'dictionary' match


def tokenize(texts: list[str]) -> list[list[str]]:
    return bm25s.tokenize(
        texts, stopwords="en", stemmer=STEMMER, return_ids=False, show_progress=False
    )


class BM25Index:
    """BM25 over chunk texts; search returns (chunk id, score) pairs, best first."""

    def __init__(self, ids: list[int], texts: list[str], collections: list[str]):
        self.ids = np.array(ids)
        self.collections = np.array(collections)
        self.retriever = bm25s.BM25()
        if texts:  # bm25s cannot index an empty corpus
            self.retriever.index(tokenize(texts), show_progress=False)

    @classmethod
    def from_database(cls, conn: psycopg.Connection) -> "BM25Index":
        rows = conn.execute(
            """
            SELECT c.id, c.context || ' ' || c.content, d.collection
            FROM chunks c JOIN documents d ON d.id = c.document_id ORDER BY c.id
            """
        ).fetchall()
        return cls([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])

    def search(
        self, query: str, k: int = 10, collection: str | None = None
    ) -> list[tuple[int, float]]:
        if len(self.ids) == 0:
            return []
        mask = None if collection is None else self.collections == collection
        positions, scores = self.retriever.retrieve(
            tokenize([query]),
            k=min(k, len(self.ids)),
            weight_mask=mask,
            show_progress=False,
        )
        # A score of 0 means no query word occurs in the chunk: not a hit.
        return [
            (int(self.ids[position]), float(score))
            for position, score in zip(positions[0], scores[0], strict=True)
            if score > 0
        ]


# --8<-- [end:bm25]


# --8<-- [start:full_text]
def full_text_search(
    conn: psycopg.Connection, query: str, k: int = 10
) -> list[tuple[int, float]]:
    """PostgreSQL full-text search, any query word matching (OR), ts_rank_cd order."""
    return conn.execute(
        """
        WITH q AS (  -- the query's lexemes joined with OR: 'dictionari' | 'map'
            SELECT coalesce(string_agg(quote_literal(lexeme), ' | '), '')::tsquery
                AS query
            FROM unnest(tsvector_to_array(to_tsvector('english', %(query)s))) lexeme
        )
        SELECT c.id, ts_rank_cd(c.tsv, q.query)::float8
        FROM chunks c, q
        WHERE c.tsv @@ q.query
        ORDER BY 2 DESC, c.id
        LIMIT %(k)s
        """,
        {"query": query, "k": k},
    ).fetchall()


# --8<-- [end:full_text]


def main() -> None:
    query = " ".join(sys.argv[1:]) or "PYTHONHASHSEED hash randomization"
    with connect() as conn:
        index = BM25Index.from_database(conn)
        for name, hits in [
            ("BM25", index.search(query, k=3)),
            ("full text", full_text_search(conn, query, k=3)),
        ]:
            print(f"{name}:")
            for passage in fetch_passages(conn, hits):
                print(
                    f"  {passage.score:6.2f}  {passage.source}  {passage.heading_path}"
                )
            if not hits:
                print("  no chunk contains any word of the query")


if __name__ == "__main__":
    main()
