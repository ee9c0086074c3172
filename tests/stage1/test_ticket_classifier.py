import runpy
import typing

import pytest

from snippets.stage1 import ticket_classifier as tc
from snippets.stage1.fence import fence


def test_main_labels_an_outage_as_an_urgent_bug(capsys, double):
    runpy.run_module("snippets.stage1.ticket_classifier", run_name="__main__")
    assert capsys.readouterr().out == "bug / urgent\n"


def test_the_schema_allows_only_the_defined_labels(double):
    tc.classify("Checkout fails for every customer with a 502 since 09:00.")
    body = double.requests[-1].body
    assert (body["model"], body["max_tokens"]) == ("claude-haiku-5-5", 1000)
    schema = body["output_config"]["format"]["schema"]
    assert schema["properties"]["category"]["enum"] == [
        "billing",
        "bug",
        "feature_request",
        "account",
        "other",
    ]
    assert schema["properties"]["priority"]["enum"] == ["low", "normal", "urgent"]
    assert body["output_config"]["effort"] == "low"
    assert body["messages"] == [
        {
            "role": "user",
            "content": fence(
                "Checkout fails for every customer with a 502 since 09:00.", "ticket"
            ),
        }
    ]


def test_every_category_is_defined_in_the_prompt():
    for category in typing.get_args(tc.Category):
        assert f"- {category}:" in tc.SYSTEM


def test_a_refusal_goes_to_the_human_queue(double):
    with (
        double.script(
            [
                {
                    "match": {"user": "double-stage1: ticket"},
                    "reply": {
                        "content": [{"type": "text", "text": "I can't classify this."}],
                        "stop_reason": "refusal",
                    },
                }
            ]
        ),
        pytest.raises(tc.ClassificationFailed, match="did not fit the schema"),
    ):
        tc.classify("double-stage1: ticket")


def test_a_reply_without_a_label_goes_to_the_human_queue(double):
    empty = {
        "match": {"user": "double-stage1: empty"},
        "reply": {"content": [], "stop_reason": "end_turn"},
        "unchecked": True,  # the API can end a turn without text; no schema to check
    }
    with (
        double.script([empty]),
        pytest.raises(
            tc.ClassificationFailed,
            match=r"^no label: the reply finished without the structured output",
        ),
    ):
        tc.classify("double-stage1: empty")


def test_a_reply_cut_off_after_thinking_goes_to_the_human_queue(double):
    cut = {
        "match": {"user": "double-stage1: cut"},
        "reply": {
            "content": [{"type": "thinking", "thinking": "Long deliberation."}],
            "stop_reason": "max_tokens",
        },
    }
    with double.script([cut]), pytest.raises(tc.ClassificationFailed) as raised:
        tc.classify("double-stage1: cut")
    assert str(raised.value).startswith("no label: cut off at max_tokens after ")
