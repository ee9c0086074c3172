import runpy
import sys

import pytest

from snippets.stage3.hybrid_search import hybrid_search, reciprocal_rank_fusion
from snippets.stage3.keyword_search import BM25Index
from snippets.stage3.schema import fetch_passages
from snippets.stage3.vector_search import vector_search

READS_SHARED_SLICE = True  # searches only: reuse the session's ingested slice


def test_rrf_by_hand():
    fused = dict(reciprocal_rank_fusion([[7, 3, 9], [3, 5]]))
    assert fused[3] == pytest.approx(1 / 62 + 1 / 61)  # 2nd in one list, 1st in other
    assert fused[7] == pytest.approx(1 / 61)
    assert fused[5] == pytest.approx(1 / 62)
    assert fused[9] == pytest.approx(1 / 63)
    assert [item for item, _ in reciprocal_rank_fusion([[7, 3, 9], [3, 5]])] == [
        3,
        7,
        5,
        9,
    ]


def test_rrf_k_damps_the_top_ranks():
    sharp = dict(reciprocal_rank_fusion([[1, 2]], k=0))
    flat = dict(reciprocal_rank_fusion([[1, 2]], k=60))
    assert sharp[1] / sharp[2] == pytest.approx(2)
    assert flat[1] / flat[2] == pytest.approx(62 / 61)


def test_rrf_of_nothing_is_nothing():
    assert reciprocal_rank_fusion([[], []]) == []


@pytest.fixture(scope="module")
def bm25(conn) -> BM25Index:
    return BM25Index.from_database(conn)


def test_hybrid_keeps_what_either_search_alone_would_miss(conn, embedder, bm25):
    query = "PYTHONHASHSEED"  # an exact token: BM25's strength
    keyword_ids = [i for i, _ in bm25.search(query, k=50)]
    vector_ids = [i for i, _ in vector_search(conn, embedder, query, k=50)]
    hybrid_ids = [i for i, _ in hybrid_search(conn, embedder, bm25, query, k=10)]
    assert keyword_ids[0] in hybrid_ids[:2]
    assert set(hybrid_ids) <= set(keyword_ids) | set(vector_ids)


def test_hybrid_respects_the_collection_filter(conn, embedder, bm25):
    hits = hybrid_search(conn, embedder, bm25, "rank fusion", collection="site")
    assert [p.source for p in fetch_passages(conn, hits)] == [
        "site:guides/how-rag-works.md"
    ]


def test_nonsense_still_gets_the_nearest_chunks(conn, embedder, bm25):
    # BM25 finds no word of it, but the vector side always has neighbours: the
    # fused list is the vector ranking, and no_answer.py decides what to do.
    query = "xyzzy plugh frobnicate"
    assert bm25.search(query) == []
    fused = [i for i, _ in hybrid_search(conn, embedder, bm25, query, k=5)]
    assert fused == [i for i, _ in vector_search(conn, embedder, query, k=5)]


def test_an_empty_collection_is_an_empty_result(conn, embedder, bm25):
    assert hybrid_search(conn, embedder, bm25, "rank fusion", collection="none") == []


def test_main_prints_fused_results(conn, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["hybrid_search"])
    runpy.run_module("snippets.stage3.hybrid_search", run_name="__main__")
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 5
