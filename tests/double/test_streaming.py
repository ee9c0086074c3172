"""Streaming: the real event sequence, read by the SDK's stream helpers and raw."""

import json

import anthropic
import pytest

from tests.double.conftest import MODEL, reply, request, user

TEXT = "Streaming shows the first words early, so the wait feels much shorter."
WEATHER = {
    "name": "get_weather",
    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}},
}
TOOL_CALL = {
    "match": {"user": "double-selftest: stream a tool"},
    "reply": {
        "content": [
            {"type": "text", "text": "Checking the weather."},
            {"type": "tool_use", "name": "get_weather", "input": {"city": "Reykjavik"}},
        ]
    },
}


@pytest.fixture
def scripted(double):
    entries = [{"match": {"user": "double-selftest: stream"}, "reply": reply(TEXT)}]
    with double.script([TOOL_CALL, *entries]):  # the more specific match first
        yield double


def events(response) -> list[tuple[str, dict]]:
    """(event, data) pairs of a raw server-sent event stream."""
    pairs = []
    for frame in response.text.strip().split("\n\n"):
        name, data = frame.split("\n")
        pairs.append(
            (name.removeprefix("event: "), json.loads(data.removeprefix("data: ")))
        )
    return pairs


def test_text_stream_arrives_in_several_chunks(client, scripted):
    with client.messages.stream(
        model=MODEL, max_tokens=1000, messages=user("double-selftest: stream")
    ) as stream:
        chunks = list(stream.text_stream)
    assert len(chunks) > 1
    assert "".join(chunks) == TEXT


def test_final_message_equals_the_non_streaming_reply(client, scripted):
    plain = client.messages.create(
        model=MODEL, max_tokens=1000, messages=user("double-selftest: stream")
    )
    with client.messages.stream(
        model=MODEL, max_tokens=1000, messages=user("double-selftest: stream")
    ) as stream:
        final = stream.get_final_message()
    assert [b.type for b in final.content] == ["thinking", "text"]
    assert final.content[1].text == plain.content[1].text
    assert final.stop_reason == plain.stop_reason == "end_turn"
    assert final.usage.input_tokens == plain.usage.input_tokens
    assert final.usage.output_tokens == plain.usage.output_tokens


def test_raw_event_sequence(post, scripted):
    response = post(request("double-selftest: stream", stream=True))
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["request-id"].startswith("req_")
    sequence = events(response)
    names = [name for name, _ in sequence]
    deltas = names.count("content_block_delta") - 1  # one is the thinking signature
    assert names == [
        "message_start",
        "content_block_start",  # the thinking block, its text omitted
        "ping",
        "content_block_delta",  # its signature_delta, just before its stop
        "content_block_stop",
        "content_block_start",
        *["content_block_delta"] * deltas,
        "content_block_stop",
        "message_delta",
        "message_stop",
    ]
    assert deltas > 1
    assert all(name == data["type"] for name, data in sequence)
    start = sequence[0][1]["message"]
    assert start["content"] == [] and start["stop_reason"] is None
    assert sequence[1][1]["content_block"] == {
        "type": "thinking",
        "thinking": "",
        "signature": "",
    }
    assert sequence[3][1]["delta"]["type"] == "signature_delta"
    message_delta = sequence[-2][1]
    assert message_delta["delta"] == {
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "stop_details": None,
    }
    thought = message_delta["usage"]["output_tokens_details"]["thinking_tokens"]
    assert message_delta["usage"]["output_tokens"] > thought > 0


def test_tool_input_streams_as_partial_json(post, scripted):
    body = request("double-selftest: stream a tool", stream=True, tools=[WEATHER])
    sequence = events(post(body))
    pieces = [
        data["delta"]["partial_json"]
        for _, data in sequence
        if data.get("delta", {}).get("type") == "input_json_delta"
    ]
    assert pieces[0] == ""
    assert len(pieces) > 2
    assert json.loads("".join(pieces)) == {"city": "Reykjavik"}
    started = [d["content_block"] for n, d in sequence if n == "content_block_start"]
    assert [block["type"] for block in started] == ["thinking", "text", "tool_use"]
    assert started[2]["input"] == {} and started[2]["id"].startswith("toolu_")


def test_streamed_tool_use_accumulates(client, scripted):
    with client.messages.stream(
        model=MODEL,
        max_tokens=1000,
        tools=[WEATHER],
        messages=user("double-selftest: stream a tool"),
    ) as stream:
        final = stream.get_final_message()
    assert final.stop_reason == "tool_use"
    assert final.content[2].input == {"city": "Reykjavik"}


def test_thinking_streams_with_a_signature(client, double):
    entry = {
        "match": {"user": "double-selftest: think"},
        "reply": {
            "content": [
                {"type": "thinking", "thinking": "Two plus two."},
                {"type": "text", "text": "4"},
            ]
        },
    }
    with (
        double.script([entry]),
        client.messages.stream(
            model=MODEL,
            max_tokens=2000,
            thinking={"type": "adaptive"},
            messages=user("double-selftest: think"),
        ) as stream,
    ):
        thoughts = [e.thinking for e in stream if e.type == "thinking"]
        final = stream.get_final_message()
    assert "".join(thoughts) == "Two plus two."
    assert final.content[0].thinking == "Two plus two."
    assert final.content[0].signature.startswith("double1.")


def test_a_scripted_error_comes_before_the_stream(client, double):
    error = {"status": 529, "type": "overloaded_error", "message": "Overloaded"}
    entry = {"match": {"user": "double-selftest: stream"}, "error": error}
    with (
        double.script([entry]),
        pytest.raises(anthropic.InternalServerError) as raised,
        client.messages.stream(
            model=MODEL, max_tokens=1000, messages=user("double-selftest: stream")
        ) as stream,
    ):
        stream.get_final_message()
    assert raised.value.status_code == 529
