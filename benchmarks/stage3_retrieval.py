"""Stage 3 retrieval benchmark: recall@5, recall@10, MRR, nDCG@10 on the labelled set.

    python benchmarks/stage3_retrieval.py         # all local: no model double, no API
    python benchmarks/stage3_retrieval.py --live  # adds Claude reranking and Claude-
                                                  # written prefixes (ANTHROPIC_API_KEY)

The pydoc corpus is ingested once per configuration, each into its own PostgreSQL
schema (re-runs reuse what is there: ingestion is idempotent). Every method is
scored on data/stage3/questions.jsonl with snippets/stage3/metrics.py, and the
results go to data/stage3/retrieval_results.json, which the Stage 3 page renders.
"""

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from snippets.stage3.chunking import (  # noqa: E402
    Chunk,
    CountTokens,
    by_markdown_structure,
    fixed_size,
    recursive,
)
from snippets.stage3.contextual import claude_prefix, structural_prefix  # noqa: E402
from snippets.stage3.corpus import Document, pydoc_documents  # noqa: E402
from snippets.stage3.database import connect  # noqa: E402
from snippets.stage3.embeddings import Embedder, load_model  # noqa: E402
from snippets.stage3.hybrid_search import hybrid_search  # noqa: E402
from snippets.stage3.ingest import Chunker, Prefixer, ingest  # noqa: E402
from snippets.stage3.keyword_search import BM25Index, full_text_search  # noqa: E402
from snippets.stage3.metrics import (  # noqa: E402
    Hit,
    Question,
    answers_in,
    evaluate,
    load_questions,
)
from snippets.stage3.rerank import rerank  # noqa: E402
from snippets.stage3.schema import create_schema, fetch_passages  # noqa: E402
from snippets.stage3.vector_search import vector_search  # noqa: E402

OUTPUT = ROOT / "data" / "stage3" / "retrieval_results.json"
K = 10
LABELS = {
    "bm25": "BM25 (bm25s)",
    "full_text": "PostgreSQL full-text (ts_rank_cd)",
    "vector": "vector (pgvector HNSW)",
    "hybrid": "hybrid: BM25 + vector, RRF",
}
Search = Callable[[str], list[tuple[int, float]]]


