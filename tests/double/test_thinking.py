"""Thinking as the real API does it for each model (behaviour.yml, `thinking-*` rows).

The default reply is what the real API returns: a thinking block first on the 5.5
models, its tokens counted as output and against `max_tokens`; a script that lists
its blocks exactly, or a request that turns thinking off, gets no added block.
"""

import pytest

from tests.double import behaviour, tokens
from tests.double.conftest import MODEL, WEATHER, assert_error, reply, request, user

VERSION = "2026-10-21"
EFFORT_TOKENS = behaviour.value("thinking.tokens", MODEL, VERSION)


def types(message) -> list[str]:
    return [block.type for block in message.content]


def ask(client, double, entry_reply, text="double-selftest: think", **fields):
    fields.setdefault("model", MODEL)
    fields.setdefault("max_tokens", 2000)
    with double.script([{"match": {"user": text}, "reply": entry_reply}]):
        return client.messages.create(messages=user(text), **fields)


@pytest.mark.parametrize(
    ("model", "effort"),
    [
        ("claude-sonnet-5-5", "high"),
        ("claude-opus-5-5", "medium"),
        ("claude-haiku-5-5", "medium"),
    ],
)
def test_each_5_5_model_thinks_at_its_default_effort(client, double, model, effort):
    message = ask(client, double, reply("Done."), model=model)
    assert types(message) == ["thinking", "text"]
    assert message.usage.output_tokens_details.thinking_tokens == EFFORT_TOKENS[effort]
    assert message.usage.output_tokens == EFFORT_TOKENS[effort] + tokens.count_text(
        "Done."
    )


def test_effort_sets_how_long_the_model_thinks(client, double):
    message = ask(client, double, reply("Done."), output_config={"effort": "low"})
    assert message.usage.output_tokens_details.thinking_tokens == EFFORT_TOKENS["low"]


def test_a_max_tokens_sized_for_the_answer_alone_ends_after_thinking(client, double):
    message = ask(
        client,
        double,
        reply("A short answer."),
        model="claude-haiku-5-5",
        max_tokens=50,
    )
    assert types(message) == ["thinking"]
    assert (message.stop_reason, message.usage.output_tokens) == ("max_tokens", 50)


def test_summarized_display_returns_the_summary(client, double):
    message = ask(
        client,
        double,
        reply("Done."),
        thinking={"type": "adaptive", "display": "summarized"},
    )
    assert message.content[0].thinking == (
        "The double's stand-in for the model's summarised thinking."
    )


@pytest.mark.parametrize(
    ("model", "setting"),
    [
        ("claude-sonnet-5-5", {"type": "between_tools"}),
        ("claude-haiku-5-5", {"type": "disabled"}),
    ],
)
def test_thinking_turned_off_adds_no_block(client, double, model, setting):
    message = ask(client, double, reply("Done."), model=model, thinking=setting)
    assert types(message) == ["text"]
    assert message.usage.output_tokens == tokens.count_text("Done.")
    assert message.usage.output_tokens_details is None


def test_an_exact_script_gets_only_its_blocks(client, double):
    exact = {"content": [{"type": "text", "text": "No thought needed."}], "exact": True}
    assert types(ask(client, double, exact)) == ["text"]


def test_a_scripted_thinking_block_is_served_as_written(client, double):
    stated = {
        "content": [
            {"type": "thinking", "thinking": "Check the units first."},
            {"type": "text", "text": "42 km."},
        ]
    }
    message = ask(client, double, stated)
    assert types(message) == ["thinking", "text"]
    assert message.content[0].thinking == "Check the units first."
    assert message.content[0].signature.startswith("double1.")


def test_forced_tool_use_on_haiku_5_5_comes_without_thinking(client, double):
    call = {"type": "tool_use", "name": "get_weather", "input": {"city": "Oslo"}}
    message = ask(
        client,
        double,
        {"content": [call]},
        model="claude-haiku-5-5",
        tools=[WEATHER],
        tool_choice={"type": "tool", "name": "get_weather"},
    )
    assert types(message) == ["tool_use"]


