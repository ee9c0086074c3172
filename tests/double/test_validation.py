"""Every validation rule: a malformed request gets the real status, type and message.

Bodies go through the SDK's own transport (`client.post`) when the SDK will send
them, and through raw HTTP when it will not (bad JSON, missing headers).
"""

import base64
import socket
from typing import Any

import anthropic
import pytest

from tests.double import behaviour
from tests.double.conftest import (
    MODEL,
    WEATHER,
    assert_error,
    reply,
    request,
    sdk_error,
    user,
)
from tests.model_lifecycle import SDK_DEPRECATED, first_usable, pick_model

OLD_API = "2023-06-01"


def has(key: str, value: object, version: str = "2026-10-21"):
    """A predicate: the model's behaviour row for `key` has `value`."""
    return lambda model: behaviour.value(key, model, version) == value


# Older rules still in force for some model the SDK lists, each taken from the
# lifecycle table (tests/model_lifecycle.py) so a retirement cannot break them.
CAP_64K = first_usable(has("limits.max_output", 64_000))
PREFILL = first_usable(has("prefill", "accepted"))
SAMPLING = first_usable(has("sampling.any_value", True, OLD_API))
BUDGETS = first_usable(
    lambda m: (
        "enabled" in behaviour.value("thinking.types", m, "2026-10-21")["accepted"]
    )
)
FORCED_OK = first_usable(has("tool_choice.forced", "accepted"))


def strict(properties: dict[str, Any]) -> dict[str, Any]:
    """An object schema as structured outputs want it."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def fmt(properties: dict[str, Any]) -> dict[str, Any]:
    return {"format": {"type": "json_schema", "schema": strict(properties)}}


def older(model: str | None, what: str, body: dict[str, Any]) -> dict[str, Any]:
    """`body` for an older model, or a marker that the rule has no model left."""
    return request(model=model, **body) if model else {"skip": what}


TOOL = WEATHER
STRICT_SCHEMA = {
    "type": "object",
    "properties": {"label": {"type": "string"}},
    "required": ["label"],
    "additionalProperties": False,
}


def tool_turns(result_first: bool = True, tool_use_id: str = "toolu_1") -> list:
    """A user question, an assistant tool call, and the user's tool result."""
    result = {"type": "tool_result", "tool_use_id": tool_use_id, "content": "18 C"}
    text = {"type": "text", "text": "Thanks."}
    return [
        *user("double-selftest: weather?"),
        {
            "role": "assistant",
            "content": [
                {
                    "type": "tool_use",
                    "id": "toolu_1",
                    "name": "get_weather",
                    "input": {},
                }
            ],
        },
        {"role": "user", "content": [result, text] if result_first else [text, result]},
    ]


def text_block(text: str, **fields: Any) -> dict[str, Any]:
    return {"type": "text", "text": text, **fields}


CACHE = {"type": "ephemeral"}
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(16)).decode()
PDF = base64.b64encode(b"%PDF-1.4\n%%EOF\n").decode()


def with_media(kind: str, source: dict[str, Any]) -> dict[str, Any]:
    """A request whose user turn carries one image or document block."""
    block = {"type": kind, "source": source}
    return request(messages=[{"role": "user", "content": [block, text_block("?")]}])


def b64(media_type: str, data: str) -> dict[str, Any]:
    return {"type": "base64", "media_type": media_type, "data": data}


