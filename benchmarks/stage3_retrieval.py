"""Stage 3 retrieval benchmark: how often each method finds the answer, how sure
that figure is, and how well the pipeline says that nothing matches.

    python benchmarks/stage3_retrieval.py         # all local: no model double, no API
    python benchmarks/stage3_retrieval.py --live  # adds Claude reranking and Claude-
                                                  # written prefixes (ANTHROPIC_API_KEY)

The pydoc corpus is ingested once per configuration, each into its own PostgreSQL
schema (re-runs reuse what is there: ingestion is idempotent). Every method is
scored on data/stage3/questions.jsonl with snippets/stage3/metrics.py. Each mean
gets a 95% bootstrap interval over the questions, and each comparison the Stage 3
page makes gets a paired test over the same questions (snippets/stage5/eval_stats.py).

The no-answer floor (snippets/stage3/no_answer.py) is chosen on the calibration
half of the labelled questions and of data/stage3/out_of_scope.jsonl, and its
false accepts and false rejects are measured on the evaluation half
(data/stage3/no_answer_split.json). Everything goes to
data/stage3/retrieval_results.json, which the Stage 3 page renders.
"""

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from statistics import mean

import numpy as np
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
from snippets.stage3.docs_qa import PASSAGES_TO_ANSWER  # noqa: E402
from snippets.stage3.embeddings import Embedder, load_model  # noqa: E402
from snippets.stage3.hybrid_search import hybrid_search  # noqa: E402
from snippets.stage3.ingest import Chunker, Prefixer, ingest  # noqa: E402
from snippets.stage3.keyword_search import BM25Index, full_text_search  # noqa: E402
from snippets.stage3.metrics import (  # noqa: E402
    Hit,
    Question,
    answers_in,
    load_questions,
    per_question,
)
from snippets.stage3.no_answer import MIN_SIMILARITY, best_similarity  # noqa: E402
from snippets.stage3.rerank import rerank  # noqa: E402
from snippets.stage3.schema import create_schema, fetch_passages  # noqa: E402
from snippets.stage3.vector_search import vector_search  # noqa: E402
from snippets.stage5.eval_stats import bootstrap_ci, paired_permutation  # noqa: E402

DATA = ROOT / "data" / "stage3"
OUTPUT = DATA / "retrieval_results.json"
K = 10
METRICS = ["recall@5", "recall@10", "mrr", "ndcg@10"]
SHOWN = {"recall@5": "recall@5", "recall@10": "recall@10", "mrr": "MRR"}
SHOWN["ndcg@10"] = "nDCG@10"
LABELS = {
    "bm25": "BM25 (bm25s)",
    "full_text": "PostgreSQL full-text (ts_rank_cd)",
    "vector": "vector (pgvector HNSW)",
    "hybrid": "hybrid: BM25 + vector, RRF",
}
PREFIXED = "hybrid + structural prefix"
# The comparisons the page makes, candidate first, each on every metric.
COMPARISONS = [
    (LABELS["hybrid"], LABELS["bm25"]),
    (LABELS["hybrid"], LABELS["vector"]),
    (LABELS["bm25"], LABELS["full_text"]),
    (PREFIXED, LABELS["hybrid"]),
]
ALPHA = 0.05
# The floor this page used before: on the vector list, before fusion, set
# between answering chunks and keyboard mashing.
OLD_FLOOR = 0.35
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
    report = ingest(
        conn, embedder, pydoc_documents(), chunker, prefixer, complete_source=True
    )
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


def interval(values: Sequence[float]) -> dict[str, float]:
    """The mean with its 95% percentile-bootstrap interval over the questions."""
    low, high = bootstrap_ci(values)
    return {"value": float(np.mean(values)), "low": low, "high": high}


