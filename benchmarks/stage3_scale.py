"""Stage 3 scale benchmark: ingestion throughput, query latency, HNSW against exact.

    python benchmarks/stage3_scale.py                 # corpus size and 100,000 chunks
    python benchmarks/stage3_scale.py --chunks 20000  # a quicker, smaller second run

Two sizes. First the pydoc corpus, ingested end to end with the Stage 3 pipeline
(chunk, prefix, embed, insert). Then the same tables grown to --chunks rows with
more real text this machine already has: the docstrings of every module in the
standard library and then in the installed packages, read with `ast` (nothing is
imported), cut with the same recursive chunker and embedded with the same model.
The grown chunks are smaller (GROW_TOKENS) so that 100,000 of them embed in
well under an hour on a laptop CPU; search latency depends on the number of
vectors, not on the length of the text behind them. Embeddings of the grown
corpus are cached under the user cache directory, so a second run skips them.

At each size it measures, over the labelled questions: p50/p95 latency of the
HNSW query, of the exact query (index scans disabled, so PostgreSQL computes
every distance and sorts), of BM25 and of hybrid search; and HNSW's recall@10
against the exact top 10. Results go to data/stage3/scale_results.json.
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
from pathlib import Path

import numpy as np
import platformdirs
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from snippets.stage3.chunking import recursive  # noqa: E402
from snippets.stage3.corpus import pydoc_documents  # noqa: E402
from snippets.stage3.database import connect  # noqa: E402
from snippets.stage3.embeddings import Embedder, load_model  # noqa: E402
from snippets.stage3.hybrid_search import hybrid_search  # noqa: E402
from snippets.stage3.ingest import ingest  # noqa: E402
from snippets.stage3.keyword_search import BM25Index  # noqa: E402
from snippets.stage3.metrics import load_questions  # noqa: E402
from snippets.stage3.schema import create_schema  # noqa: E402
from snippets.stage3.vector_search import SQL  # noqa: E402

OUTPUT = ROOT / "data" / "stage3" / "scale_results.json"
CACHE = platformdirs.user_cache_path("ai-engineer-roadmap") / "stage3-scale"
SCHEMA = "bench_scale"
GROW_TOKENS = 64  # chunk budget for the grown corpus (the pipeline uses 190)


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


def embed_cached(embedder: Embedder, texts: list[str]) -> tuple[np.ndarray, float]:
    """Embeddings for texts, from the cache if this exact list was embedded before."""
    key = hashlib.sha256("\0".join(texts).encode()).hexdigest()[:16]
    path = CACHE / f"{key}.npy"
    meta = CACHE / f"{key}.json"
    if path.exists() and meta.exists():
        return np.load(path), json.loads(meta.read_text())["chunks_per_second"]
    CACHE.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    vectors = np.vstack(
        [embedder.embed(texts[i : i + 2048]) for i in range(0, len(texts), 2048)]
    )
    rate = len(texts) / (time.perf_counter() - started)
    np.save(path, vectors)
    meta.write_text(json.dumps({"chunks_per_second": rate}))
    return vectors, rate


def percentiles(samples: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(samples, n=100)
    return {"p50_ms": cuts[49] * 1000, "p95_ms": cuts[94] * 1000}


def exact_search(conn: psycopg.Connection, vector: np.ndarray, k: int) -> list[int]:
    with conn.transaction():
        conn.execute("SET LOCAL enable_indexscan = off")
        rows = conn.execute(SQL, {"query": vector, "collection": None, "k": k})
        return [row[0] for row in rows]


def measure(
    conn: psycopg.Connection, embedder: Embedder, queries: list[str]
) -> dict[str, dict[str, float]]:
    """Latency of each search, and HNSW recall@10 against the exact top 10."""
    bm25_started = time.perf_counter()
    bm25 = BM25Index.from_database(conn)
    bm25_build = time.perf_counter() - bm25_started
    vectors = embedder.embed(queries)
    timings: dict[str, list[float]] = {
        "hnsw": [],
        "exact": [],
        "bm25": [],
        "hybrid": [],
    }
    recalls = []
    for _ in range(2):  # the first pass warms caches; only the second is kept
        for name in timings:
            timings[name].clear()
        recalls.clear()
        for query, vector in zip(queries, vectors, strict=True):
            started = time.perf_counter()
            with conn.transaction():
                conn.execute("SELECT set_config('hnsw.ef_search', '40', true)")
                hnsw = [
                    row[0]
                    for row in conn.execute(
                        SQL, {"query": vector, "collection": None, "k": 10}
                    )
                ]
            timings["hnsw"].append(time.perf_counter() - started)  # SQL only
            started = time.perf_counter()
            exact = exact_search(conn, vector, 10)
            timings["exact"].append(time.perf_counter() - started)
            recalls.append(len(set(hnsw) & set(exact)) / 10)
            started = time.perf_counter()
            bm25.search(query, k=10)
            timings["bm25"].append(time.perf_counter() - started)
            started = time.perf_counter()
            hybrid_search(conn, embedder, bm25, query, k=10)  # embeds the query too
            timings["hybrid"].append(time.perf_counter() - started)
    result = {name: percentiles(samples) for name, samples in timings.items()}
    result["hnsw"]["recall@10_vs_exact"] = statistics.mean(recalls)
    result["bm25"]["index_build_s"] = bm25_build
    return result


def count_chunks(conn: psycopg.Connection) -> int:
    return conn.execute("SELECT count(*) FROM chunks").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chunks", type=int, default=100_000)
    args = parser.parse_args()
    embedder = Embedder(load_model())
    queries = [q.question for q in load_questions(ROOT / "data/stage3/questions.jsonl")]
    load_before = os.getloadavg()[0]
    results: dict = {
        "command": " ".join(["python benchmarks/stage3_scale.py", *sys.argv[1:]])
    }

    with connect() as conn:
        use_schema(conn, SCHEMA, fresh=True)
        create_schema(conn)
        started = time.perf_counter()
        report = ingest(conn, embedder, pydoc_documents())
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

        grown = grow_chunks(embedder, args.chunks - small)
        texts = [f"{name}\n\n{text}" for name, text in grown]  # structural prefix
        vectors, embed_rate = embed_cached(embedder, texts)
        conn.execute("DROP INDEX chunks_embedding_hnsw")
        started = time.perf_counter()
        names = sorted({name for name, _ in grown})
        with conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO documents (source, collection, title, content_hash) "
                "VALUES (%s, 'docstrings', %s, '')",
                [(f"docstring:{n}", n) for n in names],
            )
        ids = dict(
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
                copy.write_row((ids[name], i, name, name, text, vector))
        insert_s = time.perf_counter() - started
        conn.execute("SET maintenance_work_mem = '1GB'")
        started = time.perf_counter()
        conn.execute(
            "CREATE INDEX chunks_embedding_hnsw ON chunks "
            "USING hnsw (embedding vector_cosine_ops)"
        )
        index_s = time.perf_counter() - started
        conn.execute("ANALYZE chunks")
        large = count_chunks(conn)
        print(
            f"grown to {large} chunks from {len(names)} docstring sources: embed "
            f"{embed_rate:.1f} chunks/s, insert {insert_s:.1f} s, "
            f"HNSW build {index_s:.1f} s"
        )
        results["large"] = {
            "chunks": large,
            "docstring_sources": len(names),
            "grown_chunk_tokens": GROW_TOKENS,
            "embed_chunks_per_second": embed_rate,
            "insert_seconds": insert_s,
            "hnsw_build_seconds": index_s,
            **measure(conn, embedder, queries),
        }

    # Other processes compete for the same cores; say how busy the machine was.
    results["load_average"] = {"start": load_before, "end": os.getloadavg()[0]}
    results["cpu_count"] = os.cpu_count()
    rows = []
    for size in ("corpus", "large"):
        r = results[size]
        rows.append(
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
        )
    corpus, large = results["corpus"], results["large"]
    results["tables"] = {
        "ingestion": {
            "columns": ["step", "chunks", "chunks per second", "seconds"],
            "rows": [
                [
                    "pydoc corpus, end to end (chunk, prefix, embed, insert)",
                    corpus["chunks"],
                    corpus["ingest_chunks_per_second"],
                    corpus["chunks"] / corpus["ingest_chunks_per_second"],
                ],
                [
                    f"growth to 100,000: embed ({GROW_TOKENS}-token docstring chunks)",
                    large["chunks"] - corpus["chunks"],
                    large["embed_chunks_per_second"],
                    (large["chunks"] - corpus["chunks"])
                    / large["embed_chunks_per_second"],
                ],
                [
                    "growth to 100,000: insert with COPY",
                    large["chunks"] - corpus["chunks"],
                    (large["chunks"] - corpus["chunks"]) / large["insert_seconds"],
                    large["insert_seconds"],
                ],
                [
                    "HNSW index build over all rows",
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
            "rows": rows,
        },
    }
    print()
    print(" | ".join(results["tables"]["latency"]["columns"]))
    for row in rows:
        print(" | ".join(f"{v:,}" if isinstance(v, int) else f"{v:.3f}" for v in row))
    OUTPUT.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwrote {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