INVALID_CREATE = [
    # images and documents ("Vision" and "PDF support")
    ("image type", with_media("image", b64("image/heic", PNG)), "media_type: Input"),
    ("image data", with_media("image", b64("image/png", "no!")), "not valid base64"),
    ("image source", with_media("image", {}), "Input tag 'None' does not match"),
    ("image ftp", with_media("image", {"type": "ftp"}), "Input tag 'ftp'"),
    (
        "image bytes",
        with_media("image", b64("image/png", PDF)),
        "Image does not match the provided media type image/png",
    ),
    (
        "pdf bytes",
        with_media("document", b64("application/pdf", PNG)),
        "The PDF specified was not valid",
    ),
    # top level
    ("extra param", request(colour="blue"), "colour: Extra inputs are not permitted"),
    ("temperature", request(temperature=0.2), "temperature: Extra inputs are not"),
    (
        "model missing",
        {"max_tokens": 5, "messages": user("x")},
        "model: Field required",
    ),
    ("model type", request(model=42), "model: Input should be a valid string"),
    (
        "max_tokens missing",
        {"model": MODEL, "messages": user("x")},
        "max_tokens: Field",
    ),
    (
        "max_tokens type",
        request(max_tokens="10"),
        "max_tokens: Input should be a valid int",
    ),
    ("max_tokens negative", request(max_tokens=-1), "greater than or equal to 0"),
    (
        "max_tokens ceiling",
        request(max_tokens=128_001),
        "128001 > 128000, which is the",
    ),
    (
        "64K ceiling of the 4.5 models",
        older(CAP_64K, "a 64K output cap", {"max_tokens": 64_001}),
        "64001 > 64000, which is the",
    ),
    ("stream type", request(stream="yes"), "stream: Input should be a valid boolean"),
    ("metadata extra", request(metadata={"team": "a"}), "metadata.team: Extra inputs"),
    ("service tier", request(service_tier="fast"), "service_tier: Input should be"),
    ("stop_sequences type", request(stop_sequences="END"), "should be a valid list"),
    (
        "stop_sequence item",
        request(stop_sequences=[1]),
        "stop_sequences.0: Input should",
    ),
    # messages
    ("messages missing", {"model": MODEL, "max_tokens": 5}, "messages: Field required"),
    ("messages type", request(messages={"role": "user"}), "messages: Input should be"),
    ("messages empty", request(messages=[]), "at least one message is required"),
    (
        "message extra",
        request(messages=[{**user("x")[0], "name": "a"}]),
        "Extra inputs",
    ),
    (
        "role",
        request(messages=[{"role": "robot", "content": "x"}]),
        "messages.0.role: Input should be 'user', 'assistant' or 'system'",
    ),
    (
        "content type",
        request(messages=[{"role": "user", "content": 42}]),
        "messages.0.content: Input should be a valid string or list",
    ),
    (
        "empty string content",
        request(messages=[{"role": "user", "content": ""}]),
        "must have non-empty content except for the optional final assistant",
    ),
    (
        "unknown block",
        request(messages=[{"role": "user", "content": [{"type": "video"}]}]),
        "Input tag 'video' found using 'type' does not match any of the expected",
    ),
    (
        "block without type",
        request(messages=[{"role": "user", "content": [{"text": "x"}]}]),
        "Unable to extract tag using discriminator 'type'",
    ),
    (
        "text missing",
        request(messages=[{"role": "user", "content": [{"type": "text"}]}]),
        "messages.0.content.0.text: Field required",
    ),
    (
        "empty text block",
        request(messages=[{"role": "user", "content": [text_block("")]}]),
        "messages: text content blocks must be non-empty",
    ),
    (
        "blank text block",
        request(messages=[{"role": "user", "content": [text_block("  \n")]}]),
        "text content blocks must contain non-whitespace text",
    ),
    (
        "tool_result from the assistant",
        request(
            messages=[
                *user("x"),
                {
                    "role": "assistant",
                    "content": [{"type": "tool_result", "tool_use_id": "toolu_1"}],
                },
                *user("y"),
            ]
        ),
        "`tool_result` blocks can only be in `user` messages",
    ),
    (
        "tool_use from the user",
        request(
            messages=[
                {
                    "role": "user",
                    "content": [
                        {"type": "tool_use", "id": "t", "name": "n", "input": {}}
                    ],
                }
            ]
        ),
        "`tool_use` blocks can only be in `assistant` messages",
    ),
    (
        "tool_result for an unknown tool_use",
        request(tools=[TOOL], messages=tool_turns(tool_use_id="toolu_other")),
        "unexpected `tool_use_id` found in `tool_result` blocks: toolu_other",
    ),
    (
        "tool_use left unanswered",
        request(tools=[TOOL], messages=[*tool_turns()[:2], *user("and now?")]),
        "messages.2: `tool_use` ids were found without `tool_result` blocks "
        "immediately after: toolu_1",
    ),
    (
        "tool_result after text",
        request(tools=[TOOL], messages=tool_turns(result_first=False)),
        "`tool_result` blocks must come first in the user message content",
    ),
    # system
    (
        "system type",
        request(system=42),
        "system: Input should be a valid string or list",
    ),
    (
        "system block type",
        request(system=[{"type": "image", "source": {}}]),
        "system.0.type: Input should be 'text'",
    ),
    ("system empty text", request(system=[text_block("")]), "system: text content"),
    # tools
    (
        "tool name",
        request(tools=[{**TOOL, "name": "get weather"}]),
        "tools.0.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'",
    ),
    (
        "tool name length",
        request(tools=[{**TOOL, "name": "x" * 129}]),
        "String should match pattern",
    ),
    (
        "tool description",
        request(tools=[{**TOOL, "description": 5}]),
        "tools.0.custom.description: Input should be a valid string",
    ),
    (
        "tool without schema",
        request(tools=[{"name": "get_weather"}]),
        "tools.0.custom.input_schema: Field required",
    ),
    (
        "tool schema type",
        request(tools=[{**TOOL, "input_schema": {"type": "array"}}]),
        "tools.0.custom.input_schema.type: Input should be 'object'",
    ),
    (
        "tool schema invalid",
        request(tools=[{**TOOL, "input_schema": {"type": "object", "properties": 5}}]),
        "JSON schema is invalid. It must match JSON Schema draft 2020-12",
    ),
    (
        "strict tool schema",
        request(tools=[{**TOOL, "strict": True}]),
        "'additionalProperties' must be explicitly set to false",
    ),
    (
        "tool extra",
        request(tools=[{**TOOL, "colour": 1}]),
        "custom.colour: Extra inputs",
    ),
    ("tool names unique", request(tools=[TOOL, TOOL]), "Tool names must be unique."),
    (
        "unknown tool type",
        request(tools=[{"type": "teleport_20990101", "name": "t"}]),
        "Input tag 'teleport_20990101' found using 'type'",
    ),
    # tool_choice
    (
        "tool_choice type",
        request(tools=[TOOL], tool_choice={"type": "sometimes"}),
        "tool_choice: Input tag 'sometimes'",
    ),
    (
        "tool_choice tool without name",
        request(tools=[TOOL], tool_choice={"type": "tool"}),
        "tool_choice.name: Field required",
    ),
    (
        "tool_choice names a missing tool",
        request(tools=[TOOL], tool_choice={"type": "tool", "name": "get_time"}),
        "Tool 'get_time' not found in provided tools",
    ),
    (
        "tool_choice without tools",
        request(tool_choice={"type": "any"}),
        "tool_choice may only be specified while providing tools.",
    ),
    # output_config
    (
        "output format type",
        request(output_config={"format": {"type": "json", "schema": STRICT_SCHEMA}}),
        "output_config.format.type: Input should be 'json_schema'",
    ),
    (
        "output format schema missing",
        request(output_config={"format": {"type": "json_schema"}}),
        "output_config.format.schema: Field required",
    ),
    (
        "output format schema invalid",
        request(
            output_config={"format": {"type": "json_schema", "schema": {"type": 5}}}
        ),
        "output_config.format.schema: JSON schema is invalid",
    ),
    (
        "output format additionalProperties",
        request(
            output_config={
                "format": {
                    "type": "json_schema",
                    "schema": {**STRICT_SCHEMA, "additionalProperties": True},
                }
            }
        ),
        "For 'object' type, 'additionalProperties' must be explicitly set to false",
    ),
    (
        "output effort",
        request(output_config={"effort": "extreme"}),
        "output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or",
    ),
    ("output extra", request(output_config={"style": 1}), "output_config.style: Extra"),
    # thinking
    (
        "thinking type",
        request(thinking={"type": "deep"}),
        "thinking: Input tag 'deep' found using 'type'",
    ),
    (
        "thinking budget",
        older(
            BUDGETS,
            "manual thinking budgets",
            {"max_tokens": 4000, "thinking": {"type": "enabled", "budget_tokens": 500}},
        ),
        "budget_tokens: Input should be greater than or equal to 1024",
    ),
    (
        "thinking budget above max_tokens",
        older(
            BUDGETS,
            "manual thinking budgets",
            {
                "max_tokens": 2000,
                "thinking": {"type": "enabled", "budget_tokens": 2000},
            },
        ),
        "`max_tokens` must be greater than `thinking.budget_tokens`",
    ),
    (
        "thinking with forced tool use",
        older(
            FORCED_OK,
            "forced tool use",
            {
                "tools": [TOOL],
                "tool_choice": {"type": "any"},
                "thinking": {"type": "adaptive"},
            },
        ),
        "Thinking may not be enabled when tool_choice forces tool use.",
    ),
    # the Claude 5.5 generation (behaviour.yml, thinking-* and forced-tool-use rows)
    (
        "forced tool use on Sonnet 5.5",
        request(tools=[TOOL], tool_choice={"type": "any"}),
        'tool_choice: type "tool" and "any" are not supported for this model.',
    ),
    (
        "a named tool forced on Opus 5.5",
        request(
            model="claude-opus-5-5",
            tools=[TOOL],
            tool_choice={"type": "tool", "name": "get_weather"},
        ),
        'tool_choice: type "tool" and "any" are not supported for this model.',
    ),
    (
        "thinking disabled on Sonnet 5.5",
        request(thinking={"type": "disabled"}),
        'To turn thinking off on this model, send "thinking": {"type": '
        '"between_tools"} instead of {"type": "disabled"}.',
    ),
    (
        "a budget on Opus 5.5",
        request(
            model="claude-opus-5-5",
            max_tokens=4000,
            thinking={"type": "enabled", "budget_tokens": 2000},
        ),
        '"thinking.type.enabled" is not supported for this model. Use '
        '"thinking.type.adaptive" and "output_config.effort" to control thinking '
        "behavior.",
    ),
    (
        "thinking disabled on Opus 5.5",
        request(model="claude-opus-5-5", thinking={"type": "disabled"}),
        '"thinking.type.disabled" is not supported for this model.',
    ),
    (
        "a budget on Haiku 5.5",
        request(
            model="claude-haiku-5-5",
            max_tokens=4000,
            thinking={"type": "enabled", "budget_tokens": 2000},
        ),
        "Manual thinking budgets are not supported for this model.",
    ),
    (
        "thinking disabled on Haiku 5.5 above high effort",
        request(
            model="claude-haiku-5-5",
            thinking={"type": "disabled"},
            output_config={"effort": "xhigh"},
        ),
        '"thinking.type.disabled" is supported at effort "high" or below on this '
        'model, not "xhigh".',
    ),
    (
        "between_tools at max effort",
        request(thinking={"type": "between_tools"}, output_config={"effort": "max"}),
        '"thinking.type.between_tools" is supported at effort low, medium, high, '
        "not 'max'.",
    ),
    (
        "between_tools with a display",
        request(thinking={"type": "between_tools", "display": "omitted"}),
        "thinking.display: Extra inputs are not permitted",
    ),
    (
        "between_tools on Opus 5.5",
        request(model="claude-opus-5-5", thinking={"type": "between_tools"}),
        '"thinking.type.between_tools" is not supported for this model.',
    ),
    # structured outputs: the JSON Schema subset (row structured-unsupported-keywords)
    (
        "a numerical constraint",
        request(output_config=fmt({"n": {"type": "integer", "minimum": 1}})),
        "output_config.format.schema: `minimum` is not supported in structured outputs",
    ),
    (
        "a string length constraint in a strict tool",
        request(
            tools=[
                {
                    **TOOL,
                    "strict": True,
                    "input_schema": strict(
                        {"city": {"type": "string", "maxLength": 9}}
                    ),
                }
            ]
        ),
        "tools.0.custom.input_schema: `maxLength` is not supported in structured "
        "outputs",
    ),
    (
        "minItems above one",
        request(
            output_config=fmt(
                {"xs": {"type": "array", "items": {"type": "string"}, "minItems": 2}}
            )
        ),
        "`minItems` of 2 is not supported in structured outputs (only 0 or 1)",
    ),
    (
        "a complex enum value",
        request(output_config=fmt({"x": {"enum": [{"a": 1}]}})),
        "`enum` values must be strings, numbers, booleans or null",
    ),
    (
        "an external $ref",
        request(output_config=fmt({"x": {"$ref": "https://example.com/s.json"}})),
        "external `$ref` is not supported: https://example.com/s.json",
    ),
    (
        "a recursive schema",
        request(
            output_config={
                "format": {
                    "type": "json_schema",
                    "schema": {
                        **strict({"root": {"$ref": "#/$defs/Node"}}),
                        "$defs": {
                            "Node": strict(
                                {
                                    "kids": {
                                        "type": "array",
                                        "items": {"$ref": "#/$defs/Node"},
                                    }
                                }
                            )
                        },
                    },
                }
            }
        ),
        "Too many recursive definitions in schema",
    ),
    # API version 2026-10-21 (migration guide)
    (
        "a document in an assistant turn",
        request(
            messages=[
                *user("x"),
                {
                    "role": "assistant",
                    "content": [
                        {
                            "type": "document",
                            "source": {
                                "type": "text",
                                "media_type": "text/plain",
                                "data": "A note.",
                            },
                        }
                    ],
                },
                *user("y"),
            ]
        ),
        "messages.1.content.0: `document` blocks cannot be placed directly in "
        "`assistant` messages in API version 2026-10-21",
    ),
    (
        "citations in a user's text",
        request(
            messages=[
                {
                    "role": "user",
                    "content": [
                        text_block(
                            "As the doc says.",
                            citations=[
                                {
                                    "type": "char_location",
                                    "cited_text": "doc",
                                    "document_index": 0,
                                    "start_char_index": 0,
                                    "end_char_index": 3,
                                }
                            ],
                        )
                    ],
                }
            ]
        ),
        "messages.0.content.0.citations: `citations` on a user `text` block must be "
        "empty in API version 2026-10-21",
    ),
    # prompt caching
    (
        "cache_control type",
        request(system=[text_block("s", cache_control={"type": "forever"})]),
        "system.0.cache_control.type: Input should be 'ephemeral'",
    ),
    (
        "cache_control ttl",
        request(cache_control={"type": "ephemeral", "ttl": "10m"}),
        "cache_control.ttl: Input should be '5m' or '1h'",
    ),
    (
        "five breakpoints",
        request(
            cache_control=CACHE,
            system=[text_block(f"s{i}", cache_control=CACHE) for i in range(4)],
        ),
        "A maximum of 4 blocks with cache_control may be provided. Found 5.",
    ),
    # prefill
    (
        "prefill on a 4.6+ model",
        request(messages=[*user("x"), {"role": "assistant", "content": "{"}]),
        "This model does not support assistant message prefill. The conversation "
        "must end with a user message.",
    ),
    (
        "prefill with structured outputs",
        older(
            PREFILL,
            "prefill",
            {
                "messages": [*user("x"), {"role": "assistant", "content": "{"}],
                "output_config": {
                    "format": {"type": "json_schema", "schema": STRICT_SCHEMA}
                },
            },
        ),
        "Prefilling assistant messages is not supported with structured outputs.",
    ),
    (
        "prefill with thinking",
        older(
            PREFILL,
            "prefill",
            {
                "max_tokens": 4000,
                "messages": [*user("x"), {"role": "assistant", "content": "Sure"}],
                "thinking": {"type": "enabled", "budget_tokens": 1024},
            },
        ),
        "Expected `thinking` or `redacted_thinking`, but found `text`",
    ),
]


