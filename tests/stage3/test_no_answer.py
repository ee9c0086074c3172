import json
import runpy
import sys
from pathlib import Path

import numpy as np
import pytest

from snippets.stage3.hybrid_search import hybrid_search
from snippets.stage3.keyword_search import BM25Index
from snippets.stage3.metrics import load_questions, normalise
from snippets.stage3.no_answer import MIN_SIMILARITY, best_similarity, something_matches
from snippets.stage3.schema import fetch_passages

READS_SHARED_SLICE = True  # searches only: reuse the session's ingested slice

IN_SCOPE = "What does the pass statement do?"
OUT_OF_SCOPE = "How do I make a command-line flag required with argparse?"


@pytest.fixture(scope="module")
def bm25(conn) -> BM25Index:
    return BM25Index.from_database(conn)


def top_five(conn, embedder, bm25, question):
    return fetch_passages(conn, hybrid_search(conn, embedder, bm25, question, k=5))


def exact_best(conn, embedder, question, passages) -> float:
    """The same measure computed here, from the stored vectors."""
    [query] = embedder.embed([question])
    rows = conn.execute(
        "SELECT embedding FROM chunks WHERE id = ANY(%s)",
        ([p.chunk_id for p in passages],),
    ).fetchall()
    return max(float(np.dot(vector.to_numpy(), query)) for (vector,) in rows)


def test_the_best_similarity_is_the_cosine_of_the_closest_passage(conn, embedder, bm25):
    passages = top_five(conn, embedder, bm25, IN_SCOPE)
    best = best_similarity(conn, embedder, IN_SCOPE, passages)
    assert best == pytest.approx(exact_best(conn, embedder, IN_SCOPE, passages))
    # RRF scores rank; they are not similarities.
    assert best != pytest.approx(max(p.score for p in passages))


def test_passages_found_by_bm25_alone_are_measured_the_same_way(conn, embedder, bm25):
    passages = fetch_passages(conn, bm25.search("statement", k=3))
    best = best_similarity(conn, embedder, IN_SCOPE, passages)
    assert best == pytest.approx(exact_best(conn, embedder, IN_SCOPE, passages))


def test_an_in_scope_question_matches_and_a_plausible_other_one_does_not(
    conn, embedder, bm25
):
    assert something_matches(
        conn, embedder, IN_SCOPE, top_five(conn, embedder, bm25, IN_SCOPE)
    )
    passages = top_five(conn, embedder, bm25, OUT_OF_SCOPE)
    assert len(passages) == 5  # the search always finds something
    assert not something_matches(conn, embedder, OUT_OF_SCOPE, passages)


def test_the_floor_is_inclusive(conn, embedder, bm25):
    passages = top_five(conn, embedder, bm25, IN_SCOPE)
    best = best_similarity(conn, embedder, IN_SCOPE, passages)
    assert something_matches(conn, embedder, IN_SCOPE, passages, min_similarity=best)
    assert not something_matches(
        conn, embedder, IN_SCOPE, passages, min_similarity=best + 1e-6
    )


def test_no_passages_never_match(conn, embedder):
    assert best_similarity(conn, embedder, IN_SCOPE, []) is None
    assert not something_matches(conn, embedder, IN_SCOPE, [], min_similarity=-1)


def test_main_says_whether_to_answer(conn, embedder, bm25, monkeypatch, capsys):
    for argv, question, verdict in [
        (
            ["no_answer"],
            OUT_OF_SCOPE,
            f"below {MIN_SIMILARITY}: nothing in the index matches, no answer",
        ),
        (
            ["no_answer", IN_SCOPE],
            IN_SCOPE,
            f"at least {MIN_SIMILARITY}: answer from them",
        ),
    ]:
        monkeypatch.setattr(sys, "argv", argv)
        runpy.run_module("snippets.stage3.no_answer", run_name="__main__")
        passages = top_five(conn, embedder, bm25, question)
        best = best_similarity(conn, embedder, question, passages)
        assert capsys.readouterr().out == (
            f"5 passages retrieved; the most similar scores {best:.3f}\n{verdict}\n"
        )


DATA = Path(__file__).resolve().parents[2] / "data" / "stage3"


def test_the_out_of_scope_set_and_the_split_are_committed_and_fixed():
    rows = [json.loads(line) for line in (DATA / "out_of_scope.jsonl").open()]
    assert len(rows) >= 30
    assert [row["id"] for row in rows] == [f"o{i:02d}" for i in range(1, len(rows) + 1)]
    assert all(row["question"] and row["not_in_corpus"] for row in rows)
    labelled = [q.id for q in load_questions()]
    assert not {normalise(r["question"]) for r in rows} & {
        normalise(q.question) for q in load_questions()
    }
    split = json.loads((DATA / "no_answer_split.json").read_text())
    for kind, ids in [
        ("in_scope", labelled),
        ("out_of_scope", [r["id"] for r in rows]),
    ]:
        calibration = split["calibration"][kind]
        evaluation = split["evaluation"][kind]
        assert not set(calibration) & set(evaluation)
        assert sorted(calibration + evaluation) == sorted(ids)
        assert len(calibration) == len(evaluation)  # halves
