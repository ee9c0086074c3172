"""Stage 3 scale benchmark: HNSW tuned by measurement at 100,000 chunks.

    python benchmarks/stage3_scale.py                 # corpus size and 100,000 chunks
    python benchmarks/stage3_scale.py --chunks 20000  # a quicker, smaller second run

Two sizes. First the pydoc corpus, ingested end to end with the Stage 3 pipeline
(chunk, prefix, embed, insert, then the HNSW index over the loaded rows). Then
the same tables grown to --chunks rows with more real text this machine already
has: the docstrings of every module in the standard library and then in the
installed packages, read with `ast` (nothing is imported), cut with the same
recursive chunker and embedded with the same model. The grown chunks are
smaller (GROW_TOKENS) so that 100,000 of them embed in about an hour on a
laptop CPU; search latency depends on the number of vectors, not on the length
of the text behind them. Embeddings are cached under the user cache directory
in blocks, so a second run, or a run that was stopped, skips what was done.

What it measures, over the labelled questions (each timed three times, the
first pass discarded as a warm-up):

- at both sizes: p50/p95 latency of `nearest_chunks` as the examples call it,
  of the exact query (index scans off: every distance computed and sorted), of
  BM25 and of hybrid search, and HNSW's recall@10 against the exact top 10;
- at the large size: a sweep of `hnsw.ef_search` over two index builds
  (m, ef_construction), recall@10 against exact with p50/p95 per point;
  `halfvec` against `vector` (index size, build time, recall); and a filtered
  query on the pydoc collection (under 1% of the rows), comparing iterative
  index scans with the old wider-`ef_search` workaround.

Results go to data/stage3/scale_results.json; the page renders its tables.
"""

import argparse
import ast
import hashlib
import json
import os
import statistics
import sys
import sysconfig
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import platformdirs
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from snippets.stage3 import vector_search  # noqa: E402
from snippets.stage3.chunking import recursive  # noqa: E402
from snippets.stage3.corpus import pydoc_documents  # noqa: E402
from snippets.stage3.database import connect  # noqa: E402
from snippets.stage3.embeddings import Embedder, load_model  # noqa: E402
from snippets.stage3.hybrid_search import hybrid_search  # noqa: E402
from snippets.stage3.ingest import ingest  # noqa: E402
from snippets.stage3.keyword_search import BM25Index  # noqa: E402
from snippets.stage3.metrics import load_questions  # noqa: E402
from snippets.stage3.schema import create_schema  # noqa: E402
from snippets.stage3.vector_search import nearest_chunks  # noqa: E402

OUTPUT = ROOT / "data" / "stage3" / "scale_results.json"
CACHE = platformdirs.user_cache_path("ai-engineer-roadmap") / "stage3-scale"
SCHEMA = "bench_scale"
GROW_TOKENS = 64  # chunk budget for the grown corpus (the pipeline uses 190)
BLOCK = 2048  # texts per cached block of embeddings
K = 10
EF_SEARCH_SWEEP = [10, 20, 40, 64, 100, 150, 200, 400]
BUILDS = [(24, 128), (16, 64)]  # (m, ef_construction); the last is the examples'
GOAL = {"recall@10": 0.95, "p50_ms": 5.0}
FILTER = "pydoc"  # the corpus collection: under 1% of the grown table


def use_schema(conn: psycopg.Connection, name: str, fresh: bool) -> None:
    if fresh:
        conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
    conn.execute(f"CREATE SCHEMA IF NOT EXISTS {name}")
    conn.execute(f"SET search_path = {name}, public")


