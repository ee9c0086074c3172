"""Ingestion: documents in, chunks with embeddings out, safe to run again.

Each document is chunked, each chunk gets its context prefix and its embedding,
and the lot is written in one transaction: a failure leaves the previous version
of that document in place and the other documents untouched.

A hash of the text and the pipeline settings makes a second run cheap and
harmless: an unchanged document is skipped before anything is embedded; a
changed one (or one indexed with other settings) replaces its old chunks. An
empty document is reported and skipped. A document longer than the model's
window is not a problem here: chunks are sized in the model's tokens.

Two things keep the index true to the source. Given the whole source
(`complete_source=True`), a stored document of the same collection that the
source no longer has is deleted, chunks and all, after the others are written.
And the HNSW index is built once, after the first bulk load; later runs insert
into it, which PostgreSQL does row by row.
"""

import hashlib
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import psycopg

from snippets.stage3.chunking import Chunk, CountTokens, by_markdown_structure
from snippets.stage3.contextual import (
    PREFIX_TOKENS,
    fit_prefix,
    indexed_text,
    structural_prefix,
)
from snippets.stage3.corpus import Document, pydoc_documents
from snippets.stage3.database import connect
from snippets.stage3.embeddings import MODEL_NAME, Embedder, load_model
from snippets.stage3.schema import create_schema, create_vector_index, has_vector_index

Chunker = Callable[[str, int, CountTokens], list[Chunk]]
Prefixer = Callable[[Document, Chunk], str]


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # 'source: reason'
    chunks: int = 0

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.replaced)} replaced, "
            f"{len(self.unchanged)} unchanged, {len(self.removed)} removed, "
            f"{len(self.skipped)} skipped, "
            f"{self.chunks} chunks written"
        )


# --8<-- [start:ingest]
def content_hash(document: Document, settings: str) -> str:
    return hashlib.sha256(f"{settings}\0{document.text}".encode()).hexdigest()


def ingest(
    conn: psycopg.Connection,
    embedder: Embedder,
    documents: Iterable[Document],
    chunker: Chunker = by_markdown_structure,
    prefixer: Prefixer = structural_prefix,
    complete_source: bool = False,
) -> IngestReport:
    """Write new and changed documents; with `complete_source`, drop vanished ones."""
    report = IngestReport()
    chunk_tokens = embedder.max_tokens - PREFIX_TOKENS
    settings = f"{chunker.__name__}:{chunk_tokens}/{prefixer.__name__}/{MODEL_NAME}"
    seen: dict[str, list[str]] = {}  # collection -> sources in this run
    for document in documents:
        seen.setdefault(document.collection, []).append(document.source)
        if not document.text.strip():
            report.skipped.append(
                f"{document.source}: empty document, nothing to index"
            )
            continue
        digest = content_hash(document, settings)
        old = conn.execute(
            "SELECT id, content_hash FROM documents WHERE source = %s",
            (document.source,),
        ).fetchone()
        if old and old[1] == digest:
            report.unchanged.append(document.source)
            continue

        chunks = chunker(document.text, chunk_tokens, embedder.count_tokens)
        prefixes = [fit_prefix(prefixer(document, chunk), embedder) for chunk in chunks]
        vectors = embedder.embed(
            [indexed_text(p, c) for p, c in zip(prefixes, chunks, strict=True)]
        )
        with conn.transaction():  # all of this document's rows, or none
            if old:
                conn.execute("DELETE FROM documents WHERE id = %s", (old[0],))
            [document_id] = conn.execute(
                "INSERT INTO documents (source, collection, title, content_hash) "
                "VALUES (%s, %s, %s, %s) RETURNING id",
                (document.source, document.collection, document.title, digest),
            ).fetchone()
            with conn.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO chunks (document_id, ordinal, heading_path, context,"
                    " content, embedding) VALUES (%s, %s, %s, %s, %s, %s)",
                    [
                        (document_id, i, " > ".join(c.heading_path), p, c.text, v)
                        for i, (c, p, v) in enumerate(
                            zip(chunks, prefixes, vectors, strict=True)
                        )
                    ],
                )
        (report.replaced if old else report.added).append(document.source)
        report.chunks += len(chunks)
    if complete_source:
        report.removed = remove_vanished(conn, seen)
    if not has_vector_index(conn):  # first load: build the graph once, over all rows
        create_vector_index(conn)
    return report


def remove_vanished(conn: psycopg.Connection, seen: dict[str, list[str]]) -> list[str]:
    """Delete stored documents of these collections whose source was not seen."""
    removed = []
    for collection, sources in seen.items():
        rows = conn.execute(
            "DELETE FROM documents WHERE collection = %s AND source <> ALL(%s)"
            " RETURNING source",
            (collection, sources),
        ).fetchall()  # chunks go with them: ON DELETE CASCADE
        removed += sorted(source for (source,) in rows)
    return removed


# --8<-- [end:ingest]


def main() -> None:
    """Ingest the pydoc topics named on the command line (all of them by default).

    Only a run over every topic is the complete source, so only it removes
    topics that are gone; naming a few topics never deletes the others.
    """
    topics = sys.argv[1:] or None
    documents = pydoc_documents(topics)
    embedder = Embedder(load_model())
    with connect() as conn:
        create_schema(conn)
        report = ingest(conn, embedder, documents, complete_source=topics is None)
    print(report.summary())


if __name__ == "__main__":
    main()
