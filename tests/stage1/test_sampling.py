import runpy

import anthropic
import pydantic
import pytest

from snippets.stage1 import sampling


def test_main_labels_and_drafts(capsys, double):
    runpy.run_module("snippets.stage1.sampling", run_name="__main__")
    assert capsys.readouterr().out == (
        "mixed\n"
        "- Faster first words: streaming is now the default\n"
        "- What changes now that responses stream by default\n"
        "- Still waiting for the whole answer? Not any more\n"
    )
    drafts = double.requests[-1].body
    assert (drafts["model"], drafts["max_tokens"]) == ("claude-haiku-5-5", 2000)
    assert "effort" not in drafts.get("output_config", {})
    assert drafts["messages"][0]["content"] == (
        "Write 3 email subject lines for this announcement. Each must take a "
        "different angle: benefit, change, question.\n\n"
        "Our API now streams responses by default."
    )


def test_drafts_that_repeat_each_other_are_rejected(double):
    same = {
        "match": {"user": "double-stage1: same"},
        "json": {"lines": ["Streaming is here", "Streaming is here", "New: streams"]},
    }
    with double.script([same]), pytest.raises(ValueError) as raised:
        sampling.draft_subject_lines("double-stage1: same")
    assert str(raised.value) == (
        "asked for 3 distinct drafts, got ['Streaming is here', 'Streaming is here', "
        "'New: streams']"
    )


def test_the_sdk_no_longer_accepts_temperature():
    """What the page warns about: code from older guides fails before sending."""
    with pytest.raises(TypeError, match="temperature"):
        sampling.client.messages.create(  # type: ignore[call-arg]
            model=sampling.MODEL,
            max_tokens=10,
            temperature=0.0,
            messages=[{"role": "user", "content": "hi"}],
        )


def test_the_api_rejects_temperature_sent_around_the_sdk(double):
    with pytest.raises(anthropic.BadRequestError, match="temperature"):
        sampling.client.messages.create(
            model=sampling.MODEL,
            max_tokens=10,
            messages=[{"role": "user", "content": "hi"}],
            extra_body={"temperature": 0.0},
        )


def test_labels_are_constrained_by_an_enum_and_effort_is_low(double):
    assert (
        sampling.label_sentiment(
            "Setup took five minutes, but the docs skip the hard part."
        )
        == "mixed"
    )
    body = double.requests[-1].body
    assert (body["model"], body["max_tokens"]) == ("claude-haiku-5-5", 1000)
    schema = body["output_config"]["format"]["schema"]
    assert schema["properties"]["label"]["enum"] == ["positive", "negative", "mixed"]
    assert body["output_config"]["effort"] == "low"


def test_drafts_come_from_one_call_and_are_distinct(double):
    drafts = sampling.draft_subject_lines("Our API now streams responses by default.")
    assert len(set(drafts)) == 3
    assert len(double.requests) == 1


# The API can end a turn with no text at all; there is then no JSON to check.
EMPTY = {"reply": {"content": [], "stop_reason": "end_turn"}, "unchecked": True}
REFUSAL = {
    "reply": {
        "content": [{"type": "text", "text": "I won't."}],
        "stop_reason": "refusal",
    }
}


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        ({"json": {"lines": ["Same", "Same", "Other"]}}, "3 distinct drafts"),
        (EMPTY, r"^the reply finished without the structured output asked for$"),
    ],
)
def test_drafts_that_repeat_or_never_come_are_an_error(double, reply, error):
    with (
        double.script([{"match": {"user": "double-stage1: drafts"}, **reply}]),
        pytest.raises(ValueError, match=error),
    ):
        sampling.draft_subject_lines("double-stage1: drafts")


def test_a_missing_label_is_an_error_not_a_guess(double):
    with (
        double.script([{"match": {"user": "double-stage1: no label"}, **EMPTY}]),
        pytest.raises(ValueError, match=r"^the reply finished without the structured"),
    ):
        sampling.label_sentiment("double-stage1: no label")


def test_a_refused_label_fails_validation_loudly(double):
    with (
        double.script([{"match": {"user": "double-stage1: refuse"}, **REFUSAL}]),
        pytest.raises(pydantic.ValidationError),
    ):
        sampling.label_sentiment("double-stage1: refuse")
