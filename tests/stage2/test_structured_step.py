import runpy

import pytest

from snippets.stage1.replies import IncompleteReply, Refused
from snippets.stage2 import structured_step
from snippets.stage2.structured_step import Sentiment, StepFailed, parse_step

REVIEW = "The new pan is lovely, but it took three weeks to arrive."


def test_main_prints_the_parsed_result(capsys):
    runpy.run_module("snippets.stage2.structured_step", run_name="__main__")
    label, confidence = capsys.readouterr().out.split()
    assert label in ("positive", "negative", "mixed")
    assert confidence.startswith("(")


def test_main_prints_the_doubles_label(double, capsys):
    runpy.run_module("snippets.stage2.structured_step", run_name="__main__")
    assert capsys.readouterr().out == "mixed (0.85)\n"


def test_main_asks_the_small_model_at_low_effort(double):
    runpy.run_module("snippets.stage2.structured_step", run_name="__main__")
    [request] = [r.body for r in double.requests]
    assert request["model"] == "claude-haiku-5-5"
    assert request["max_tokens"] == 1000
    assert request["output_config"]["effort"] == "low"
    assert request["system"] == "Classify the sentiment of customer messages."
    assert "thinking" not in request  # thinking stays on, at the default


def _classify(message: str, max_tokens: int = 1_000) -> Sentiment:
    return parse_step(
        model=structured_step.MODEL,
        system="Classify the sentiment of customer messages.",
        user=message,
        output_format=Sentiment,
        effort="low",
        max_tokens=max_tokens,
    )


def test_a_valid_reply_comes_back_as_the_model_type(double):
    result = _classify(REVIEW)
    assert result == Sentiment(label="mixed", confidence=0.85)
    sent = double.requests[-1].body
    assert sent["output_config"]["format"]["type"] == "json_schema"
    assert sent["output_config"]["effort"] == "low"


def test_a_reply_cut_off_mid_json_stops_the_step(double):
    truncated = {
        "match": {"user": "double-stage2: truncated sentiment"},
        "reply": {
            "content": [{"type": "text", "text": '{"label": "posi'}],
            "stop_reason": "max_tokens",
        },
    }
    with (
        double.script([truncated]),
        pytest.raises(StepFailed, match=r"^Sentiment: the reply does not validate"),
    ):
        _classify("double-stage2: truncated sentiment")


def test_max_tokens_spent_on_thinking_stops_the_step(double):
    # The double thinks 40 tokens at low effort: 30 ends before any JSON.
    with pytest.raises(
        StepFailed, match=r"^Sentiment: cut off at max_tokens"
    ) as caught:
        _classify(REVIEW, max_tokens=30)
    assert isinstance(caught.value.__cause__, IncompleteReply)
    assert caught.value.__cause__.stop_reason == "max_tokens"


def test_a_refusal_stops_the_step_and_names_its_category(double):
    refusal = {
        "match": {"user": "double-stage2: refused sentiment"},
        "reply": {
            "content": [],
            "stop_reason": "refusal",
            "stop_details": {
                "type": "refusal",
                "category": "general_harms",
                "explanation": None,
            },
        },
    }
    with (
        double.script([refusal]),
        pytest.raises(
            StepFailed,
            match=r"^Sentiment: the model declined \(category: general_harms\)$",
        ) as caught,
    ):
        _classify("double-stage2: refused sentiment")
    assert isinstance(caught.value.__cause__, Refused)


def test_a_finished_reply_without_json_stops_the_step(double):
    empty = {
        "match": {"user": "double-stage2: no JSON"},
        "reply": {"content": [], "stop_reason": "end_turn"},
        "unchecked": True,  # the API would not do this; the step must not trust it
    }
    with (
        double.script([empty]),
        pytest.raises(StepFailed, match=r"^Sentiment: the reply has no JSON to parse$"),
    ):
        _classify("double-stage2: no JSON")
