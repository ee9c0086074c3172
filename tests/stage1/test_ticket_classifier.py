import runpy
import typing

import pytest

from snippets.stage1 import ticket_classifier as tc


def test_main_labels_an_outage_as_an_urgent_bug(capsys):
    runpy.run_module("snippets.stage1.ticket_classifier", run_name="__main__")
    assert capsys.readouterr().out.strip() == "bug / urgent"


def test_the_schema_allows_only_the_defined_labels(double):
    tc.classify("Checkout fails for every customer with a 502 since 09:00.")
    schema = double.requests[-1].body["output_config"]["format"]["schema"]
    categories = schema["properties"]["category"]["enum"]
    assert sorted(categories) == sorted(typing.get_args(tc.Category))
    assert double.requests[-1].body["output_config"]["effort"] == "low"


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
        pytest.raises(tc.ClassificationFailed, match="no label: stop_reason=end_turn"),
    ):
        tc.classify("double-stage1: empty")
