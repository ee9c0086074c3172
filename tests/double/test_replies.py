"""Replies through the real SDK: text, structured output, tools, limits and errors.

Replies are shaped as the real API shapes them for the model asked (behaviour.yml):
on the Claude 5.5 models a reply starts with a thinking block, whose tokens count as
output. `MODEL` is Sonnet 5.5, which thinks 320 tokens at its default `high` effort
in the double (row `thinking-length`).
"""

import time

import anthropic
import pydantic
import pytest

from tests.double import behaviour, tokens
from tests.double.conftest import MODEL, WEATHER, assert_error, reply, request, user

THOUGHT = behaviour.value("thinking.tokens", MODEL, "2026-10-21")["high"]


def create(client: anthropic.Anthropic, text: str, **fields):
    fields.setdefault("max_tokens", 1000)
    fields.setdefault("model", MODEL)
    return client.messages.create(messages=user(text), **fields)


def types(message) -> list[str]:
    return [block.type for block in message.content]


def test_create_returns_the_scripted_message(client, double):
    entry = {"match": {"user": "double-selftest: hi"}, "reply": reply("Hello there.")}
    with double.script([entry]):
        raw = client.messages.with_raw_response.create(
            model=MODEL, max_tokens=1000, messages=user("double-selftest: hi")
        )
    message = raw.parse()
    thought, text = message.content
    assert (thought.type, thought.thinking) == ("thinking", "")  # display "omitted"
    assert thought.signature.startswith("double1.")
    assert text.text == "Hello there."
    assert message.usage.output_tokens == THOUGHT + tokens.count_text("Hello there.")
    assert message.usage.output_tokens_details.thinking_tokens == THOUGHT
    assert message.stop_details is None
    assert message.id.startswith("msg_")
    assert (message.role, message.type, message.model) == (
        "assistant",
        "message",
        MODEL,
    )
    assert message.stop_reason == "end_turn"
    assert message.stop_sequence is None
    assert message.usage.input_tokens > 0
    assert message.usage.cache_creation_input_tokens == 0
    assert message.usage.cache_read_input_tokens == 0
    assert message.usage.service_tier == "standard"
    assert raw.headers["request-id"].startswith("req_")
    assert raw.headers["content-type"] == "application/json"


def test_a_reply_from_a_yaml_file(client):
    message = create(client, "double-selftest: served from a file")
    assert (
        message.content[-1].text
        == "This reply comes from tests/double/responses/selftest.yml."
    )


def test_requests_are_recorded(client, double):
    create(client, "double-selftest: served from a file", system="Be brief.")
    recorded = double.requests[-1]
    assert recorded.path == "/v1/messages"
    assert recorded.body["system"] == "Be brief."
    assert recorded.headers["anthropic-version"] == "2026-10-21"
    double.reset()
    assert double.requests == []


class Invoice(pydantic.BaseModel):
    vendor: str
    total_eur: float


def test_parse_with_a_pydantic_model(client, double):
    entry = {
        "match": {"user": "double-selftest: invoice"},
        "json": {"vendor": "Nordlicht", "total_eur": 275.5},
    }
    with double.script([entry]):
        message = client.messages.parse(
            model=MODEL,
            max_tokens=1000,
            messages=user("double-selftest: invoice"),
            output_format=Invoice,
        )
    assert types(message) == ["thinking", "text"]
    assert message.parsed_output == Invoice(vendor="Nordlicht", total_eur=275.5)
    schema = double.requests[-1].body["output_config"]["format"]["schema"]
    assert schema["additionalProperties"] is False


def test_json_that_breaks_the_requested_schema_is_a_loud_500(client, double):
    entry = {"match": {"user": "double-selftest: invoice"}, "json": {"vendor": 7}}
    with double.script([entry]), pytest.raises(anthropic.InternalServerError) as raised:
        client.messages.parse(
            model=MODEL,
            max_tokens=1000,
            messages=user("double-selftest: invoice"),
            output_format=Invoice,
        )
    assert "double.script() entry 0" in raised.value.api_message
    assert "does not fit output_config.format.schema" in raised.value.api_message


