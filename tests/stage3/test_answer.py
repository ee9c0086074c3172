import runpy
import sys

import pytest

from snippets.stage3 import answer as answer_module
from snippets.stage3.answer import NOTHING_FOUND, IncompleteAnswer, answer, print_answer
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
    body = double.requests[-1].body
    assert body["model"] == answer_module.MODEL
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
    with pytest.raises(IncompleteAnswer, match="max_tokens=5"):
        answer("stage3-double: a long answer", [TRUTH], max_tokens=5)


def test_main_answers_with_a_numbered_source(conn, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["answer"])
    runpy.run_module("snippets.stage3.answer", run_name="__main__")
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Once the context manager's __enter__() has returned")
    assert out[0].endswith("raises[1].")
    assert out[1].startswith("[1] pydoc:")
    assert "will always be called" in out[1]