@pytest.mark.parametrize(
    ("body", "message"),
    [pytest.param(body, message, id=name) for name, body, message in INVALID_CREATE],
)
def test_invalid_create_is_a_400(client, body, message):
    if "skip" in body:
        pytest.skip(f"no usable model has {body['skip']} any more; the rule is history")
    error = sdk_error(client, body)
    assert isinstance(error, anthropic.BadRequestError)
    assert error.type == "invalid_request_error"
    assert message in error.api_message


def test_unknown_model_is_a_404_not_found(client):
    with pytest.raises(anthropic.NotFoundError) as raised:
        client.messages.create(model="claude-nope", max_tokens=5, messages=user("x"))
    assert raised.value.type == "not_found_error"
    assert raised.value.api_message == "model: claude-nope"


def test_invalid_api_key_is_a_401(double):
    bad = anthropic.Anthropic(api_key="invalid-key", max_retries=0)
    with pytest.raises(anthropic.AuthenticationError) as raised:
        bad.messages.create(model=MODEL, max_tokens=5, messages=user("x"))
    assert raised.value.api_message == "invalid x-api-key"


def test_missing_api_key_is_a_401(post):
    response = post(request(), headers={"x-api-key": None})
    assert_error(response, 401, "authentication_error", "x-api-key header is required")


