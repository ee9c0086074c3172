"""The tables: documents, their chunks, and one index per way of searching them.

A document row records where the text came from and a hash of what was indexed,
so ingesting the same document twice changes nothing. A chunk row holds the text
shown to the reader, the context prefix that was indexed with it, its embedding
in a `vector(384)` column, and a generated `tsvector` column with a GIN index
for PostgreSQL's own full-text search.

The HNSW index on the embeddings is not part of the table DDL: building it once
over loaded rows is much faster than growing it row by row, so ingestion creates
it after the first bulk load (`create_vector_index`) and PostgreSQL keeps it up
to date on every insert after that.
"""

from dataclasses import dataclass

import psycopg

from snippets.stage3.database import connect
from snippets.stage3.embeddings import DIMENSIONS

# --8<-- [start:ddl]
DDL = f"""
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE IF NOT EXISTS documents (
    id           bigserial PRIMARY KEY,
    source       text NOT NULL UNIQUE,   -- e.g. 'pydoc:with' or 'site:guides/x.md'
    collection   text NOT NULL,          -- what metadata filters select on
    title        text NOT NULL,
    content_hash text NOT NULL           -- sha256 of the text and pipeline settings
);

CREATE TABLE IF NOT EXISTS chunks (
    id           bigserial PRIMARY KEY,
    document_id  bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    ordinal      integer NOT NULL,       -- position in the document
    heading_path text NOT NULL,          -- 'Title > Section > Subsection'
    context      text NOT NULL,          -- prefix indexed with the chunk
    content      text NOT NULL,          -- the text shown and cited
    embedding    vector({DIMENSIONS}) NOT NULL,
    tsv          tsvector GENERATED ALWAYS AS
                     (to_tsvector('english', context || ' ' || content)) STORED,
    UNIQUE (document_id, ordinal)
);

-- Full-text search: tsv @@ query.
CREATE INDEX IF NOT EXISTS chunks_tsv_gin ON chunks USING gin (tsv);
CREATE INDEX IF NOT EXISTS documents_collection ON documents (collection);
"""

# Approximate nearest neighbours by cosine distance (the <=> operator), with
# pgvector's defaults written out: m = 16 links per node, ef_construction = 64.
VECTOR_INDEX = """
CREATE INDEX IF NOT EXISTS chunks_embedding_hnsw ON chunks
    USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)
"""
# --8<-- [end:ddl]


def create_schema(conn: psycopg.Connection) -> None:
    """Create the tables and the text indexes if they do not exist (safe to rerun)."""
    conn.execute(DDL)


def has_vector_index(conn: psycopg.Connection) -> bool:
    return conn.execute(
        "SELECT to_regclass('chunks_embedding_hnsw') IS NOT NULL"
    ).fetchone()[0]


def create_vector_index(conn: psycopg.Connection) -> None:
    """Build the HNSW index over the rows already loaded (a no-op if it exists)."""
    conn.execute(VECTOR_INDEX)
    conn.execute("ANALYZE chunks")


# --8<-- [start:passage]
@dataclass(frozen=True)
class Passage:
    """One retrieved chunk, with what a reader needs to cite it."""

    chunk_id: int
    source: str
    title: str
    heading_path: str
    context: str
    content: str
    score: float


def fetch_passages(
    conn: psycopg.Connection, scored_ids: list[tuple[int, float]]
) -> list[Passage]:
    """Load chunks by id, keeping the order and scores the search produced."""
    rows = conn.execute(
        """
        SELECT c.id, d.source, d.title, c.heading_path, c.context, c.content
        FROM chunks c JOIN documents d ON d.id = c.document_id
        WHERE c.id = ANY(%s)
        """,
        ([chunk_id for chunk_id, _ in scored_ids],),
    ).fetchall()
    by_id = {row[0]: row for row in rows}
    return [
        Passage(*by_id[chunk_id], score=score)
        for chunk_id, score in scored_ids
        if chunk_id in by_id
    ]


# --8<-- [end:passage]


def main() -> None:
    with connect() as conn:
        create_schema(conn)
        indexes = conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE tablename IN ('documents', 'chunks') ORDER BY indexname"
        ).fetchall()
    for name, definition in indexes:
        print(f"{name}: {definition.split(' USING ')[-1]}")


if __name__ == "__main__":
    main()
