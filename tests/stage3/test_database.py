import runpy
from pathlib import Path

import pgserver
import pytest

from snippets.stage3 import database
from snippets.stage3.database import DatabaseUnreachable, connect


def data_directory(conn) -> Path:
    return Path(conn.execute("SHOW data_directory").fetchone()[0]).resolve()


def test_database_url_reaches_a_server_started_elsewhere(server_dir, monkeypatch):
    """A second PostgreSQL, known to the code only by its URL."""
    other = pgserver.get_server(server_dir / "other", cleanup_mode="delete")
    try:
        monkeypatch.setenv("DATABASE_URL", other.get_uri())
        with connect() as conn:
            assert data_directory(conn) == (server_dir / "other").resolve()
            version = conn.execute(
                "SELECT extversion FROM pg_extension WHERE extname = 'vector'"
            ).fetchone()[0]
            assert version.startswith("0.")
            # pgvector's types are registered: a vector comes back as numbers.
            vector = conn.execute("SELECT '[1,2,3]'::vector").fetchone()[0]
            assert vector.to_list() == [1, 2, 3]
    finally:
        other.cleanup()


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
    finally:
        pgserver.get_server(expected).cleanup()


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
    assert capsys.readouterr().out.startswith("PostgreSQL 16.")