def test_the_count_tokens_endpoint_refuses_forced_tool_use_too(client):
    with pytest.raises(Exception) as raised:
        client.messages.count_tokens(
            model=MODEL,
            messages=user("x"),
            tools=[WEATHER],
            tool_choice={"type": "any"},
        )
    assert raised.value.status_code == 400
    assert raised.value.api_message == (
        'tool_choice: type "tool" and "any" are not supported for this model.'
    )


# --- notes between tool calls -----------------------------------------------------


def after_a_tool_call(client, double, model, note, **fields):
    """A second request in a tool loop, whose scripted reply is a note and a call."""
    call = {"type": "tool_use", "name": "get_weather", "input": {"city": "Oslo"}}
    first = ask(client, double, {"content": [call]}, tools=[WEATHER], model=model)
    messages = [
        *user("double-selftest: think"),
        {"role": "assistant", "content": first.content},
        {
            "role": "user",
            "content": [
                {
                    "type": "tool_result",
                    "tool_use_id": first.content[-1].id,
                    "content": "18 C",
                }
            ],
        },
    ]
    again = {"type": "tool_use", "name": "get_weather", "input": {"city": "Bergen"}}
    entry = {
        "match": {"tool_result": "get_weather"},
        "reply": {"content": [{"type": "text", "text": note}, again]},
    }
    with double.script([entry]):
        return client.messages.create(
            model=model, max_tokens=2000, tools=[WEATHER], messages=messages, **fields
        )


LONG_NOTE = "Oslo is 18 C. Bergen is next. It rains more there. I will check it now."


def test_on_opus_5_5_a_note_between_tool_calls_is_a_thinking_block(client, double):
    message = after_a_tool_call(client, double, "claude-opus-5-5", "Now Bergen.")
    assert types(message) == ["thinking", "thinking", "tool_use"]
    assert message.content[1].thinking == ""  # omitted: a streaming UI goes quiet


def test_on_sonnet_5_5_only_a_long_note_becomes_a_thinking_block(client, double):
    short = after_a_tool_call(client, double, MODEL, "Now Bergen.")
    assert types(short) == ["thinking", "text", "tool_use"]
    long = after_a_tool_call(client, double, MODEL, LONG_NOTE)
    assert types(long) == ["thinking", "thinking", "tool_use"]


def test_with_between_tools_the_note_keeps_its_text(client, double):
    message = after_a_tool_call(
        client, double, MODEL, LONG_NOTE, thinking={"type": "between_tools"}
    )
    assert types(message) == ["thinking", "tool_use"]
    assert message.content[0].thinking == LONG_NOTE


# --- blocks sent back ---------------------------------------------------------------


def a_reply_to_send_back(client, double, model=MODEL):
    summarized = {"type": "adaptive", "display": "summarized"}
    message = ask(
        client, double, reply("First answer."), model=model, thinking=summarized
    )
    return [
        *user("double-selftest: think"),
        {"role": "assistant", "content": [b.model_dump() for b in message.content]},
        *user("double-selftest: again"),
    ]


def test_thinking_blocks_sent_back_unchanged_are_accepted(client, double):
    messages = a_reply_to_send_back(client, double)
    with double.script(
        [{"match": {"user": "double-selftest: again"}, "reply": reply("Second.")}]
    ):
        message = client.messages.create(
            model=MODEL, max_tokens=2000, messages=messages
        )
    assert message.content[-1].text == "Second."


def test_a_thinking_block_sent_after_the_system_prompt_changed_is_a_400(
    post, client, double
):
    messages = a_reply_to_send_back(client, double)
    response = post(request(messages=messages, system="A new system prompt."))
    assert_error(
        response,
        400,
        "invalid_request_error",
        "messages.1.content.0: this thinking block was written for a different "
        "conversation",
    )