def docstrings(limit_chars: int) -> list[tuple[str, str]]:
    """(qualified name, docstring) from .py files, standard library first."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    site = Path(sysconfig.get_paths()["purelib"])
    roots = [
        (
            stdlib,
            [p for p in sorted(stdlib.rglob("*.py")) if "site-packages" not in p.parts],
        ),
        (site, sorted(site.rglob("*.py"))),
    ]
    seen: set[str] = set()
    found: list[tuple[str, str]] = []
    total = 0
    for root, paths in roots:
        for path in paths:
            if "test" in path.parts or "tests" in path.parts:
                continue
            try:
                tree = ast.parse(path.read_bytes())
            except (SyntaxError, ValueError):
                continue
            module = ".".join(path.relative_to(root).with_suffix("").parts)
            nodes = [tree, *ast.walk(tree)]
            for node in nodes:
                if not isinstance(
                    node,
                    ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef,
                ):
                    continue
                doc = ast.get_docstring(node)
                if not doc or len(doc) < 80 or doc in seen:
                    continue
                seen.add(doc)
                name = (
                    module if isinstance(node, ast.Module) else f"{module}.{node.name}"
                )
                found.append((name, doc))
                total += len(doc)
                if total >= limit_chars:
                    return found
    return found


def grow_chunks(embedder: Embedder, wanted: int) -> list[tuple[str, str]]:
    """(name, chunk text) pairs from docstrings until `wanted` chunks."""
    chunks: list[tuple[str, str]] = []
    for name, doc in docstrings(limit_chars=wanted * 400):
        for chunk in recursive(doc, GROW_TOKENS, embedder.count_tokens):
            chunks.append((name, chunk.text))
            if len(chunks) == wanted:
                return chunks
    raise SystemExit(f"only {len(chunks)} docstring chunks on this machine")


def grown_cached(embedder: Embedder, wanted: int) -> list[tuple[str, str]]:
    """grow_chunks, cached: reading every docstring takes minutes on its own."""
    path = CACHE / f"grown-{wanted}-{GROW_TOKENS}.json"
    if path.exists():
        return [tuple(pair) for pair in json.loads(path.read_text())]
    chunks = grow_chunks(embedder, wanted)
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(chunks))
    return chunks


def block_path(block: list[str]) -> Path:
    key = hashlib.sha256("\0".join(block).encode()).hexdigest()[:16]
    return CACHE / f"block-{key}.npy"


def is_cached(texts: list[str], block_number: int) -> bool:
    start = block_number * BLOCK
    path = block_path(texts[start : start + BLOCK])
    return path.exists() and path.with_suffix(".json").exists()


def embed_cached(embedder: Embedder, texts: list[str]) -> tuple[np.ndarray, float]:
    """Embeddings for texts, BLOCK at a time, each block cached by its content.

    Returns the vectors and the embedding rate, from the time each block took
    when it was computed (in this run or the one that filled the cache).
    """
    CACHE.mkdir(parents=True, exist_ok=True)
    blocks, seconds = [], 0.0
    for start in range(0, len(texts), BLOCK):
        block = texts[start : start + BLOCK]
        path = block_path(block)
        meta = path.with_suffix(".json")
        if path.exists() and meta.exists():
            blocks.append(np.load(path))
            seconds += json.loads(meta.read_text())["seconds"]
            continue
        started = time.perf_counter()
        vectors = embedder.embed(block)
        elapsed = time.perf_counter() - started
        np.save(path, vectors)
        meta.write_text(json.dumps({"seconds": elapsed}))
        blocks.append(vectors)
        seconds += elapsed
        done = start + len(block)
        print(f"  embedded {done:,}/{len(texts):,} ({len(block) / elapsed:.1f}/s)")
    return np.vstack(blocks), len(texts) / seconds


def percentiles(samples: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(samples, n=100)
    return {"p50_ms": cuts[49] * 1000, "p95_ms": cuts[94] * 1000}


@contextmanager
def search_settings(overrides: dict[str, str]) -> Iterator[None]:
    """Run nearest_chunks with some of its SEARCH_SETTINGS replaced."""
    saved = dict(vector_search.SEARCH_SETTINGS)
    vector_search.SEARCH_SETTINGS.update(overrides)
    try:
        yield
    finally:
        vector_search.SEARCH_SETTINGS.clear()
        vector_search.SEARCH_SETTINGS.update(saved)


@contextmanager
def graph_walk(conn: psycopg.Connection) -> Iterator[None]:
    """Make PostgreSQL walk the HNSW graph and filter, whatever the filter."""
    with conn.transaction():
        conn.execute("SET LOCAL enable_sort = off")  # the exact plan needs a sort
        yield


def timed(run: Callable[[int], list[int]], n: int) -> tuple[list[list[int]], list]:
    """Run queries 0..n-1 three times; the first pass only warms caches."""
    samples: list[float] = []
    for _ in range(3):
        results = []
        for i in range(n):
            started = time.perf_counter()
            results.append(run(i))
            samples.append(time.perf_counter() - started)
    return results, samples[n:]


def recall(found: list[list[int]], exact: list[list[int]]) -> float:
    return statistics.mean(
        len(set(f) & set(e)) / len(e) for f, e in zip(found, exact, strict=True)
    )


def exact_ids(
    conn: psycopg.Connection, vector: np.ndarray, collection: str | None = None
) -> list[int]:
    """The true top K: index scans off, so every distance is computed and sorted."""
    with conn.transaction():
        conn.execute("SET LOCAL enable_indexscan = off")
        rows = conn.execute(
            vector_search.SQL, {"query": vector, "collection": collection, "k": K}
        )
        return [row[0] for row in rows]


def ids(hits: list[tuple[int, float]]) -> list[int]:
    return [chunk_id for chunk_id, _ in hits]


def measure(
    conn: psycopg.Connection, embedder: Embedder, queries: list[str]
) -> dict[str, dict[str, float]]:
    """Latency of each search as the examples run it; recall@10 against exact."""
    bm25_started = time.perf_counter()
    bm25 = BM25Index.from_database(conn)
    bm25_build = time.perf_counter() - bm25_started
    vectors = embedder.embed(queries)
    n = len(queries)
    hnsw, hnsw_s = timed(lambda i: ids(nearest_chunks(conn, vectors[i], K)), n)
    exact, exact_s = timed(lambda i: exact_ids(conn, vectors[i]), n)
    _, bm25_s = timed(lambda i: ids(bm25.search(queries[i], k=K)), n)
    _, hybrid_s = timed(  # embeds the question too, as docs_qa does
        lambda i: ids(hybrid_search(conn, embedder, bm25, queries[i], k=K)), n
    )
    return {
        "hnsw": {**percentiles(hnsw_s), "recall@10_vs_exact": recall(hnsw, exact)},
        "exact": percentiles(exact_s),
        "bm25": {**percentiles(bm25_s), "index_build_s": bm25_build},
        "hybrid": percentiles(hybrid_s),
    }


def build_index(conn: psycopg.Connection, m: int, ef_construction: int) -> dict:
    conn.execute("DROP INDEX IF EXISTS chunks_embedding_hnsw")
    started = time.perf_counter()
    conn.execute(
        "CREATE INDEX chunks_embedding_hnsw ON chunks USING hnsw"
        " (embedding vector_cosine_ops)"
        f" WITH (m = {m}, ef_construction = {ef_construction})"
    )
    seconds = time.perf_counter() - started
    size = conn.execute("SELECT pg_relation_size('chunks_embedding_hnsw')").fetchone()
    return {
        "m": m,
        "ef_construction": ef_construction,
        "build_seconds": seconds,
        "index_mb": size[0] / 2**20,
    }


def sweep(
    conn: psycopg.Connection, vectors: np.ndarray, exact: list[list[int]]
) -> list[dict]:
    """recall@10 against exact and latency, for each ef_search, on this index."""
    points = []
    for ef_search in EF_SEARCH_SWEEP:
        with search_settings({"hnsw.ef_search": str(ef_search)}):
            found, samples = timed(
                lambda i: ids(nearest_chunks(conn, vectors[i], K)), len(vectors)
            )
        points.append(
            {
                "ef_search": ef_search,
                "recall@10_vs_exact": recall(found, exact),
                **percentiles(samples),
            }
        )
        point = points[-1]
        print(
            f"    ef_search {ef_search:4}: recall@10 {point['recall@10_vs_exact']:.3f}"
            f"  p50 {point['p50_ms']:.2f} ms  p95 {point['p95_ms']:.2f} ms"
        )
    return points


def meets_goal(point: dict) -> bool:
    return (
        point["recall@10_vs_exact"] >= GOAL["recall@10"]
        and point["p50_ms"] <= GOAL["p50_ms"]
    )


def halfvec_against_vector(
    conn: psycopg.Connection, vectors: np.ndarray, exact: list[list[int]], ef: int
) -> dict:
    """The same rows as halfvec (2 bytes a dimension) in a table of their own."""
    conn.execute(
        "CREATE TABLE chunks_half AS"
        " SELECT id, embedding::halfvec(384) AS embedding FROM chunks"
    )
    started = time.perf_counter()
    conn.execute(
        "CREATE INDEX chunks_half_hnsw ON chunks_half USING hnsw"
        " (embedding halfvec_cosine_ops) WITH (m = 16, ef_construction = 64)"
    )
    seconds = time.perf_counter() - started
    conn.execute("ANALYZE chunks_half")

    def search(i: int) -> list[int]:
        with conn.transaction():
            conn.execute("SELECT set_config('hnsw.ef_search', %s, true)", (str(ef),))
            rows = conn.execute(
                "SELECT id FROM chunks_half"
                " ORDER BY embedding <=> %s::halfvec(384) LIMIT %s",
                (vectors[i], K),
            )
            return [row[0] for row in rows]

    found, samples = timed(search, len(vectors))
    sizes = conn.execute(
        "SELECT pg_relation_size('chunks_half_hnsw'),"
        " (SELECT avg(pg_column_size(embedding)) FROM chunks_half),"
        " (SELECT avg(pg_column_size(embedding)) FROM chunks)"
    ).fetchone()
    conn.execute("DROP TABLE chunks_half")
    return {
        "index_mb": sizes[0] / 2**20,
        "bytes_per_vector": float(sizes[1]),
        "vector_bytes_per_vector": float(sizes[2]),
        "build_seconds": seconds,
        "recall@10_vs_exact": recall(found, exact),
        **percentiles(samples),
    }


def filtered(conn: psycopg.Connection, vectors: np.ndarray) -> list[dict]:
    """k = 10 from the pydoc collection only, four ways."""
    exact = [exact_ids(conn, v, FILTER) for v in vectors]
    ef = vector_search.SEARCH_SETTINGS["hnsw.ef_search"]
    strategies = [
        ("planner's choice, iterative scan on", None, False),
        (
            "graph walk, no iterative scan, ef_search 40",
            {"hnsw.iterative_scan": "off", "hnsw.ef_search": "40"},
            True,
        ),
        (
            "graph walk, no iterative scan, ef_search 200 (old workaround)",
            {"hnsw.iterative_scan": "off", "hnsw.ef_search": "200"},
            True,
        ),
        (
            f"graph walk, iterative scan (relaxed_order), ef_search {ef}",
            None,
            True,
        ),
    ]
    rows = []
    for name, overrides, walk in strategies:

        def run(i: int, walk: bool = walk) -> list[int]:
            if walk:
                with graph_walk(conn):
                    return ids(nearest_chunks(conn, vectors[i], K, FILTER))
            return ids(nearest_chunks(conn, vectors[i], K, FILTER))

        with search_settings(overrides or {}):
            found, samples = timed(run, len(vectors))
            plan = explain(conn, vectors[0], walk)
        counts = [len(f) for f in found]
        rows.append(
            {
                "strategy": name,
                "plan": plan,
                "mean_rows": float(statistics.mean(counts)),
                "fewest_rows": min(counts),
                "recall@10_vs_exact": recall(found, exact),
                **percentiles(samples),
            }
        )
        row = rows[-1]
        print(
            f"    {name}: {plan}, rows {row['mean_rows']:.1f} (min {min(counts)}),"
            f" recall {row['recall@10_vs_exact']:.3f}, p50 {row['p50_ms']:.2f} ms"
        )
    return rows


def explain(conn: psycopg.Connection, vector: np.ndarray, walk: bool) -> str:
    """Which index the filtered query reads: the HNSW graph or the document index."""
    with conn.transaction():
        if walk:
            conn.execute("SET LOCAL enable_sort = off")
        vector_search.apply_search_settings(conn)
        plan = "\n".join(
            row[0]
            for row in conn.execute(
                "EXPLAIN " + vector_search.SQL,
                {"query": vector, "collection": FILTER, "k": K},
            )
        )
    if "chunks_embedding_hnsw" in plan:
        return "HNSW graph walk, then filter"
    return "filter first, then exact sort"


def count_chunks(conn: psycopg.Connection) -> int:
    return conn.execute("SELECT count(*) FROM chunks").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument(
        "--cached-only",
        action="store_true",
        help="grow only with chunks whose embeddings are cached (a partial run)",
    )
    args = parser.parse_args()
    embedder = Embedder(load_model())
    queries = [q.question for q in load_questions(ROOT / "data/stage3/questions.jsonl")]
    load_before = os.getloadavg()[0]
    results: dict = {
        "command": " ".join(["python benchmarks/stage3_scale.py", *sys.argv[1:]]),
        "search_settings": dict(vector_search.SEARCH_SETTINGS),
        "goal": GOAL,
    }

    with connect() as conn:
        results["server"] = conn.execute(
            "SELECT version(), (SELECT extversion FROM pg_extension"
            " WHERE extname = 'vector')"
        ).fetchone()
        use_schema(conn, SCHEMA, fresh=True)
        create_schema(conn)
        started = time.perf_counter()
        report = ingest(conn, embedder, pydoc_documents())  # builds HNSW at the end
        elapsed = time.perf_counter() - started
        small = count_chunks(conn)
        print(
            f"corpus size: {small} chunks ingested in {elapsed:.1f} s "
            f"({small / elapsed:.1f} chunks/s, chunk + prefix + embed + insert)"
        )
        results["corpus"] = {
            "chunks": small,
            "ingest_chunks_per_second": small / elapsed,
            "documents": len(report.added),
            **measure(conn, embedder, queries),
        }

        grown = grown_cached(embedder, args.chunks - small)
        texts = [f"{name}\n\n{text}" for name, text in grown]  # structural prefix
        if args.cached_only:  # the blocks embedded so far, wherever they fall
            kept = [i for i in range(len(texts)) if is_cached(texts, i // BLOCK)]
            grown, texts = [grown[i] for i in kept], [texts[i] for i in kept]
        vectors, embed_rate = embed_cached(embedder, texts)
        conn.execute("DROP INDEX chunks_embedding_hnsw")  # bulk load, then build
        started = time.perf_counter()
        names = sorted({name for name, _ in grown})
        with conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO documents (source, collection, title, content_hash) "
                "VALUES (%s, 'docstrings', %s, '')",
                [(f"docstring:{n}", n) for n in names],
            )
        document_ids = dict(
            conn.execute(
                "SELECT title, id FROM documents WHERE collection = 'docstrings'"
            ).fetchall()
        )
        with (
            conn.cursor() as cursor,
            cursor.copy(
                "COPY chunks (document_id, ordinal, heading_path, context, content,"
                " embedding) FROM STDIN WITH (FORMAT BINARY)"
            ) as copy,
        ):
            copy.set_types(["int8", "int4", "text", "text", "text", "vector"])
            for i, ((name, text), vector) in enumerate(
                zip(grown, vectors, strict=True)
            ):
                copy.write_row((document_ids[name], i, name, name, text, vector))
        insert_s = time.perf_counter() - started
        conn.execute("ANALYZE")
        conn.execute("SET maintenance_work_mem = '1GB'")  # the graph fits in memory
        large = count_chunks(conn)
        query_vectors = embedder.embed(queries)
        exact = [exact_ids(conn, v) for v in query_vectors]
        builds = []
        for m, ef_construction in BUILDS:  # the examples' build comes last, and stays
            build = build_index(conn, m, ef_construction)
            print(
                f"  HNSW m={m}, ef_construction={ef_construction}: built in"
                f" {build['build_seconds']:.1f} s, {build['index_mb']:.0f} MB"
            )
            build["sweep"] = sweep(conn, query_vectors, exact)
            builds.append(build)
        default = builds[-1]
        # The smallest ef_search that meets the goal; if none does, the best recall.
        chosen = next(
            (p for p in default["sweep"] if meets_goal(p)),
            max(default["sweep"], key=lambda p: p["recall@10_vs_exact"]),
        )
        print(
            f"grown to {large} chunks from {len(names)} docstring sources: embed "
            f"{embed_rate:.1f} chunks/s, insert {insert_s:.1f} s, "
            f"HNSW build {default['build_seconds']:.1f} s; "
            f"chosen ef_search {chosen['ef_search']}"
        )
        results["large"] = {
            "chunks": large,
            "docstring_sources": len(names),
            "grown_chunk_tokens": GROW_TOKENS,
            "embed_chunks_per_second": embed_rate,
            "insert_seconds": insert_s,
            "hnsw_build_seconds": default["build_seconds"],
            "builds": builds,
            "chosen_ef_search": chosen["ef_search"],
            "goal_met": meets_goal(chosen),
            **measure(conn, embedder, queries),
            "halfvec": halfvec_against_vector(
                conn, query_vectors, exact, chosen["ef_search"]
            ),
            "filtered": filtered(conn, query_vectors),
            "filtered_share": small / large,
        }

    # Other processes compete for the same cores; say how busy the machine was.
    results["load_average"] = {"start": load_before, "end": os.getloadavg()[0]}
    results["cpu_count"] = os.cpu_count()
    results["tables"] = tables(results)
    print()
    for name in ("latency", "sweep", "halfvec", "filtered"):
        table = results["tables"][name]
        print(" | ".join(table["columns"]))
        for row in table["rows"]:
            print(" | ".join(cell(v) for v in row))
        print()
    OUTPUT.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")


def cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def tables(results: dict) -> dict:
    corpus, large = results["corpus"], results["large"]
    grown = large["chunks"] - corpus["chunks"]
    latency_rows = [
        [
            r["chunks"],
            r["hnsw"]["p50_ms"],
            r["hnsw"]["p95_ms"],
            r["exact"]["p50_ms"],
            r["exact"]["p95_ms"],
            r["hnsw"]["recall@10_vs_exact"],
            r["bm25"]["p50_ms"],
            r["hybrid"]["p50_ms"],
            r["hybrid"]["p95_ms"],
        ]
        for r in (corpus, large)
    ]
    vector = next(
        p
        for p in large["builds"][-1]["sweep"]
        if p["ef_search"] == large["chosen_ef_search"]
    )
    half = large["halfvec"]
    return {
        "ingestion": {
            "columns": ["step", "chunks", "chunks per second", "seconds"],
            "rows": [
                [
                    "pydoc corpus, end to end (chunk, prefix, embed, insert, index)",
                    corpus["chunks"],
                    corpus["ingest_chunks_per_second"],
                    corpus["chunks"] / corpus["ingest_chunks_per_second"],
                ],
                [
                    f"growth to {large['chunks']:,}: embed {GROW_TOKENS}-token chunks",
                    grown,
                    large["embed_chunks_per_second"],
                    grown / large["embed_chunks_per_second"],
                ],
                [
                    f"growth to {large['chunks']:,}: insert with COPY",
                    grown,
                    grown / large["insert_seconds"],
                    large["insert_seconds"],
                ],
                [
                    "HNSW index build over all rows (m 16, ef_construction 64)",
                    large["chunks"],
                    large["chunks"] / large["hnsw_build_seconds"],
                    large["hnsw_build_seconds"],
                ],
            ],
        },
        "latency": {
            "columns": [
                "chunks",
                "HNSW p50 ms",
                "HNSW p95 ms",
                "exact p50 ms",
                "exact p95 ms",
                "HNSW recall@10 vs exact",
                "BM25 p50 ms",
                "hybrid p50 ms",
                "hybrid p95 ms",
            ],
            "rows": latency_rows,
        },
        "sweep": {
            "columns": [
                "m",
                "ef_construction",
                "ef_search",
                "recall@10 vs exact",
                "p50 ms",
                "p95 ms",
                "meets the goal",
            ],
            "rows": [
                [
                    build["m"],
                    build["ef_construction"],
                    point["ef_search"],
                    point["recall@10_vs_exact"],
                    point["p50_ms"],
                    point["p95_ms"],
                    "yes" if meets_goal(point) else "no",
                ]
                for build in large["builds"]
                for point in build["sweep"]
            ],
        },
        "builds": {
            "columns": ["m", "ef_construction", "build seconds", "index MB"],
            "rows": [
                [b["m"], b["ef_construction"], b["build_seconds"], b["index_mb"]]
                for b in large["builds"]
            ],
        },
        "halfvec": {
            "columns": [
                "storage",
                "bytes per vector",
                "HNSW index MB",
                "build seconds",
                f"recall@10 vs exact (ef_search {large['chosen_ef_search']})",
                "p50 ms",
            ],
            "rows": [
                [
                    "vector (4-byte floats)",
                    half["vector_bytes_per_vector"],
                    large["builds"][-1]["index_mb"],
                    large["builds"][-1]["build_seconds"],
                    vector["recall@10_vs_exact"],
                    vector["p50_ms"],
                ],
                [
                    "halfvec (2-byte floats)",
                    half["bytes_per_vector"],
                    half["index_mb"],
                    half["build_seconds"],
                    half["recall@10_vs_exact"],
                    half["p50_ms"],
                ],
            ],
        },
        "filtered": {
            "columns": [
                "how the filtered query runs",
                "plan",
                "rows returned (mean of 10)",
                "fewest rows",
                "recall@10 vs exact",
                "p50 ms",
                "p95 ms",
            ],
            "rows": [
                [
                    f["strategy"],
                    f["plan"],
                    f["mean_rows"],
                    f["fewest_rows"],
                    f["recall@10_vs_exact"],
                    f["p50_ms"],
                    f["p95_ms"],
                ]
                for f in large["filtered"]
            ],
        },
    }


if __name__ == "__main__":
    main()
