import runpy
import sys

import pytest

from snippets.stage1.replies import IncompleteReply, Refused
from snippets.stage3.answer import NOTHING_FOUND, answer, print_answer
from snippets.stage3.schema import Passage

READS_SHARED_SLICE = True  # searches only: reuse the session's ingested slice

CUSTOMIZATION = Passage(
    11,
    "pydoc:customization",
    "Basic customization",
    "Basic customization",
    "Basic customization",
    "Called to implement truth value testing. "
    'When this method is not defined, "__len__()" is called.',
    0.03,
)
TRUTH = Passage(
    12,
    "pydoc:truth",
    "Truth Value Testing",
    "Truth Value Testing",
    "Truth Value Testing",
    "By default, an object is considered true unless its class defines ...",
    0.02,
)


def test_each_citation_points_at_the_passage_it_came_from(double):
    result = answer("stage3-double: when is an object false?", [CUSTOMIZATION, TRUTH])
    assert result.text == (
        "An object is false when its __bool__() returns False[1] or, without "
        "__bool__(), when its __len__() returns zero[2]."
    )
    assert [c.passage for c in result.citations] == [TRUTH, CUSTOMIZATION]
    assert result.citations[1].cited_text.startswith("When this method is not defined")
    assert result.supported


def test_passages_are_sent_as_search_results_with_citations_on(double):
    answer("stage3-double: when is an object false?", [CUSTOMIZATION, TRUTH])
    [request] = double.requests
    body = request.body
    assert body["model"] == "claude-sonnet-5-5"
    assert body["max_tokens"] == 2048
    assert body["output_config"] == {"effort": "high"}
    assert body["system"] == (
        "You answer questions about Python from the search results you are given. "
        "Use only those results and cite them. If they do not contain the answer, "
        "say so in one sentence instead of guessing."
    )
    first, second, question = body["messages"][0]["content"]
    assert first == {
        "type": "search_result",
        "source": "pydoc:customization",
        "title": "Basic customization > Basic customization",
        "content": [{"type": "text", "text": CUSTOMIZATION.content}],
        "citations": {"enabled": True},
    }
    assert second["source"] == "pydoc:truth"
    assert question == {
        "type": "text",
        "text": "stage3-double: when is an object false?",
    }


def test_no_passages_means_no_call_and_a_plain_answer(double):
    result = answer("anything at all", [])
    assert result.text == NOTHING_FOUND
    assert not result.supported
    assert double.requests == []


def test_an_answer_without_citations_is_flagged(double, capsys):
    result = answer("stage3-double: answer from memory", [TRUTH])
    assert result.text == "Python was first released in 1991."
    assert not result.supported
    print_answer(result)
    assert (
        "no citations: nothing retrieved supports this answer"
        in capsys.readouterr().out
    )


def test_a_cut_off_answer_is_an_error(double):
    # High effort thinks 320 tokens in the double: 330 leaves 10 for the answer.
    with pytest.raises(IncompleteReply) as cut_off:
        answer("stage3-double: a long answer", [TRUTH], max_tokens=330)
    assert cut_off.value.stop_reason == "max_tokens"
    assert str(cut_off.value) == (
        "cut off at max_tokens after 330 output tokens (thinking included); "
        "raise max_tokens or lower the effort"
    )


def test_the_default_max_tokens_holds_the_thinking_and_the_answer(double):
    result = answer("stage3-double: a long answer", [TRUTH])
    assert result.text == (
        "This answer goes on for a while, more than a handful of tokens, so that a "
        "very small max_tokens cuts it off before the end."
    )


def test_a_refused_answer_is_an_error(double):
    refusal = {
        "match": {"user": "stage3-double: a question the model declines"},
        "reply": {
            "content": [],
            "stop_reason": "refusal",
            "stop_details": {"type": "refusal", "category": "cyber"},
        },
    }
    with double.script([refusal]), pytest.raises(Refused) as refused:
        answer("stage3-double: a question the model declines", [TRUTH])
    assert str(refused.value) == "the model declined (category: cyber)"


def test_main_answers_with_a_numbered_source(conn, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["answer"])
    runpy.run_module("snippets.stage3.answer", run_name="__main__")
    assert capsys.readouterr().out == (
        "Once the context manager's __enter__() has returned without an error, "
        "__exit__() is always called, whether the block finishes or raises[1].\n"
        '[1] pydoc:with, The "with" statement: \'The "with" statement guarantees '
        'that if the "__enter__()" method returns without an error, then '
        '"__exit__()" will always be called.\'\n'
    )
