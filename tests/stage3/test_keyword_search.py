import runpy
import sys

import pytest

from snippets.stage3.keyword_search import BM25Index, full_text_search
from snippets.stage3.schema import fetch_passages

READS_SHARED_SLICE = True  # searches only: reuse the session's ingested slice


@pytest.fixture(scope="module")
def bm25(conn) -> BM25Index:
    return BM25Index.from_database(conn)


def sources(conn, hits) -> list[str]:
    return [p.source for p in fetch_passages(conn, hits)]


def test_bm25_finds_a_rare_exact_token(conn, bm25):
    hits = bm25.search("PYTHONHASHSEED", k=3)
    assert len(hits) == 1  # only one chunk contains the word at all
    [passage] = fetch_passages(conn, hits)
    assert "PYTHONHASHSEED" in passage.content


def test_bm25_matches_word_forms_through_stemming(conn, bm25):
    hits = bm25.search("customizing truth values of instances", k=5)
    assert "pydoc:truth" in sources(conn, hits)[:3]
    scores = [score for _, score in hits]
    assert scores == sorted(scores, reverse=True)


def test_bm25_filters_by_collection(conn, bm25):
    assert sources(conn, bm25.search("rank fusion", k=5)) == [
        "site:guides/how-rag-works.md"
    ]
    assert bm25.search("rank fusion", k=5, collection="pydoc") == []


def test_no_query_word_in_the_corpus_means_no_hits(bm25):
    assert bm25.search("xyzzy plugh", k=5) == []
    assert bm25.search("the of and", k=5) == []  # stop words only


def test_an_empty_index_answers_with_no_hits():
    assert BM25Index([], [], []).search("anything") == []


def test_full_text_search_ranks_matches_with_any_query_word(conn):
    hits = full_text_search(conn, "Which statement does nothing?", k=5)
    assert hits, "OR semantics: a chunk need not contain every word"
    assert "pydoc:pass" in sources(conn, hits)
    assert full_text_search(conn, "xyzzy plugh", k=5) == []
    assert full_text_search(conn, "the of and", k=5) == []  # no lexemes left


def test_main_prints_both_rankings(conn, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["keyword_search"])
    runpy.run_module("snippets.stage3.keyword_search", run_name="__main__")
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "BM25:"
    assert "pydoc:customization" in out[1]
    assert "full text:" in out
    monkeypatch.setattr(sys, "argv", ["keyword_search", "xyzzy"])
    runpy.run_module("snippets.stage3.keyword_search", run_name="__main__")
    assert capsys.readouterr().out.count("no chunk contains any word of the query") == 2