def test_json_without_output_config_is_one_text_block(client, double):
    entry = {"match": {"user": "double-selftest: json"}, "json": {"ok": True}}
    with double.script([entry]):
        message = create(client, "double-selftest: json")
    assert types(message) == ["thinking", "text"]
    assert message.content[1].text == '{"ok": true}'


def test_tool_use_round_trip(client, double):
    entries = [
        {
            "match": {"user": "double-selftest: weather", "tools": ["get_weather"]},
            "reply": {
                "content": [
                    {"type": "text", "text": "Let me check."},
                    {
                        "type": "tool_use",
                        "name": "get_weather",
                        "input": {"city": "Oslo"},
                    },
                ]
            },
        },
        {
            "match": {"tool_result": "get_weather", "turn": 1},
            "reply": reply("It is 18 C in Oslo."),
        },
    ]
    messages = user("double-selftest: weather in Oslo?")
    with double.script(entries):
        first = client.messages.create(
            model=MODEL, max_tokens=1000, tools=[WEATHER], messages=messages
        )
        assert types(first) == ["thinking", "text", "tool_use"]
        call = first.content[2]
        assert first.stop_reason == "tool_use"
        assert call.id.startswith("toolu_")
        assert (call.name, call.input) == ("get_weather", {"city": "Oslo"})
        messages += [
            {"role": "assistant", "content": first.content},
            {
                "role": "user",
                "content": [
                    {"type": "tool_result", "tool_use_id": call.id, "content": "18 C"}
                ],
            },
        ]
        second = client.messages.create(
            model=MODEL, max_tokens=1000, tools=[WEATHER], messages=messages
        )
    assert types(second) == ["thinking", "text"]
    assert second.content[1].text == "It is 18 C in Oslo."
    # The thinking block went back unchanged, and the API accepted it.
    assert double.requests[-1].body["messages"][1]["content"][0]["signature"] == (
        first.content[0].signature
    )
    assert second.usage.input_tokens > first.usage.input_tokens


def tool_reply(name: str, tool_input: dict, **fields) -> dict:
    block = {"type": "tool_use", "name": name, "input": tool_input}
    return {
        "match": {"user": "double-selftest: tool"},
        "reply": {"content": [block]},
        **fields,
    }


@pytest.mark.parametrize(
    ("entry", "fields", "problem"),
    [
        pytest.param(
            tool_reply("get_time", {}),
            {"tools": [WEATHER]},
            "replies with tool_use 'get_time', but the request offers ['get_weather']",
            id="tool not offered",
        ),
        pytest.param(
            tool_reply("get_weather", {"town": "Oslo"}),
            {"tools": [WEATHER]},
            "input breaks the tool's input_schema: 'city' is a required property",
            id="input breaks schema",
        ),
        pytest.param(
            {"match": {"user": "double-selftest: tool"}, "reply": reply("No tool.")},
            {
                "tools": [WEATHER],
                "tool_choice": {"type": "any"},
                "model": "claude-haiku-5-5",
            },
            "the request forces tool use (tool_choice any)",
            id="tool_choice any",
        ),
        pytest.param(
            tool_reply("get_weather", {"city": "Oslo"}),
            {"tools": [WEATHER], "tool_choice": {"type": "none"}},
            "the request forbids tool use (tool_choice none)",
            id="tool_choice none",
        ),
    ],
)
def test_a_tool_call_the_model_could_not_make_is_a_loud_500(
    client, double, entry, fields, problem
):
    with double.script([entry]), pytest.raises(anthropic.InternalServerError) as raised:
        create(client, "double-selftest: tool", **fields)
    assert raised.value.api_message.startswith("double.script() entry 0: ")
    assert problem in raised.value.api_message


def test_unchecked_replies_reproduce_a_bad_tool_call(client, double):
    entry = tool_reply("get_time", {"zone": 5}, unchecked=True)
    with double.script([entry]):
        message = create(client, "double-selftest: tool", tools=[WEATHER])
    assert types(message) == ["thinking", "tool_use"]
    assert message.content[1].name == "get_time"
    assert message.stop_reason == "tool_use"


