import ast
import runpy
import sys

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
    [request] = double.requests
    body = request.body
    assert body["model"] == "claude-haiku-5-5"
    assert body["max_tokens"] == 1024
    assert body["output_config"] == {
        "effort": "low",
        "format": {
            "type": "json_schema",
            "schema": {
                "type": "object",
                "title": "Ranking",
                "properties": {
                    "passage_ids": {
                        "type": "array",
                        "description": "ids of the passages that help answer the "
                        "question, best first",
                        "title": "Passage Ids",
                        "items": {"type": "integer"},
                    }
                },
                "additionalProperties": False,
                "required": ["passage_ids"],
            },
        },
    }
    prompt = body["messages"][0]["content"]
    assert prompt == (
        "\n".join(
            f'<passage id="{i}" source="pydoc:t{i}">\ntext {i}\n</passage>'
            for i in range(1, 6)
        )
        + "\n\n<question>stage3-double: rank these</question>"
    )


def test_top_n_caps_the_result(double):
    assert len(rerank("stage3-double: rank these", PASSAGES, top_n=1)) == 1


def test_an_empty_ranking_means_nothing_helps(double):
    assert rerank("stage3-double: none of these help", PASSAGES) == []


def test_a_refusal_keeps_the_retrieval_order(double):
    for question in (
        "stage3-double: refuse in prose",
        "stage3-double: refuse silently",
    ):
        assert rerank(question, PASSAGES, top_n=3) == PASSAGES[:3]


def test_a_ranking_cut_off_at_max_tokens_keeps_the_retrieval_order(double):
    # A ranking that repeats itself runs past max_tokens: the JSON is cut off.
    looping = {
        "match": {"user": "<question>stage3-double: rank in a loop</question>"},
        "json": {"passage_ids": [3, 1] * 600},
    }
    with double.script([looping]):
        assert rerank("stage3-double: rank in a loop", PASSAGES, 3) == PASSAGES[:3]


def test_main_reranks_hybrid_results(conn, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["rerank"])
    runpy.run_module("snippets.stage3.rerank", run_name="__main__")
    out = capsys.readouterr().out.splitlines()
    # Chunk ids are database serials; the scripted ranking is [2, 1].
    retrieval = ast.literal_eval(out[0].removeprefix("retrieval order: "))
    assert len(retrieval) == 5
    assert out == [
        f"retrieval order: {retrieval}",
        f"after reranking: {[retrieval[1], retrieval[0]]}",
        "  pydoc:customization  Basic customization",
        "  pydoc:customization  Basic customization",
    ]
