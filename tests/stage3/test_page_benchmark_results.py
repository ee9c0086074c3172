"""What the Stage 3 page says about the measured results, checked against them.

The tables on the page are rendered from these JSON files at build time; the
sentences around them are prose, so these tests keep the prose true when the
benchmarks are re-run.
"""

import json
from pathlib import Path

import pytest

from snippets.stage3.metrics import load_questions
from snippets.stage3.vector_search import MIN_SIMILARITY

DATA = Path(__file__).resolve().parents[2] / "data" / "stage3"
METRICS = ["recall@5", "recall@10", "mrr", "ndcg@10"]


@pytest.fixture(scope="module")
def retrieval() -> dict:
    return json.loads((DATA / "retrieval_results.json").read_text())


def method(results: dict, name: str) -> dict:
    return next(m for m in results["methods"] if m["method"] == name)


def test_the_results_cover_the_labelled_set(retrieval):
    assert retrieval["questions"] == len(load_questions()) >= 40
    assert retrieval["command"].startswith("python benchmarks/stage3_retrieval.py")


def test_hybrid_beats_either_search_alone(retrieval):
    hybrid = method(retrieval, "hybrid: BM25 + vector, RRF")
    for alone in ("BM25 (bm25s)", "vector (pgvector HNSW)"):
        assert all(hybrid[m] >= method(retrieval, alone)[m] for m in METRICS)


def test_bm25_ranks_better_than_ts_rank_cd(retrieval):
    bm25 = method(retrieval, "BM25 (bm25s)")
    full_text = method(retrieval, "PostgreSQL full-text (ts_rank_cd)")
    assert all(bm25[m] > full_text[m] for m in METRICS)


def test_the_structural_prefix_lifts_recall_at_5_most(retrieval):
    hybrid = method(retrieval, "hybrid: BM25 + vector, RRF")
    prefixed = method(retrieval, "hybrid + structural prefix")
    gains = {m: prefixed[m] - hybrid[m] for m in METRICS}
    assert max(gains, key=gains.get) == "recall@5"
    assert gains["recall@5"] > 0
    assert abs(gains["mrr"]) < 0.01


def test_the_pdb_story(retrieval):
    ranks = {
        name: method(retrieval, name)["first_relevant_rank"]["q43"]
        for name in (
            "vector (pgvector HNSW)",
            "hybrid: BM25 + vector, RRF",
            "hybrid + structural prefix",
        )
    }
    assert ranks == {
        "vector (pgvector HNSW)": None,
        "hybrid: BM25 + vector, RRF": None,
        "hybrid + structural prefix": 1,
    }


def test_chunkers_differ_by_at_most_two_questions_of_recall(retrieval):
    rows = retrieval["chunking"]
    assert {row["span_coverage"] for row in rows} == {1.0}
    one_question = 1 / retrieval["questions"]
    for search in ("vector", "hybrid"):
        recalls = [row[search]["recall@10"] for row in rows]
        assert max(recalls) - min(recalls) <= 2 * one_question + 1e-9


def test_the_similarity_floor_separates_answers_from_nonsense(retrieval):
    """vector_search.MIN_SIMILARITY and the comment above it rest on this."""
    floor = retrieval["similarity_floor"]
    assert floor["highest_nonsense_similarity"] <= 0.31 < MIN_SIMILARITY
    assert MIN_SIMILARITY < 0.42 <= floor["lowest_answer_similarity"]


@pytest.fixture(scope="module")
def scale() -> dict:
    return json.loads((DATA / "scale_results.json").read_text())


def test_the_scale_run_reached_100000_chunks(scale):
    assert scale["large"]["chunks"] == 100_000
    assert scale["command"] == "python benchmarks/stage3_scale.py"


def test_embedding_dominates_ingestion(scale):
    large = scale["large"]
    grown = large["chunks"] - scale["corpus"]["chunks"]
    embed_seconds = grown / large["embed_chunks_per_second"]
    assert embed_seconds > 100 * (large["insert_seconds"] + large["hnsw_build_seconds"])
    assert 30 * 60 < embed_seconds < 60 * 60  # "most of an hour"


def test_exact_scan_is_cheap_small_and_expensive_large(scale):
    assert scale["corpus"]["exact"]["p50_ms"] < 20
    assert scale["large"]["exact"]["p50_ms"] > 20 * scale["large"]["hnsw"]["p50_ms"]


def test_hnsw_recall_falls_as_the_index_grows(scale):
    small = scale["corpus"]["hnsw"]["recall@10_vs_exact"]
    large = scale["large"]["hnsw"]["recall@10_vs_exact"]
    assert small >= 0.99
    assert large < small


def test_a_hybrid_query_spends_its_time_outside_the_database(scale):
    large = scale["large"]
    assert large["hybrid"]["p50_ms"] > large["hnsw"]["p50_ms"] + large["bm25"]["p50_ms"]


def test_bm25_index_builds_in_seconds(scale):
    """The BM25 section: under a second here, a few seconds at 100,000 chunks."""
    assert scale["corpus"]["bm25"]["index_build_s"] < 1
    assert 1 < scale["large"]["bm25"]["index_build_s"] < 10