def test_the_key_may_come_as_x_api_key_or_bearer(post, double):
    with double.script(
        [{"match": {"user": "double-selftest: key"}, "reply": reply("ok")}]
    ):
        assert post(request("double-selftest: key")).status_code == 200
        bearer = {"x-api-key": None, "authorization": "Bearer some-key"}
        assert post(request("double-selftest: key"), headers=bearer).status_code == 200


def test_missing_anthropic_version_is_a_400(post):
    response = post(request(), headers={"anthropic-version": None})
    assert_error(response, 400, "invalid_request_error", "anthropic-version: header")


def test_body_that_is_not_json_is_a_400(post):
    response = post(b'{"model": "claude-sonnet-5-5",')
    assert_error(response, 400, "invalid_request_error", "not valid JSON")


def test_body_that_is_not_an_object_is_a_400(post):
    response = post([request()])
    assert_error(response, 400, "invalid_request_error", "valid dictionary")


def test_body_over_32_mb_is_a_413(double):
    host, port = double.base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as connection:
        connection.sendall(
            b"POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 40000000\r\n\r\n"
        )
        answer = b""
        while chunk := connection.recv(65536):  # the double closes the connection
            answer += chunk
    answer = answer.decode()
    assert answer.startswith("HTTP/1.1 413")
    assert '"type": "request_too_large"' in answer


