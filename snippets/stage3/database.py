"""Connecting to PostgreSQL with pgvector: your server, or one started for you.

With `DATABASE_URL` set, the examples use that server (it needs the `vector`
extension available). Without it, they start an embedded PostgreSQL 16 with
pgvector from the `pgserver` package, keeping its data in your user cache
directory, so a second run finds the rows the first one wrote.
"""

import os
import re
from pathlib import Path

import pgserver
import platformdirs
import psycopg
from pgvector.psycopg import register_vector


# --8<-- [start:connect]
class DatabaseUnreachable(RuntimeError):
    """No PostgreSQL answered at the configured address."""


def embedded_data_dir() -> Path:
    return platformdirs.user_cache_path("ai-engineer-roadmap") / "stage3-postgres"


def database_url() -> str:
    """DATABASE_URL if set, else the URL of the embedded server (started if needed)."""
    if url := os.environ.get("DATABASE_URL"):
        return url
    data_dir = embedded_data_dir()
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    return pgserver.get_server(data_dir).get_uri()


def connect() -> psycopg.Connection:
    """Open a connection with pgvector's types registered."""
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
    register_vector(conn)
    return conn


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