def score(
    conn: psycopg.Connection, questions: list[Question], search: Search
) -> dict[str, object]:
    """Mean metrics with intervals, every question's scores, and each question's
    first relevant rank (None: not in the top K)."""
    results = []
    for question in questions:
        passages = fetch_passages(conn, search(question.question))
        results.append([(p.source, p.content) for p in passages])
    scores = per_question(questions, results, index_hits(conn))
    ranks = {
        q.id: next((i for i, hit in enumerate(hits, 1) if answers_in(hit, q)), None)
        for q, hits in zip(questions, results, strict=True)
    }
    return {
        **{metric: mean(scores[metric]) for metric in METRICS},
        "intervals": {metric: interval(scores[metric]) for metric in METRICS},
        "per_question": scores,
        "first_relevant_rank": ranks,
    }


def compare(candidate: Sequence[float], baseline: Sequence[float]) -> dict:
    """The mean per-question difference, its interval, how many questions moved
    each way, and a paired test."""
    differences = np.subtract(candidate, baseline)
    low, high = bootstrap_ci(differences)
    p = paired_permutation(candidate, baseline)
    return {
        "difference": float(differences.mean()),
        "low": low,
        "high": high,
        "better": int((differences > 0).sum()),
        "worse": int((differences < 0).sum()),
        "p": p,
        "significant": p < ALPHA,
    }


def comparison_row(row: dict) -> list:
    return [
        row["candidate"],
        row["baseline"],
        SHOWN[row["metric"]],
        {"value": row["difference"], "low": row["low"], "high": row["high"]},
        f"{row['better']} / {row['worse']}",
        {"p": row["p"]},
        "yes" if row["significant"] else "no",
    ]


def span_coverage(conn: psycopg.Connection, questions: list[Question]) -> float:
    """Share of labelled answers that sit whole inside at least one chunk."""
    index = index_hits(conn)
    answers = [(q, i) for q in questions for i in range(len(q.answers))]
    kept = sum(any(i in answers_in(hit, q) for hit in index) for q, i in answers)
    return kept / len(answers)


def searches(conn: psycopg.Connection, embedder: Embedder) -> dict[str, Search]:
    bm25 = BM25Index.from_database(conn)
    return {
        "bm25": lambda q: bm25.search(q, k=K),
        "full_text": lambda q: full_text_search(conn, q, k=K),
        "vector": lambda q: vector_search(conn, embedder, q, k=K),
        "hybrid": lambda q: hybrid_search(conn, embedder, bm25, q, k=K),
    }


def load_out_of_scope(path: Path = DATA / "out_of_scope.jsonl") -> dict[str, str]:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line]
    return {row["id"]: row["question"] for row in rows}


def no_answer_evidence(
    conn: psycopg.Connection, embedder: Embedder, questions: dict[str, str]
) -> dict[str, dict]:
    """Per question: the similarity the floor is applied to (the best of the
    passages docs_qa would answer from), and whether the old pipeline answered."""
    bm25 = BM25Index.from_database(conn)
    evidence = {}
    for qid, question in questions.items():
        hits = hybrid_search(conn, embedder, bm25, question, k=PASSAGES_TO_ANSWER)
        passages = fetch_passages(conn, hits)
        [(_, nearest)] = vector_search(conn, embedder, question, k=1)
        evidence[qid] = {
            "best_similarity": best_similarity(conn, embedder, question, passages),
            # Before: the floor cut the vector list only, so any BM25 hit answered.
            "old_answered": bool(bm25.search(question, k=50)) or nearest >= OLD_FLOOR,
        }
    return evidence


def choose_floor(best: dict[str, float], calibration: dict[str, list[str]]) -> float:
    """The floor (in steps of 0.01) with the fewest errors on the calibration
    half, counting a false accept rate and a false reject rate alike; a tie goes
    to the lower floor, which rejects fewer answerable questions."""

    def errors(floor: float) -> float:
        accepted = mean(best[i] >= floor for i in calibration["out_of_scope"])
        rejected = mean(best[i] < floor for i in calibration["in_scope"])
        return accepted + rejected

    return min((i / 100 for i in range(101)), key=lambda f: (errors(f), f))