def test_unknown_path_is_a_404(post):
    assert_error(post(request(), path="/v1/complete"), 404, "not_found_error", "Not")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(
            request(model="claude-sonnet-5-5", temperature=0.2),
            "`temperature` is deprecated for this model.",
            id="deprecated on new models",
        ),
        pytest.param(
            request(model="claude-sonnet-5-5", top_k=5),
            "`top_k` is deprecated for this model.",
            id="top_k on new models",
        ),
        pytest.param(
            older(SAMPLING, "sampling", {"temperature": 1.5}),
            "temperature: Input should be less than or equal to 1",
            id="temperature range",
        ),
        pytest.param(
            older(SAMPLING, "sampling", {"top_p": -0.1}),
            "top_p: Input should be greater than or equal to 0",
            id="top_p range",
        ),
        pytest.param(
            older(SAMPLING, "sampling", {"top_k": -1}),
            "top_k: Input should be greater than or equal to 0",
            id="top_k range",
        ),
        pytest.param(
            older(SAMPLING, "sampling", {"temperature": 0.5, "top_p": 0.9}),
            "`temperature` and `top_p` cannot both be specified for this model.",
            id="temperature with top_p",
        ),
    ],
)
def test_sampling_rules_of_older_api_versions(post, body, message):
    if "skip" in body:
        pytest.skip(f"no usable model has {body['skip']} any more; the rule is history")
    response = post(body, headers={"anthropic-version": OLD_API})
    assert_error(response, 400, "invalid_request_error", message)


