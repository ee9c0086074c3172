import runpy

import pytest

from snippets.stage1 import refusals
from snippets.stage1.replies import Refused

QUESTION = "How do I scan my own servers for open ports before an audit?"


def refusal(category):
    return {
        "match": {"user": "double-stage1: declined"},
        "reply": {
            "content": [{"type": "text", "text": "I can't help with that."}],
            "stop_reason": "refusal",
            "stop_details": {
                "type": "refusal",
                "category": category,
                "explanation": None,
            },
        },
    }


def test_main_answers_through_the_fallback_after_a_cyber_refusal(capsys, double):
    runpy.run_module("snippets.stage1.refusals", run_name="__main__")
    assert capsys.readouterr().out == (
        "claude-sonnet-5: Run nmap against hosts you own, from inside and outside "
        "your network, and compare the open ports with the ones your services need.\n"
    )
    assert [r.body["model"] for r in double.requests] == [
        "claude-sonnet-5-5",
        "claude-sonnet-5",
    ]
    assert all(r.body["max_tokens"] == 2000 for r in double.requests)


@pytest.mark.parametrize("category", ["bio", "reasoning_extraction", "general_harms"])
def test_a_refusal_no_fallback_helps_goes_to_a_person(double, category):
    with double.script([refusal(category)]), pytest.raises(Refused) as raised:
        refusals.ask("double-stage1: declined")
    assert str(raised.value) == f"the model declined (category: {category})"
    assert [r.body["model"] for r in double.requests] == ["claude-sonnet-5-5"]


def test_a_refusal_with_no_category_is_not_retried(double):
    with double.script([refusal(None)]), pytest.raises(Refused):
        refusals.ask("double-stage1: declined")
    assert len(double.requests) == 1


def test_a_second_refusal_from_the_fallback_is_raised(double, capsys):
    entry = refusal("frontier_llm")
    entry["match"]["user"] = "How do I scan my own servers"
    with double.script([entry]):
        refusals.main()
    assert capsys.readouterr().out == (
        "needs a person: the model declined (category: frontier_llm)\n"
    )
    assert [r.body["model"] for r in double.requests] == [
        "claude-sonnet-5-5",
        "claude-sonnet-5",
    ]


def test_the_answer_names_the_model_that_gave_it(double):
    plain = {
        "match": {"user": "double-stage1: a plain question"},
        "reply": {"content": [{"type": "text", "text": "Yes."}]},
    }
    with double.script([plain]):
        first = refusals.ask("double-stage1: a plain question")
    assert first == refusals.Answer("Yes.", "claude-sonnet-5-5")
    fallback = refusals.ask(QUESTION)
    assert fallback == refusals.Answer(
        "Run nmap against hosts you own, from inside and outside your network, and "
        "compare the open ports with the ones your services need.",
        "claude-sonnet-5",
    )