def test_a_block_from_a_model_that_cannot_be_read_is_dropped(client, double):
    messages = a_reply_to_send_back(client, double, model="claude-opus-5-5")
    without = [
        messages[0],
        {**messages[1], "content": messages[1]["content"][1:]},
        messages[2],
    ]
    counted = client.messages.count_tokens(model=MODEL, messages=without)
    with double.script(
        [{"match": {"user": "double-selftest: again"}, "reply": reply("Second.")}]
    ):
        message = client.messages.create(
            model=MODEL, max_tokens=2000, messages=messages
        )
    assert message.content[-1].text == "Second."
    # Not billed: the request costs what it costs without the block.
    assert message.usage.input_tokens == counted.input_tokens


def test_a_signature_the_api_did_not_write_is_a_400(post):
    forged = {"type": "thinking", "thinking": "", "signature": "made-up"}
    body = request(
        messages=[
            *user("x"),
            {"role": "assistant", "content": [forged, {"type": "text", "text": "y"}]},
            *user("z"),
        ]
    )
    assert_error(
        post(body),
        400,
        "invalid_request_error",
        "messages.1.content.0.signature: Invalid `signature` in `thinking` block",
    )


# --- stop reasons -------------------------------------------------------------------


def test_a_refusal_carries_its_stop_details(client, double):
    refusal = {
        "content": [{"type": "text", "text": "I can't help with that."}],
        "stop_reason": "refusal",
        "stop_details": {"type": "refusal", "category": "cyber", "explanation": None},
    }
    message = ask(client, double, refusal)
    assert message.stop_reason == "refusal"
    assert (message.stop_details.type, message.stop_details.category) == (
        "refusal",
        "cyber",
    )


def test_a_refusal_without_details_gets_empty_ones(client, double):
    refusal = {"content": [{"type": "text", "text": "No."}], "stop_reason": "refusal"}
    details = ask(client, double, refusal).stop_details
    assert (details.category, details.explanation) == (None, None)


def long_prompt(model: str, room: int) -> str:
    """A user text that leaves `room` tokens of the model's context window."""
    window = behaviour.value("limits.context_window", model, VERSION)
    probe = request("double-selftest: window ", model=model)
    overhead = tokens.count_input(probe) - tokens.count_text("double-selftest: window ")
    return "double-selftest: window " + "word " * (window - room - overhead - 3)


def test_a_reply_that_fills_the_window_stops_with_its_own_reason(client, double):
    text = long_prompt("claude-haiku-5-5", room=150)
    counted = client.messages.count_tokens(
        model="claude-haiku-5-5", messages=user(text)
    )
    window = behaviour.value("limits.context_window", "claude-haiku-5-5", VERSION)
    entry = {"match": {"user": "double-selftest: window"}, "reply": reply("ok " * 400)}
    with double.script([entry]):
        message = client.messages.create(
            model="claude-haiku-5-5", max_tokens=4000, messages=user(text)
        )
    assert message.stop_reason == "model_context_window_exceeded"
    assert message.usage.output_tokens == window - counted.input_tokens


def test_a_prompt_longer_than_the_window_is_a_400(post):
    text = long_prompt("claude-haiku-5-5", room=-10)
    response = post(request(text, model="claude-haiku-5-5"))
    assert_error(response, 400, "invalid_request_error", "prompt is too long: ")
    assert response.json()["error"]["message"].endswith(" tokens > 1000000 maximum")


def test_a_later_block_still_binds_after_an_earlier_one_was_dropped(client, double):
    messages = a_reply_to_send_back(client, double, model="claude-opus-5-5")
    with double.script(
        [{"match": {"user": "double-selftest: again"}, "reply": reply("Second.")}]
    ):
        second = client.messages.create(model=MODEL, max_tokens=2000, messages=messages)
    history = [
        *messages,
        {"role": "assistant", "content": [b.model_dump() for b in second.content]},
        *user("double-selftest: third"),
    ]
    with double.script(
        [{"match": {"user": "double-selftest: third"}, "reply": reply("Third.")}]
    ):
        third = client.messages.create(model=MODEL, max_tokens=2000, messages=history)
    assert third.content[-1].text == "Third."
