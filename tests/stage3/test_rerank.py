import ast
import runpy
import sys

from snippets.stage3 import rerank as rerank_module
from snippets.stage3.rerank import rerank
from snippets.stage3.schema import Passage

READS_SHARED_SLICE = True  # searches only: reuse the session's ingested slice


PASSAGES = [
    Passage(i, f"pydoc:t{i}", f"T{i}", f"T{i}", "", f"text {i}", 1 / i)
    for i in range(1, 6)
]


def test_claude_order_wins_and_bad_ids_are_ignored(double):
    reranked = rerank("stage3-double: rank these", PASSAGES)
    assert [p.chunk_id for p in reranked] == [3, 1]  # 99 unknown, 3 repeated


def test_the_request_lists_numbered_passages_and_asks_for_a_schema(double):
    rerank("stage3-double: rank these", PASSAGES)
    body = double.requests[-1].body
    assert body["model"] == rerank_module.MODEL
    prompt = body["messages"][0]["content"]
    assert '<passage id="1" source="pydoc:t1">\ntext 1\n</passage>' in prompt
    assert prompt.endswith("<question>stage3-double: rank these</question>")
    schema = body["output_config"]["format"]["schema"]
    assert schema["properties"]["passage_ids"]["type"] == "array"


def test_top_n_caps_the_result(double):
    assert len(rerank("stage3-double: rank these", PASSAGES, top_n=1)) == 1


def test_an_empty_ranking_means_nothing_helps(double):
    assert rerank("stage3-double: none of these help", PASSAGES) == []


def test_a_reply_that_is_not_a_ranking_keeps_the_retrieval_order(double):
    for question in (
        "stage3-double: refuse in prose",
        "stage3-double: refuse silently",
    ):
        assert rerank(question, PASSAGES, top_n=3) == PASSAGES[:3]


def test_main_reranks_hybrid_results(conn, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["rerank"])
    runpy.run_module("snippets.stage3.rerank", run_name="__main__")
    out = capsys.readouterr().out.splitlines()
    retrieval = ast.literal_eval(out[0].removeprefix("retrieval order: "))
    assert ast.literal_eval(out[1].removeprefix("after reranking: ")) == [
        retrieval[1],
        retrieval[0],
    ]
    assert len(out) == 4