def test_a_long_reply_is_cut_at_max_tokens(client, double):
    text = "The quick brown fox jumps over the lazy dog. " * 20
    entry = {"match": {"user": "double-selftest: long"}, "reply": reply(text)}
    with double.script([entry]):
        message = create(client, "double-selftest: long", max_tokens=THOUGHT + 10)
    assert message.stop_reason == "max_tokens"
    assert message.usage.output_tokens == THOUGHT + 10
    assert types(message) == ["thinking", "text"]
    assert message.content[1].text == tokens.truncate_text(text, 10)
    assert tokens.count_text(message.content[1].text) == 10


def test_a_stop_sequence_ends_the_reply(client, double):
    entry = {
        "match": {"user": "double-selftest: stop"},
        "reply": reply("one two END three"),
    }
    with double.script([entry]):
        message = create(client, "double-selftest: stop", stop_sequences=["END"])
    assert types(message) == ["thinking", "text"]
    assert message.content[1].text == "one two "
    assert (message.stop_reason, message.stop_sequence) == ("stop_sequence", "END")


def test_count_tokens_matches_the_usage_of_create(client, double):
    entry = {"match": {"user": "double-selftest: count"}, "reply": reply("ok")}
    fields = {"system": "You count words.", "tools": [WEATHER]}
    with double.script([entry]):
        message = create(client, "double-selftest: count these words", **fields)
    counted = client.messages.count_tokens(
        model=MODEL, messages=user("double-selftest: count these words"), **fields
    )
    assert counted.input_tokens == message.usage.input_tokens


def test_models_are_listed(client):
    ids = [model.id for model in client.models.list()]
    assert MODEL in ids
    assert client.models.retrieve("claude-haiku-5-5").display_name == "Claude Haiku 5.5"


def error_entry(status: int, kind: str, **fields) -> dict:
    error = {"status": status, "type": kind, "message": f"scripted {kind}", **fields}
    return {"match": {"user": "double-selftest: fail"}, "error": error}


@pytest.mark.parametrize(
    ("status", "kind", "exception"),
    [
        (400, "invalid_request_error", anthropic.BadRequestError),
        (401, "authentication_error", anthropic.AuthenticationError),
        (403, "permission_error", anthropic.PermissionDeniedError),
        (404, "not_found_error", anthropic.NotFoundError),
        (413, "request_too_large", anthropic.APIStatusError),
        (429, "rate_limit_error", anthropic.RateLimitError),
        (500, "api_error", anthropic.InternalServerError),
        (529, "overloaded_error", anthropic.InternalServerError),
    ],
)
def test_scripted_errors_raise_the_sdk_exception(
    client, double, status, kind, exception
):
    with double.script([error_entry(status, kind)]), pytest.raises(exception) as raised:
        create(client, "double-selftest: fail")
    assert raised.value.status_code == status
    assert raised.value.type == kind
    assert raised.value.api_message == f"scripted {kind}"


def test_scripted_error_body_has_the_real_shape(post, double):
    with double.script([error_entry(429, "rate_limit_error", retry_after=3)]):
        response = post(request("double-selftest: fail"))
    assert_error(response, 429, "rate_limit_error", "scripted rate_limit_error")
    assert response.headers["retry-after"] == "3"


def test_the_sdk_retries_and_consumes_times(double):
    entries = [
        {**error_entry(429, "rate_limit_error", retry_after=0.01), "times": 2},
        {
            "match": {"user": "double-selftest: fail"},
            "reply": reply("Third time lucky."),
        },
    ]
    retrying = anthropic.Anthropic()  # the default: two retries
    with double.script(entries):
        message = create(retrying, "double-selftest: fail")
    assert message.content[-1].text == "Third time lucky."
    assert len(double.requests) == 3
    assert [r.headers["x-stainless-retry-count"] for r in double.requests] == [
        "0",
        "1",
        "2",
    ]


def test_a_request_nothing_matches_is_a_loud_500_that_is_not_retried(double):
    retrying = anthropic.Anthropic()
    started = time.monotonic()
    with pytest.raises(anthropic.InternalServerError) as raised:
        create(retrying, "double-selftest: nobody scripted this")
    message = raised.value.api_message
    assert "the double has no scripted reply for this request" in message
    assert "'double-selftest: nobody scripted this'" in message
    assert "tests/double/responses/selftest.yml" in message
    assert len(double.requests) == 1
    assert time.monotonic() - started < 1