def test_an_unknown_api_version_is_a_400(post):
    response = post(request(), headers={"anthropic-version": "2026-13-01"})
    assert_error(
        response,
        400,
        "invalid_request_error",
        "Unexpected value `2026-13-01` for the `anthropic-version` header. Known "
        "versions: 2023-01-01, 2023-06-01, 2026-10-21.",
    )


def test_the_sampling_parameters_are_gone_in_2026_10_21(post):
    response = post(request(temperature=1))
    assert_error(
        response, 400, "invalid_request_error", "temperature: Extra inputs are not"
    )


def test_older_api_version_accepts_the_default_temperature(post, double):
    entry = {"match": {"user": "double-selftest: warm"}, "reply": reply("ok")}
    with double.script([entry]):
        body = request("double-selftest: warm", temperature=1)
        response = post(body, headers={"anthropic-version": "2023-06-01"})
    assert response.status_code == 200


def test_prefill_works_on_the_4_5_models(client, double):
    model = pick_model(has("prefill", "accepted"), "prefill")
    entry = {"match": {"user": "double-selftest: prefill"}, "reply": reply("B)")}
    with double.script([entry]):
        message = client.messages.create(
            model=model,
            max_tokens=5,
            messages=[
                *user("double-selftest: prefill"),
                {"role": "assistant", "content": "The answer is ("},
            ],
        )
    assert message.content[0].text == "B)"


