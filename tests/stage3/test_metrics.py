import json
import math
import runpy
from pydoc_data.topics import topics

import pytest

from snippets.stage3.metrics import (
    Question,
    answers_in,
    evaluate,
    load_questions,
    ndcg_at_k,
    normalise,
    per_question,
    recall_at_k,
    reciprocal_rank,
)


def test_recall_counts_answers_found_in_the_top_k():
    found = [set(), {0}, set(), {0, 1}]
    assert recall_at_k(found, 2, k=1) == 0
    assert recall_at_k(found, 2, k=2) == 0.5
    assert recall_at_k(found, 2, k=4) == 1.0
    assert recall_at_k([], 1, k=5) == 0


def test_reciprocal_rank_is_one_over_the_first_hit():
    assert reciprocal_rank([{0}, set()]) == 1.0
    assert reciprocal_rank([set(), set(), {0}]) == pytest.approx(1 / 3)
    assert reciprocal_rank([set(), set()]) == 0.0


def test_ndcg_by_hand():
    # One relevant chunk exists and it came third: 1/log2(4) over 1/log2(2).
    assert ndcg_at_k([False, False, True], n_relevant=1) == pytest.approx(0.5)
    # Two relevant chunks exist, found at ranks 1 and 3.
    dcg = 1 + 1 / math.log2(4)
    ideal = 1 + 1 / math.log2(3)
    assert ndcg_at_k([True, False, True], n_relevant=2) == pytest.approx(dcg / ideal)
    assert ndcg_at_k([True, True], n_relevant=2) == 1.0
    assert ndcg_at_k([False] * 10 + [True], n_relevant=1, k=10) == 0.0
    assert ndcg_at_k([], n_relevant=0) == 0.0


QUESTION = Question("q", "?", [(("pydoc:a", "pydoc:b"), "the  answer\nspan")])


def test_a_chunk_is_relevant_when_its_document_and_span_match():
    assert answers_in(("pydoc:a", "before the answer span after"), QUESTION) == {0}
    assert answers_in(("pydoc:b", "the answer   span"), QUESTION) == {0}
    assert answers_in(("pydoc:c", "the answer span"), QUESTION) == set()
    assert answers_in(("pydoc:a", "the answer"), QUESTION) == set()  # cut in two
    assert normalise(" a \n b\tc ") == "a b c"


def test_evaluate_averages_over_questions():
    index = [("pydoc:a", "x the answer span"), ("pydoc:a", "y"), ("pydoc:b", "z")]
    results = [[index[1], index[0]], [index[2]]]
    scores = evaluate([QUESTION, QUESTION], results, index)
    assert scores["mrr"] == pytest.approx((1 / 2 + 0) / 2)
    assert scores["recall@5"] == pytest.approx(0.5)
    assert scores["ndcg@10"] == pytest.approx((1 / math.log2(3)) / 2)


def test_per_question_keeps_every_score_in_question_order():
    index = [("pydoc:a", "x the answer span"), ("pydoc:a", "y"), ("pydoc:b", "z")]
    results = [[index[1], index[0]], [index[2]]]
    assert per_question([QUESTION, QUESTION], results, index) == {
        "recall@5": [1.0, 0.0],
        "recall@10": [1.0, 0.0],
        "mrr": [0.5, 0.0],
        "ndcg@10": [1 / math.log2(3), 0.0],
    }


def test_the_labelled_set_is_real_and_complete():
    questions = load_questions()
    assert len(questions) >= 40
    assert len({q.id for q in questions}) == len(questions)
    for question in questions:
        for sources, span in question.answers:
            holders = {
                f"pydoc:{key}"
                for key, text in topics.items()
                if normalise(span) in normalise(text)
            }
            assert holders == set(sources), (question.id, span)


def test_a_malformed_line_names_the_file_and_line(tmp_path):
    path = tmp_path / "questions.jsonl"
    good = {"id": "a", "question": "?", "answers": [{"sources": ["x"], "span": "y"}]}
    path.write_text(json.dumps(good) + "\n\n" + json.dumps({"id": "b"}) + "\n")
    with pytest.raises(ValueError, match=r"questions.jsonl:3: not a labelled question"):
        load_questions(path)


def test_main_scores_a_worked_example(capsys):
    runpy.run_module("snippets.stage3.metrics", run_name="__main__")
    assert capsys.readouterr().out.splitlines() == [
        " recall@5: 1.000",
        "recall@10: 1.000",
        "      mrr: 0.333",
        "  ndcg@10: 0.500",
    ]
