import runpy

from snippets.stage3.schema import DDL, create_schema, fetch_passages

READS_SHARED_SLICE = True  # searches only: reuse the session's ingested slice


def test_creating_the_schema_twice_is_harmless(conn):
    create_schema(conn)
    create_schema(conn)
    tables = {
        row[0]
        for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        )
    }
    assert {"documents", "chunks"} <= tables


def test_the_embedding_column_holds_384_dimensions(conn):
    column_type = conn.execute(
        "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
        "WHERE attrelid = 'chunks'::regclass AND attname = 'embedding'"
    ).fetchone()[0]
    assert column_type == "vector(384)"


def test_indexes_for_cosine_hnsw_and_full_text(conn):
    """The slice was ingested, so the HNSW index exists; the DDL alone has none."""
    indexes = dict(
        conn.execute("SELECT indexname, indexdef FROM pg_indexes").fetchall()
    )
    assert indexes["chunks_embedding_hnsw"].endswith(
        "USING hnsw (embedding vector_cosine_ops) WITH (m='16', ef_construction='64')"
    )
    assert indexes["chunks_tsv_gin"].endswith("USING gin (tsv)")
    assert "hnsw" not in DDL


def test_passages_come_back_in_the_order_the_search_gave(conn):
    ids = [row[0] for row in conn.execute("SELECT id FROM chunks ORDER BY id LIMIT 3")]
    scored = [(ids[2], 0.9), (ids[0], 0.5), (-1, 0.4), (ids[1], 0.1)]
    passages = fetch_passages(conn, scored)
    assert [(p.chunk_id, p.score) for p in passages] == [
        (ids[2], 0.9),
        (ids[0], 0.5),
        (ids[1], 0.1),
    ]  # an id that no longer exists is left out
    assert all(p.source.startswith("pydoc:") and p.content for p in passages)


def test_main_lists_the_indexes(conn, capsys):
    runpy.run_module("snippets.stage3.schema", run_name="__main__")
    out = capsys.readouterr().out
    assert (
        "chunks_embedding_hnsw: hnsw (embedding vector_cosine_ops)"
        " WITH (m='16', ef_construction='64')" in out
    )
    assert "chunks_tsv_gin: gin (tsv)" in out
