import ast
import logging
import runpy
import sys
from pathlib import Path

from snippets.stage3.rerank import Reranked, rerank
from snippets.stage3.schema import Passage

READS_SHARED_SLICE = True  # searches only: reuse the session's ingested slice


PASSAGES = [
    Passage(i, f"pydoc:t{i}", f"T{i}", f"T{i}", "", f"text {i}", 1 / i)
    for i in range(1, 6)
]


def test_claude_order_wins_and_bad_ids_are_ignored(double):
    reranked = rerank("stage3-double: rank these", PASSAGES)
    assert reranked == Reranked([PASSAGES[2], PASSAGES[0]])  # 99 unknown, 3 repeated
    assert reranked.fallback is None


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
    assert rerank("stage3-double: rank these", PASSAGES, top_n=1) == Reranked(
        [PASSAGES[2]]
    )


def test_an_empty_ranking_means_nothing_helps(double, caplog):
    assert rerank("stage3-double: none of these help", PASSAGES) == Reranked([])
    assert caplog.records == []  # a decision, not a fallback


REFUSED = "the model declined (category: none given)"


def test_a_refusal_keeps_the_retrieval_order_and_says_so(double, caplog):
    for question in (
        "stage3-double: refuse in prose",
        "stage3-double: refuse silently",
    ):
        assert rerank(question, PASSAGES, top_n=3) == Reranked(
            PASSAGES[:3], fallback=REFUSED
        )
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        (
            "snippets.stage3.rerank",
            logging.WARNING,
            f"reranking skipped, retrieval order kept: {REFUSED}",
        )
    ] * 2


def test_a_ranking_cut_off_at_max_tokens_keeps_the_retrieval_order(double, caplog):
    # A ranking that repeats itself runs past max_tokens: the JSON is cut off.
    looping = {
        "match": {"user": "<question>stage3-double: rank in a loop</question>"},
        "json": {"passage_ids": [3, 1] * 600},
    }
    cut_off = (
        "cut off at max_tokens after 1024 output tokens (thinking included); "
        "raise max_tokens or lower the effort"
    )
    with double.script([looping]):
        reranked = rerank("stage3-double: rank in a loop", PASSAGES, 3)
    assert reranked == Reranked(PASSAGES[:3], fallback=cut_off)
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert record.getMessage() == f"reranking skipped, retrieval order kept: {cut_off}"


def test_the_fallbacks_of_a_run_can_be_counted(double):
    questions = [
        "stage3-double: rank these",
        "stage3-double: refuse silently",
        "stage3-double: none of these help",
        "stage3-double: refuse in prose",
    ]
    results = [rerank(question, PASSAGES) for question in questions]
    assert sum(result.fallback is not None for result in results) == 2


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


def test_the_page_quotes_the_warning_as_it_is_logged():
    page = Path(__file__).resolve().parents[2] / "docs/stages/03-retrieval.md"
    folded = " ".join(page.read_text(encoding="utf-8").split())
    assert f"`reranking skipped, retrieval order kept: {REFUSED}`" in folded
