import runpy

import pytest

from snippets.stage2 import structured_step
from snippets.stage2.structured_step import Sentiment, StepFailed, parse_step


def test_main_prints_the_parsed_result(capsys):
    runpy.run_module("snippets.stage2.structured_step", run_name="__main__")
    label, confidence = capsys.readouterr().out.split()
    assert label in ("positive", "negative", "mixed")
    assert confidence.startswith("(")


def _classify(message: str) -> Sentiment:
    return parse_step(
        model=structured_step.MODEL,
        system="Classify the sentiment of customer messages.",
        user=message,
        output_format=Sentiment,
        max_tokens=200,
    )


def test_a_valid_reply_comes_back_as_the_model_type(double):
    result = _classify("The new pan is lovely, but it took three weeks to arrive.")
    assert result == Sentiment(label="mixed", confidence=0.85)
    sent = double.requests[-1].body
    assert sent["output_config"]["format"]["type"] == "json_schema"


def test_a_reply_cut_off_mid_json_stops_the_step(double):
    truncated = {
        "match": {"user": "double-stage2: truncated sentiment"},
        "reply": {
            "content": [{"type": "text", "text": '{"label": "posi'}],
            "stop_reason": "max_tokens",
        },
    }
    with double.script([truncated]), pytest.raises(StepFailed, match="Sentiment"):
        _classify("double-stage2: truncated sentiment")


def test_a_reply_with_nothing_to_parse_stops_the_step(double):
    refusal = {
        "match": {"user": "double-stage2: refused sentiment"},
        "reply": {"content": [], "stop_reason": "refusal"},
    }
    with double.script([refusal]), pytest.raises(StepFailed, match="refusal"):
        _classify("double-stage2: refused sentiment")