def test_deprecated_model_answers_with_a_warning_header(client, double, caplog):
    if not SDK_DEPRECATED:
        pytest.skip("the installed SDK marks no model deprecated")
    model, end = next(iter(SDK_DEPRECATED.items()))
    entry = {"match": {"user": "double-selftest: old model"}, "reply": reply("ok")}
    with double.script([entry]), pytest.warns(DeprecationWarning):
        response = client.messages.with_raw_response.create(
            model=model,
            max_tokens=500,
            messages=user("double-selftest: old model"),
        )
    assert response.parse().content[-1].text == "ok"
    note = f"The model '{model}' is deprecated and will reach end-of-life on {end}."
    assert response.headers["warning"] == f'299 - "{note}"'
    assert note in caplog.text


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(request(), "max_tokens: Extra inputs are not permitted", id="max"),
        pytest.param({"model": MODEL}, "messages: Field required", id="messages"),
        pytest.param(
            {"model": MODEL, "messages": user("x"), "stream": True},
            "stream: Extra inputs are not permitted",
            id="stream",
        ),
    ],
)
def test_invalid_count_tokens_is_a_400(client, body, message):
    error = sdk_error(client, body, path="/v1/messages/count_tokens")
    assert error.status_code == 400
    assert message in error.api_message


def test_count_tokens_knows_the_models_too(client):
    with pytest.raises(anthropic.NotFoundError):
        client.messages.count_tokens(model="claude-nope", messages=user("x"))
