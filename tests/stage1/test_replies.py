"""The one reply reader: by block type, and only finished replies count."""

import anthropic
import pytest

from snippets.stage1.replies import (
    COMPLETE,
    IncompleteReply,
    Refused,
    check_complete,
    parsed,
    reply_text,
    text_of,
    tool_calls,
)

THINKING = {"type": "thinking", "thinking": "", "signature": "sig"}


def message(*blocks, stop_reason="end_turn", output_tokens=12, **fields):
    return anthropic.types.Message.model_validate(
        {
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "model": "claude-sonnet-5-5",
            "content": list(blocks),
            "stop_reason": stop_reason,
            "stop_sequence": "END" if stop_reason == "stop_sequence" else None,
            "usage": {"input_tokens": 5, "output_tokens": output_tokens},
            **fields,
        }
    )


def text(value):
    return {"type": "text", "text": value}


def test_only_end_turn_and_stop_sequence_are_complete():
    assert frozenset({"end_turn", "stop_sequence"}) == COMPLETE


def test_a_reply_that_starts_with_thinking_is_read_by_type():
    reply = message(THINKING, text("Use the "), text("client's key."))
    assert reply_text(reply) == "Use the client's key."


def test_a_stop_sequence_is_a_finished_reply():
    assert reply_text(message(text("one two"), stop_reason="stop_sequence")) == (
        "one two"
    )


@pytest.mark.parametrize(
    ("stop_reason", "described"),
    [
        (
            "max_tokens",
            "cut off at max_tokens after 40 output tokens (thinking included); "
            "raise max_tokens or lower the effort",
        ),
        (
            "model_context_window_exceeded",
            "the reply filled the context window and is truncated",
        ),
        (
            "pause_turn",
            "a long server-side turn paused; send the reply back to continue",
        ),
        ("tool_use", "stop_reason 'tool_use' is not a finished reply"),
    ],
)
def test_every_other_stop_reason_is_an_incomplete_reply(stop_reason, described):
    blocks = [THINKING, text("Half an ans")]
    if stop_reason == "tool_use":
        blocks.append({"type": "tool_use", "id": "t1", "name": "f", "input": {}})
    reply = message(*blocks, stop_reason=stop_reason, output_tokens=40)
    with pytest.raises(IncompleteReply) as raised:
        reply_text(reply)
    assert type(raised.value) is IncompleteReply
    assert str(raised.value) == described
    assert raised.value.stop_reason == stop_reason


def test_a_refusal_names_its_category():
    details = {"type": "refusal", "category": "bio", "explanation": "Not this."}
    reply = message(text("I can't."), stop_reason="refusal", stop_details=details)
    with pytest.raises(Refused) as raised:
        check_complete(reply)
    assert str(raised.value) == "the model declined (category: bio)"
    assert raised.value.stop_details.explanation == "Not this."


def test_a_refusal_without_a_category_says_so():
    with pytest.raises(Refused) as raised:
        check_complete(message(text("No."), stop_reason="refusal"))
    assert str(raised.value) == "the model declined (category: none given)"


def test_a_tool_loop_allows_tool_use_and_reads_the_calls():
    call = {"type": "tool_use", "id": "t1", "name": "lookup", "input": {"q": "x"}}
    reply = message(THINKING, text("Checking."), call, stop_reason="tool_use")
    assert check_complete(reply, also=frozenset({"tool_use"})) is reply
    assert [(c.name, c.input) for c in tool_calls(reply)] == [("lookup", {"q": "x"})]
    assert text_of(reply) == "Checking."


def test_a_finished_reply_without_its_structured_output_is_an_error():
    reply = anthropic.types.ParsedMessage[dict].model_construct(
        **message(THINKING, text("{}")).__dict__, parsed_output=None
    )
    with pytest.raises(ValueError) as raised:
        parsed(reply)
    assert str(raised.value) == (
        "the reply finished without the structured output asked for"
    )