def fixed_with_overlap(text: str, max_tokens: int, count: CountTokens) -> list[Chunk]:
    return fixed_size(text, max_tokens, max_tokens // 5, count)


def no_prefix(document: Document, chunk: Chunk) -> str:
    return ""


def prepare(
    conn: psycopg.Connection,
    embedder: Embedder,
    schema: str,
    chunker: Chunker,
    prefixer: Prefixer,
) -> dict[str, float]:
    """Ingest the corpus into `schema` (if not there yet) and make it current."""
    conn.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    conn.execute(f"SET search_path = {schema}, public")
    create_schema(conn)
    started = time.perf_counter()
    report = ingest(conn, embedder, pydoc_documents(), chunker, prefixer)
    elapsed = time.perf_counter() - started
    chunks = conn.execute("SELECT count(*) FROM chunks").fetchone()[0]
    print(f"{schema}: {chunks} chunks ({report.summary()}, {elapsed:.0f} s)")
    return {"chunks": chunks}


def index_hits(conn: psycopg.Connection) -> list[Hit]:
    rows = conn.execute(
        "SELECT d.source, c.content"
        " FROM chunks c JOIN documents d ON d.id = c.document_id"
    ).fetchall()
    return [(source, content) for source, content in rows]


def score(
    conn: psycopg.Connection, questions: list[Question], search: Search
) -> dict[str, object]:
    """Mean metrics, plus each question's first relevant rank (None: not in top K)."""
    results = []
    for question in questions:
        passages = fetch_passages(conn, search(question.question))
        results.append([(p.source, p.content) for p in passages])
    ranks = {
        q.id: next((i for i, hit in enumerate(hits, 1) if answers_in(hit, q)), None)
        for q, hits in zip(questions, results, strict=True)
    }
    return {
        **evaluate(questions, results, index_hits(conn)),
        "first_relevant_rank": ranks,
    }


def span_coverage(conn: psycopg.Connection, questions: list[Question]) -> float:
    """Share of labelled answers that sit whole inside at least one chunk."""
    index = index_hits(conn)
    answers = [(q, i) for q in questions for i in range(len(q.answers))]
    kept = sum(any(i in answers_in(hit, q) for hit in index) for q, i in answers)
    return kept / len(answers)


NONSENSE = [
    "xyzzy plugh frobnicate",
    "asdf qwer zxcv",
    "how to bake bread",
    "What is the capital of France?",
]


def similarity_floor(
    conn: psycopg.Connection, embedder: Embedder, questions: list[Question]
) -> dict[str, float]:
    """The evidence for vector_search.MIN_SIMILARITY: the lowest similarity of a
    chunk that answers a labelled question, and the highest of any nonsense query."""
    lowest = 1.0
    for question in questions:
        hits = vector_search(conn, embedder, question.question, k=K, min_similarity=-1)
        for passage in fetch_passages(conn, hits):
            if answers_in((passage.source, passage.content), question):
                lowest = min(lowest, passage.score)
                break
    highest = max(
        vector_search(conn, embedder, q, k=1, min_similarity=-1)[0][1] for q in NONSENSE
    )
    return {"lowest_answer_similarity": lowest, "highest_nonsense_similarity": highest}


def searches(conn: psycopg.Connection, embedder: Embedder) -> dict[str, Search]:
    bm25 = BM25Index.from_database(conn)
    return {
        "bm25": lambda q: bm25.search(q, k=K),
        "full_text": lambda q: full_text_search(conn, q, k=K),
        "vector": lambda q: vector_search(conn, embedder, q, k=K, min_similarity=-1),
        "hybrid": lambda q: hybrid_search(conn, embedder, bm25, q, k=K),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--live", action="store_true", help="also measure Claude steps")
    args = parser.parse_args()
    questions = load_questions(ROOT / "data" / "stage3" / "questions.jsonl")
    embedder = Embedder(load_model())
    methods: list[dict] = []
    chunking: list[dict] = []

    with connect() as conn:
        for name, chunker in [
            ("fixed", fixed_with_overlap),
            ("recursive", recursive),
            ("markdown", by_markdown_structure),
        ]:
            info = prepare(conn, embedder, f"bench_{name}", chunker, no_prefix)
            runs = searches(conn, embedder)
            row = {
                "chunker": name,
                "chunks": info["chunks"],
                "span_coverage": span_coverage(conn, questions),
            }
            wanted = list(LABELS) if name == "markdown" else ["vector", "hybrid"]
            scored = {method: score(conn, questions, runs[method]) for method in wanted}
            row["vector"], row["hybrid"] = scored["vector"], scored["hybrid"]
            chunking.append(row)
            if name == "markdown":
                methods += [{"method": LABELS[m], **scored[m]} for m in LABELS]

        prepare(
            conn,
            embedder,
            "bench_markdown_prefix",
            by_markdown_structure,
            structural_prefix,
        )
        runs = searches(conn, embedder)
        methods.append(
            {
                "method": "hybrid + structural prefix",
                **score(conn, questions, runs["hybrid"]),
            }
        )
        floor = similarity_floor(conn, embedder, questions)
        if args.live:
            bm25 = BM25Index.from_database(conn)

            def reranked(question: str) -> list[tuple[int, float]]:
                wide = hybrid_search(conn, embedder, bm25, question, k=20)
                passages = rerank(question, fetch_passages(conn, wide), top_n=K)
                return [(p.chunk_id, p.score) for p in passages]

            methods.append(
                {
                    "method": "hybrid + structural prefix + Claude rerank (live)",
                    **score(conn, questions, reranked),
                }
            )
            prepare(
                conn,
                embedder,
                "bench_markdown_claude",
                by_markdown_structure,
                claude_prefix,
            )
            methods.append(
                {
                    "method": "hybrid + Claude-written prefix (live)",
                    **score(conn, questions, searches(conn, embedder)["hybrid"]),
                }
            )

    metrics = ["recall@5", "recall@10", "mrr", "ndcg@10"]
    tables = {
        "retrieval": {
            "columns": ["method", "recall@5", "recall@10", "MRR", "nDCG@10"],
            "rows": [[m["method"], *(m[x] for x in metrics)] for m in methods],
        },
        "chunking": {
            "columns": [
                "chunker",
                "chunks",
                "answers inside one chunk",
                "vector recall@10",
                "vector MRR",
                "hybrid recall@10",
                "hybrid MRR",
            ],
            "rows": [
                [
                    c["chunker"],
                    c["chunks"],
                    c["span_coverage"],
                    c["vector"]["recall@10"],
                    c["vector"]["mrr"],
                    c["hybrid"]["recall@10"],
                    c["hybrid"]["mrr"],
                ]
                for c in chunking
            ],
        },
    }
    for name, table in tables.items():
        print(f"\n{name}")
        print(" | ".join(table["columns"]))
        for row in table["rows"]:
            print(
                " | ".join(f"{v:.3f}" if isinstance(v, float) else str(v) for v in row)
            )
    OUTPUT.write_text(
        json.dumps(
            {
                "command": " ".join(
                    ["python benchmarks/stage3_retrieval.py", *sys.argv[1:]]
                ),
                "questions": len(questions),
                "k": K,
                "python": sys.version.split()[0],
                "similarity_floor": floor,
                "methods": methods,
                "chunking": chunking,
                "tables": tables,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"\nwrote {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