def rates(answered: dict[str, bool], half: dict[str, list[str]]) -> dict:
    """False accepts: out-of-scope questions answered. False rejects: labelled
    questions turned away. Each a share with its bootstrap interval."""
    accepts = [qid for qid in half["out_of_scope"] if answered[qid]]
    rejects = [qid for qid in half["in_scope"] if not answered[qid]]
    return {
        "in_scope": len(half["in_scope"]),
        "out_of_scope": len(half["out_of_scope"]),
        "false_accepts": interval([answered[q] for q in half["out_of_scope"]]),
        "false_rejects": interval([not answered[q] for q in half["in_scope"]]),
        "false_accept_ids": accepts,
        "false_reject_ids": rejects,
    }


def no_answer_row(decision: str, half: str, measured: dict) -> list:
    return [
        decision,
        half,
        measured["in_scope"],
        measured["out_of_scope"],
        measured["false_accepts"],
        measured["false_rejects"],
    ]


def shown(value: object) -> str:
    if isinstance(value, dict) and "low" in value:
        return f"{value['value']:.3f} [{value['low']:.3f}, {value['high']:.3f}]"
    if isinstance(value, dict):
        return f"p={value['p']:.4f}"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--live", action="store_true", help="also measure Claude steps")
    args = parser.parse_args()
    questions = load_questions(DATA / "questions.jsonl")
    out_of_scope = load_out_of_scope()
    split = json.loads((DATA / "no_answer_split.json").read_text())
    embedder = Embedder(load_model())
    methods: list[dict] = []
    chunking: list[dict] = []
    live: dict[str, object] = {}

    with connect() as conn:
        server = list(
            conn.execute(
                "SELECT version(), (SELECT extversion FROM pg_extension"
                " WHERE extname = 'vector')"
            ).fetchone()
        )
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
        methods.append({"method": PREFIXED, **score(conn, questions, runs["hybrid"])})
        # The no-answer decision, on the configuration docs_qa runs.
        labelled = {q.id: q.question for q in questions}
        evidence = no_answer_evidence(conn, embedder, {**labelled, **out_of_scope})
        if args.live:
            bm25 = BM25Index.from_database(conn)
            fallbacks: list[str] = []  # why the reranker kept the retrieval order
            reranked_ids: dict[str, list[tuple[int, float]]] = {}

            def reranked(question: str) -> list[tuple[int, float]]:
                if question not in reranked_ids:  # one call per question
                    wide = hybrid_search(conn, embedder, bm25, question, k=20)
                    result = rerank(question, fetch_passages(conn, wide), top_n=K)
                    if result.fallback:
                        fallbacks.append(result.fallback)
                    reranked_ids[question] = [
                        (p.chunk_id, p.score) for p in result.passages
                    ]
                return reranked_ids[question]

            methods.append(
                {
                    "method": "hybrid + structural prefix + Claude rerank (live)",
                    **score(conn, questions, reranked),
                    "rerank_fallbacks": len(fallbacks),
                }
            )
            live["reranker_kept"] = {
                qid: bool(reranked(text))
                for qid, text in {**labelled, **out_of_scope}.items()
            }
            live["rerank_calls"] = len(reranked_ids)
            live["rerank_fallbacks"] = fallbacks
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

    by_name = {m["method"]: m for m in methods}
    comparisons = [
        {
            "candidate": candidate,
            "baseline": baseline,
            "metric": metric,
            **compare(
                by_name[candidate]["per_question"][metric],
                by_name[baseline]["per_question"][metric],
            ),
        }
        for candidate, baseline in COMPARISONS
        for metric in METRICS
    ]
    chunkers = {c["chunker"]: c for c in chunking}
    chunking_comparisons = [
        {
            "candidate": f"markdown, {search}",
            "baseline": f"{other}, {search}",
            "metric": metric,
            **compare(
                chunkers["markdown"][search]["per_question"][metric],
                chunkers[other][search]["per_question"][metric],
            ),
        }
        for search in ("vector", "hybrid")
        for other in ("fixed", "recursive")
        for metric in ("recall@10", "mrr")
    ]

    best = {qid: e["best_similarity"] for qid, e in evidence.items()}
    floor = choose_floor(best, split["calibration"])
    if floor != MIN_SIMILARITY:
        print(
            f"\nthe calibrated floor is {floor}; set MIN_SIMILARITY = {floor} in "
            f"snippets/stage3/no_answer.py (it is {MIN_SIMILARITY}) and run again"
        )
    answered = {qid: b >= floor for qid, b in best.items()}
    old = {qid: e["old_answered"] for qid, e in evidence.items()}
    no_answer = {
        "floor": floor,
        "old_floor": OLD_FLOOR,
        "passages": PASSAGES_TO_ANSWER,
        "calibration": rates(answered, split["calibration"]),
        "evaluation": rates(answered, split["evaluation"]),
        "old_evaluation": rates(old, split["evaluation"]),
        "evidence": evidence,
    }
    after = f"floor {floor:.2f} on the top {PASSAGES_TO_ANSWER}, after fusion"
    no_answer_rows = [
        no_answer_row(
            f"floor {OLD_FLOOR:.2f} on the vector list, before fusion (old)",
            "evaluation",
            no_answer["old_evaluation"],
        ),
        no_answer_row(after, "calibration (chose it)", no_answer["calibration"]),
        no_answer_row(after, "evaluation (held out)", no_answer["evaluation"]),
    ]
    if args.live:
        kept = live.pop("reranker_kept")
        both = {qid: answered[qid] and kept[qid] for qid in answered}
        no_answer["live_evaluation"] = rates(both, split["evaluation"])
        no_answer["live"] = live
        no_answer_rows.append(
            no_answer_row(
                f"{after}, then Claude rerank (live)",
                "evaluation (held out)",
                no_answer["live_evaluation"],
            )
        )

    comparison_columns = [
        "candidate",
        "baseline",
        "metric",
        "difference (95% CI)",
        "questions better / worse",
        "p (paired)",
        f"significant at {ALPHA}",
    ]
    tables = {
        "retrieval": {
            "columns": ["method", *(SHOWN[m] for m in METRICS)],
            "rows": [
                [m["method"], *(m["intervals"][x] for x in METRICS)] for m in methods
            ],
        },
        "comparisons": {
            "columns": comparison_columns,
            "rows": [comparison_row(row) for row in comparisons],
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
                    c["vector"]["intervals"]["recall@10"],
                    c["vector"]["intervals"]["mrr"],
                    c["hybrid"]["intervals"]["recall@10"],
                    c["hybrid"]["intervals"]["mrr"],
                ]
                for c in chunking
            ],
        },
        "chunking_comparisons": {
            "columns": comparison_columns,
            "rows": [comparison_row(row) for row in chunking_comparisons],
        },
        "no_answer": {
            "columns": [
                "decision",
                "half",
                "in scope",
                "out of scope",
                "false accepts",
                "false rejects",
            ],
            "rows": no_answer_rows,
        },
    }
    for name, table in tables.items():
        print(f"\n{name}")
        print(" | ".join(table["columns"]))
        for row in table["rows"]:
            print(" | ".join(shown(v) for v in row))
    OUTPUT.write_text(
        json.dumps(
            {
                "command": " ".join(
                    ["python benchmarks/stage3_retrieval.py", *sys.argv[1:]]
                ),
                "questions": len(questions),
                "out_of_scope_questions": len(out_of_scope),
                "k": K,
                "python": sys.version.split()[0],
                "server": server,
                "intervals": "95% percentile bootstrap over questions, 10,000 "
                "resamples, seed 0",
                "tests": "two-sided paired permutation (sign-flip) test over the "
                f"same questions, significant below {ALPHA}, not corrected for "
                "multiple comparisons",
                "methods": methods,
                "comparisons": comparisons,
                "chunking": chunking,
                "chunking_comparisons": chunking_comparisons,
                "no_answer": no_answer,
                "tables": tables,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"\nwrote {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
