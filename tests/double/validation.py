"""Request validation: refuse what the real Messages API refuses, the way it does.

Which fields exist, which are required and which tags a union accepts comes from
the SDK's request types (see `shapes.py`), so the double follows the SDK it is
tested with. Rules that the types cannot express come from the API docs; each says
where. Messages copy the API's wording where it is known.
"""

import base64
import binascii
import json
import re
from collections.abc import Mapping
from typing import Any

from jsonschema import Draft202012Validator, SchemaError

from . import behaviour, models, thinking, tokens
from .errors import ApiError, invalid
from .shapes import BETA, STANDARD, Api

MAX_BODY_BYTES = 32 * 1024 * 1024  # Errors page: "32 MB for standard API endpoints"
MAX_BATCH_BYTES = 256 * 1024 * 1024  # "Batch processing": 256 MB per batch
MAX_BATCH_REQUESTS = 100_000  # Batches reference: `requests` maxItems
CUSTOM_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")  # Batches reference: `custom_id`
INVALID_KEY = "invalid-key"  # the one API key the double refuses, to test 401s
SAMPLING_PARAMS = ("temperature", "top_p", "top_k")
TOOL_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,128}$")  # "Tool use" reference: `name`
FORCED_TOOL_CHOICES = ("any", "tool")
THREADS_BETA = "message-threads-2026-08-12"  # "Message threads" page


# --- small checks with pydantic-style messages (what the API answers) -------------

_KINDS = {
    str: "a valid string",
    int: "a valid integer",
    bool: "a valid boolean",
    dict: "a valid dictionary",
    list: "a valid list",
}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _expect(value: Any, kind: type, loc: str) -> None:
    ok = _is_int(value) if kind is int else isinstance(value, kind)
    if not ok:
        raise invalid(f"{loc}: Input should be {_KINDS[kind]}")


def _join(*parts: object) -> str:
    return ".".join(str(p) for p in parts if p != "")


def _required(obj: Mapping[str, Any], keys: tuple[str, ...], loc: str) -> None:
    for key in keys:
        if key not in obj:
            raise invalid(f"{_join(loc, key)}: Field required")


def _no_extras(obj: Mapping[str, Any], allowed: set[str], loc: str) -> None:
    for key in obj:
        if key not in allowed:
            raise invalid(f"{_join(loc, key)}: Extra inputs are not permitted")


def _one_of(value: Any, options: tuple[Any, ...], loc: str) -> None:
    if value not in options:
        quoted = [f"'{o}'" for o in options]
        choices = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1])
        if len(quoted) > 1:
            choices += f" or {quoted[-1]}"
        raise invalid(f"{loc}: Input should be {choices}")


def _tag(obj: Any, shapes: dict[str, Any], loc: str) -> str:
    """Check a tagged object's `type`, required and unknown fields; return the tag."""
    _expect(obj, dict, loc)
    if "type" not in obj:
        raise invalid(f"{loc}: Unable to extract tag using discriminator 'type'")
    tag = obj["type"]
    if tag not in shapes:
        expected = ", ".join(f"'{t}'" for t in shapes)
        raise invalid(
            f"{loc}: Input tag '{tag}' found using 'type' does not match any of "
            f"the expected tags: {expected}"
        )
    required, fields = shapes[tag]
    _required(obj, required, loc)
    _no_extras(obj, fields, loc)
    return tag


def _cache_control(value: Any, loc: str) -> None:
    if value is None:
        return
    _expect(value, dict, loc)
    _required(value, ("type",), loc)
    _no_extras(value, {"type", "ttl"}, loc)
    _one_of(value["type"], ("ephemeral",), f"{loc}.type")
    if "ttl" in value:
        _one_of(value["ttl"], ("5m", "1h"), f"{loc}.ttl")


def _text(text: Any, loc: str) -> None:
    _expect(text, str, f"{loc}.text")
    area = loc.split(".")[0]
    if not text:
        raise invalid(f"{area}: text content blocks must be non-empty")
    if not text.strip():
        raise invalid(f"{area}: text content blocks must contain non-whitespace text")


def _block(block: Any, loc: str, shapes: dict[str, Any], api: Api) -> None:
    tag = _tag(block, shapes, loc)
    _cache_control(block.get("cache_control"), f"{loc}.cache_control")
    if tag == "text":
        _text(block["text"], loc)
    elif tag == "tool_use":
        _expect(block["id"], str, f"{loc}.id")
        _expect(block["name"], str, f"{loc}.name")
        _expect(block["input"], dict, f"{loc}.input")
    elif tag == "tool_result":
        _expect(block["tool_use_id"], str, f"{loc}.tool_use_id")
        content = block.get("content", "")
        if not isinstance(content, (str, list)):
            raise invalid(f"{loc}.content: Input should be a valid string or list")
        for j, part in enumerate(content if isinstance(content, list) else []):
            _block(part, f"{loc}.content.{j}", api.tool_result_blocks, api)
    elif tag in ("image", "document"):
        _source(tag, block["source"], f"{loc}.source")


# What the API accepts as an image or a document ("Vision" and "PDF support" pages),
# with the first bytes each format must start with.
IMAGE_TYPES = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
}
SOURCE_TYPES = {
    "image": {"base64", "url", "file"},
    "document": {"base64", "text", "content", "url", "file"},
}


def _source(tag: str, source: Any, loc: str) -> None:
    """An image or document source: its type, media type and that the data is real."""
    _expect(source, dict, loc)
    kind = source.get("type")
    if kind not in SOURCE_TYPES[tag]:
        allowed = ", ".join(f"'{t}'" for t in sorted(SOURCE_TYPES[tag]))
        raise invalid(f"{loc}.type: Input tag '{kind}' does not match any of {allowed}")
    if kind == "url":
        _expect(source.get("url"), str, f"{loc}.url")
    elif kind == "file":
        _expect(source.get("file_id"), str, f"{loc}.file_id")
    elif kind == "text":
        _expect(source.get("data"), str, f"{loc}.data")
    elif kind == "content":
        if not isinstance(source.get("content"), (str, list)):
            raise invalid(f"{loc}.content: Input should be a valid string or list")
    else:
        _base64(tag, source, loc)


def _base64(tag: str, source: dict[str, Any], loc: str) -> None:
    media_type = source.get("media_type")
    allowed = IMAGE_TYPES if tag == "image" else {"application/pdf": (b"%PDF-",)}
    if media_type not in allowed:
        names = ", ".join(f"'{m}'" for m in allowed)
        raise invalid(f"{loc}.media_type: Input should be {names}")
    try:
        data = base64.b64decode(source.get("data") or "", validate=True)
    except (binascii.Error, TypeError):
        raise invalid(f"{loc}.data: the data is not valid base64") from None
    if not data:
        raise invalid(f"{loc}.data: the {tag} is empty")
    if not data.startswith(allowed[media_type]):
        if tag == "image":
            raise invalid(f"Image does not match the provided media type {media_type}")
        raise invalid("The PDF specified was not valid.")


def blocks(message: dict[str, Any]) -> list[dict[str, Any]]:
    """A message's content as a list of blocks (a string is one text block)."""
    content = message["content"]
    return [{"type": "text", "text": content}] if isinstance(content, str) else content


# --- the parts of a request -------------------------------------------------------


def check_headers(headers: Mapping[str, str]) -> None:
    """Authentication, then the version header (Errors page; "Versions" page).

    The API key may come as `x-api-key` or as `Authorization: Bearer` (what the
    SDK 2.x sends). The version must be one the API knows (`api.versions`).
    """
    bearer = headers.get("authorization", "")
    key = headers.get("x-api-key") or bearer.removeprefix("Bearer ").strip()
    if not key:
        raise ApiError(401, "authentication_error", "x-api-key header is required")
    if key == INVALID_KEY:
        raise ApiError(401, "authentication_error", "invalid x-api-key")
    version = headers.get("anthropic-version")
    if not version:
        raise invalid("anthropic-version: header is required")
    known = behaviour.value("api.versions", "*", version)
    if version not in known:
        raise invalid(
            f"Unexpected value `{version}` for the `anthropic-version` header. "
            f"Known versions: {', '.join(known)}. Please consult our documentation "
            "at docs.claude.com."
        )


def version_of(headers: Mapping[str, str]) -> str:
    return headers["anthropic-version"]


def parse_body(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw)
    except ValueError as error:
        raise invalid(f"The request body is not valid JSON: {error}") from None
    if not isinstance(body, dict):
        raise invalid(
            "Input should be a valid dictionary or object to extract fields from"
        )
    return body


def _model(body: dict[str, Any]) -> None:
    _required(body, ("model",), "")
    _expect(body["model"], str, "model")


def _known_model(model: str) -> None:
    if model not in models.KNOWN_MODELS:
        raise ApiError(404, "not_found_error", f"model: {model}")


def _messages(body: dict[str, Any], api: Api) -> list[dict[str, Any]]:
    _required(body, ("messages",), "")
    messages = body["messages"]
    _expect(messages, list, "messages")
    if not messages:
        raise invalid("messages: at least one message is required")
    for i, message in enumerate(messages):
        loc = f"messages.{i}"
        _expect(message, dict, loc)
        _required(message, ("role", "content"), loc)
        _no_extras(message, {"role", "content"}, loc)
        _one_of(message["role"], api.roles, f"{loc}.role")
        content = message["content"]
        if not isinstance(content, (str, list)):
            raise invalid(f"{loc}.content: Input should be a valid string or list")
        final_assistant = i == len(messages) - 1 and message["role"] == "assistant"
        if not content and not final_assistant:
            raise invalid(
                f"{loc}: all messages must have non-empty content except for the "
                "optional final assistant message"
            )
        if isinstance(content, str):
            continue
        system = message["role"] == "system"
        shapes = {"text": api.text_block} if system else api.blocks
        for j, block in enumerate(content):
            _block(block, f"{loc}.content.{j}", shapes, api)
            _placement(block["type"], message["role"], f"{loc}.content.{j}")
    return messages


def _placement(tag: str, role: str, loc: str) -> None:
    """`tool_use` comes from the assistant, `tool_result` from the user."""
    if tag == "tool_result" and role != "user":
        raise invalid(f"{loc}: `tool_result` blocks can only be in `user` messages")
    if tag == "tool_use" and role != "assistant":
        raise invalid(f"{loc}: `tool_use` blocks can only be in `assistant` messages")


def _tool_pairing(messages: list[dict[str, Any]]) -> None:
    """Every `tool_result` answers a `tool_use` of the message before it and comes
    first in its message; every `tool_use` is answered in the very next message
    ("How tool use works", "Handle tool calls").
    """
    for i, message in enumerate(messages):
        if message["role"] == "user":
            _tool_results(messages, i)
    for i, message in enumerate(messages[:-1]):
        if message["role"] != "assistant":
            continue
        answered = {
            b["tool_use_id"]
            for b in blocks(messages[i + 1])
            if b["type"] == "tool_result"
        }
        missing = [
            b["id"]
            for b in blocks(message)
            if b["type"] == "tool_use" and b["id"] not in answered
        ]
        if missing:
            raise invalid(
                f"messages.{i + 1}: `tool_use` ids were found without "
                f"`tool_result` blocks immediately after: {', '.join(missing)}. "
                "Each `tool_use` block must have a corresponding `tool_result` "
                "block in the next message."
            )


def _tool_results(messages: list[dict[str, Any]], i: int) -> None:
    content = blocks(messages[i])
    results = [j for j, b in enumerate(content) if b["type"] == "tool_result"]
    if not results:
        return
    other = [j for j, b in enumerate(content) if b["type"] != "tool_result"]
    if other and other[0] < results[-1]:
        raise invalid(
            f"messages.{i}.content.{results[-1]}: `tool_result` blocks must "
            "come first in the user message content, before any other content"
        )
    previous = messages[i - 1] if i > 0 else {"role": "user", "content": []}
    used = set()
    if previous["role"] == "assistant":
        used = {b["id"] for b in blocks(previous) if b["type"] == "tool_use"}
    for j in results:
        if content[j]["tool_use_id"] not in used:
            raise invalid(
                f"messages.{i}.content.{j}: unexpected `tool_use_id` found in "
                f"`tool_result` blocks: {content[j]['tool_use_id']}. Each "
                "`tool_result` block must have a corresponding `tool_use` "
                "block in the previous message."
            )


def _system(body: dict[str, Any], api: Api) -> None:
    system = body.get("system")
    if system is None or isinstance(system, str):
        return
    if not isinstance(system, list):
        raise invalid("system: Input should be a valid string or list")
    for i, block in enumerate(system):
        _expect(block, dict, f"system.{i}")
        _one_of(block.get("type"), ("text",), f"system.{i}.type")
        _block(block, f"system.{i}", {"text": api.text_block}, api)


def _schema(schema: Any, loc: str, what: str) -> None:
    _expect(schema, dict, loc)
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError:
        raise invalid(
            f"{loc}: JSON schema is invalid. It must match JSON Schema draft 2020-12 "
            f"(https://json-schema.org/draft/2020-12). Learn more about {what}."
        ) from None


def _strict_schema(schema: Any, loc: str, model: str = "*") -> None:
    """Structured outputs: the JSON Schema subset the API accepts (row
    `structured-unsupported-keywords`), and `additionalProperties: false` on every
    object."""
    unsupported = set(behaviour.value("structured.unsupported", model, "*"))
    _subset(schema, loc, unsupported, schema, ())


def _subset(
    node: Any, loc: str, unsupported: set[str], root: Any, refs: tuple[str, ...]
) -> None:
    if isinstance(node, list):
        for item in node:
            _subset(item, loc, unsupported, root, refs)
        return
    if not isinstance(node, dict):
        return
    for keyword in sorted(unsupported & set(node)):
        raise invalid(f"{loc}: `{keyword}` is not supported in structured outputs")
    if node.get("minItems", 0) not in (0, 1):
        raise invalid(
            f"{loc}: `minItems` of {node['minItems']} is not supported in structured "
            "outputs (only 0 or 1)"
        )
    if any(isinstance(value, (dict, list)) for value in node.get("enum") or []):
        raise invalid(
            f"{loc}: `enum` values must be strings, numbers, booleans or null"
        )
    kinds = node.get("type")
    is_object = kinds == "object" or (isinstance(kinds, list) and "object" in kinds)
    if is_object and node.get("additionalProperties") is not False:
        raise invalid(
            f"{loc}: For 'object' type, 'additionalProperties' must be explicitly "
            "set to false"
        )
    ref = node.get("$ref")
    if isinstance(ref, str):
        if not ref.startswith("#"):
            raise invalid(f"{loc}: external `$ref` is not supported: {ref}")
        if ref in refs:
            raise invalid("Too many recursive definitions in schema")
        _subset(_resolve(root, ref), loc, unsupported, root, (*refs, ref))
    for key in ("properties", "$defs", "definitions"):
        for sub in (node.get(key) or {}).values():
            _subset(sub, loc, unsupported, root, refs)
    for key in ("items", "prefixItems", "anyOf", "allOf", "oneOf", "not"):
        _subset(node.get(key), loc, unsupported, root, refs)


def _resolve(root: Any, ref: str) -> Any:
    """The node a local `$ref` (`#/$defs/Name`) points at, or None."""
    node = root
    for part in ref.removeprefix("#").strip("/").split("/"):
        if not part:
            continue
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _tools(body: dict[str, Any], api: Api) -> list[str]:
    """Check `tools`; return the names offered."""
    tools = body.get("tools")
    if tools is None:
        return []
    _expect(tools, list, "tools")
    names = []
    for i, tool in enumerate(tools):
        loc = f"tools.{i}"
        _expect(tool, dict, loc)
        if tool.get("type") in (None, "custom"):
            loc += ".custom"
            _required(tool, api.custom_tool[0], loc)
            _no_extras(tool, api.custom_tool[1], loc)
            _expect(tool["name"], str, f"{loc}.name")
            if not TOOL_NAME.match(tool["name"]):
                raise invalid(
                    f"{loc}.name: String should match pattern '{TOOL_NAME.pattern}'"
                )
            if "description" in tool:
                _expect(tool["description"], str, f"{loc}.description")
            schema = tool["input_schema"]
            _expect(schema, dict, f"{loc}.input_schema")
            _one_of(schema.get("type"), ("object",), f"{loc}.input_schema.type")
            _schema(
                schema,
                f"{loc}.input_schema",
                "tool use at https://docs.claude.com/en/docs/tool-use",
            )
            if tool.get("strict") is True:  # the structured-outputs rules apply
                _strict_schema(schema, f"{loc}.input_schema", body["model"])
        else:
            _tag(tool, api.tools, loc)
        _cache_control(tool.get("cache_control"), f"{loc}.cache_control")
        names.append(tool["name"])
    if len(set(names)) != len(names):
        raise invalid("tools: Tool names must be unique.")
    return names


def _tool_choice(body: dict[str, Any], names: list[str], api: Api) -> None:
    choice = body.get("tool_choice")
    if choice is None:
        return
    tag = _tag(choice, api.tool_choices, "tool_choice")
    if "disable_parallel_tool_use" in choice:
        _expect(
            choice["disable_parallel_tool_use"],
            bool,
            f"tool_choice.{tag}.disable_parallel_tool_use",
        )
    if tag in FORCED_TOOL_CHOICES and not names:
        raise invalid("tool_choice may only be specified while providing tools.")
    if tag == "tool":
        _expect(choice["name"], str, "tool_choice.tool.name")
        if choice["name"] not in names:
            raise invalid(
                f"tool_choice.tool.name: Tool '{choice['name']}' not found in "
                "provided tools"
            )


def thinking_on(body: dict[str, Any]) -> bool:
    return (body.get("thinking") or {}).get("type") in ("enabled", "adaptive")


def _thinking(body: dict[str, Any], api: Api, version: str) -> None:
    """Shape from the SDK; rules from "Extended thinking" (budget >= 1024, < max_tokens,
    no forced tool use while thinking)."""
    thinking = body.get("thinking")
    if thinking is None:
        return
    tag = _tag(thinking, api.thinking, "thinking")
    if "display" in thinking and thinking["display"] is not None:
        _one_of(
            thinking["display"], ("summarized", "omitted"), f"thinking.{tag}.display"
        )
    if tag == "enabled":
        budget = thinking["budget_tokens"]
        _expect(budget, int, "thinking.enabled.budget_tokens")
        if budget < 1024:
            raise invalid(
                "thinking.enabled.budget_tokens: Input should be greater than or "
                "equal to 1024"
            )
        if _is_int(body.get("max_tokens")) and budget >= body["max_tokens"]:
            raise invalid(
                "`max_tokens` must be greater than `thinking.budget_tokens`. Please "
                "consult our documentation at https://docs.claude.com/en/docs/"
                "build-with-claude/extended-thinking#max-tokens-and-context-window-size"
            )
    choice = (body.get("tool_choice") or {}).get("type")
    forced = behaviour.value("tool_choice.forced", body["model"], version)
    if thinking_on(body) and choice in FORCED_TOOL_CHOICES and forced == "accepted":
        raise invalid("Thinking may not be enabled when tool_choice forces tool use.")


def output_format(body: dict[str, Any]) -> dict[str, Any] | None:
    return (body.get("output_config") or {}).get("format")


def _output_config(body: dict[str, Any], api: Api) -> None:
    config = body.get("output_config")
    if config is None:
        return
    _expect(config, dict, "output_config")
    _no_extras(config, api.output_config[1], "output_config")
    if config.get("effort") is not None:
        _one_of(config["effort"], api.efforts, "output_config.effort")
    fmt = config.get("format")
    if fmt is None:
        return
    _expect(fmt, dict, "output_config.format")
    _required(fmt, api.output_format[0], "output_config.format")
    _no_extras(fmt, api.output_format[1], "output_config.format")
    _one_of(fmt["type"], ("json_schema",), "output_config.format.type")
    _schema(fmt["schema"], "output_config.format.schema", "structured outputs")
    _strict_schema(fmt["schema"], "output_config.format.schema", body["model"])


def _cache_breakpoints(body: dict[str, Any]) -> None:
    """At most four `cache_control` breakpoints, the top-level one included."""
    found = sum(1 for tool in body.get("tools") or [] if tool.get("cache_control"))
    system = body.get("system")
    if isinstance(system, list):
        found += sum(1 for block in system if block.get("cache_control"))
    for message in body["messages"]:
        for block in blocks(message):
            found += 1 if block.get("cache_control") else 0
            nested = block.get("content") if block["type"] == "tool_result" else None
            if isinstance(nested, list):
                found += sum(1 for part in nested if part.get("cache_control"))
    _cache_control(body.get("cache_control"), "cache_control")
    found += 1 if body.get("cache_control") else 0
    if found > 4:
        raise invalid(
            f"A maximum of 4 blocks with cache_control may be provided. Found {found}."
        )


def _options(body: dict[str, Any], api: Api) -> None:
    """The small top-level options of `messages.create`."""
    if "stream" in body:
        _expect(body["stream"], bool, "stream")
    if "stop_sequences" in body:
        _expect(body["stop_sequences"], list, "stop_sequences")
        for i, sequence in enumerate(body["stop_sequences"]):
            _expect(sequence, str, f"stop_sequences.{i}")
    if "metadata" in body:
        _expect(body["metadata"], dict, "metadata")
        _no_extras(body["metadata"], api.metadata[1], "metadata")
        if body["metadata"].get("user_id") is not None:
            _expect(body["metadata"]["user_id"], str, "metadata.user_id")
    if body.get("service_tier") is not None:
        _one_of(body["service_tier"], api.service_tiers, "service_tier")
    if body.get("speed") is not None:
        _one_of(body["speed"], api.speeds, "speed")
    if body.get("inference_geo") is not None:
        _expect(body["inference_geo"], str, "inference_geo")
    if body.get("diagnostics") is not None:  # "Cache diagnostics" (diagnostics.py)
        _expect(body["diagnostics"], dict, "diagnostics")
        _no_extras(body["diagnostics"], api.diagnostics[1], "diagnostics")
        previous = body["diagnostics"].get("previous_message_id")
        if previous is not None:
            _expect(previous, str, "diagnostics.previous_message_id")


def _sampling(body: dict[str, Any], model: str, version: str) -> None:
    """Only reachable with an `anthropic-version` older than 2026-10-21.

    Ranges from the Messages reference; Opus 4.7 and later answer "`temperature` is
    deprecated for this model." to anything but the default temperature of 1.
    """
    ranges = {"temperature": (0, 1), "top_p": (0, 1), "top_k": (0, None)}
    for name, (low, high) in ranges.items():
        if name not in body:
            continue
        value = body[name]
        if name == "top_k":
            _expect(value, int, name)
        elif not _is_number(value):
            raise invalid(f"{name}: Input should be a valid number")
        if value < low:
            raise invalid(f"{name}: Input should be greater than or equal to {low}")
        if high is not None and value > high:
            raise invalid(f"{name}: Input should be less than or equal to {high}")
        if not models.accepts_any_sampling(model, version) and not (
            name == "temperature" and value == 1
        ):
            raise invalid(f"`{name}` is deprecated for this model.")
    if "temperature" in body and "top_p" in body:
        raise invalid(
            "`temperature` and `top_p` cannot both be specified for this model. "
            "Please use only one."
        )


def _prefill(body: dict[str, Any], messages: list[dict[str, Any]]) -> None:
    """A final assistant message is a prefill ("Prefill not supported" on the Errors
    page; "Structured outputs" and "Extended thinking" for the combinations)."""
    last = messages[-1]
    if last["role"] != "assistant":
        return
    if not models.accepts_prefill(body["model"]):
        raise invalid(
            "This model does not support assistant message prefill. "
            "The conversation must end with a user message."
        )
    if output_format(body):
        raise invalid(
            "Prefilling assistant messages is not supported with structured outputs."
        )
    first = blocks(last)[0]["type"] if blocks(last) else "text"
    if thinking_on(body) and first not in ("thinking", "redacted_thinking"):
        raise invalid(
            f"messages.{len(messages) - 1}.content.0.type: Expected `thinking` or "
            f"`redacted_thinking`, but found `{first}`. When `thinking` is enabled, a "
            "final `assistant` message must start with a thinking block. To avoid this "
            "requirement, disable `thinking`."
        )


def _version_content_rules(messages: list[dict[str, Any]], model: str, version: str):
    """API version 2026-10-21: no `document` in an assistant turn, no `citations` in
    a user's text (migration guide)."""
    document = behaviour.value("content.assistant_document", model, version)
    citations = behaviour.value("content.user_citations", model, version)
    for i, message in enumerate(messages):
        for j, block in enumerate(blocks(message)):
            loc = f"messages.{i}.content.{j}"
            if (
                document == "refused"
                and message["role"] == "assistant"
                and block["type"] == "document"
            ):
                raise invalid(
                    f"{loc}: `document` blocks cannot be placed directly in "
                    "`assistant` messages in API version 2026-10-21"
                )
            if (
                citations == "refused"
                and message["role"] == "user"
                and block["type"] == "text"
                and block.get("citations")
            ):
                raise invalid(
                    f"{loc}.citations: `citations` on a user `text` block must be "
                    "empty in API version 2026-10-21"
                )


def _context_window(body: dict[str, Any]) -> None:
    window = models.context_window(body["model"])
    prompt = tokens.count_input(body)
    if prompt > window:
        raise invalid(f"prompt is too long: {prompt} tokens > {window} maximum")


def betas(headers: Mapping[str, str]) -> set[str]:
    """The beta features a request asks for (its `anthropic-beta` header)."""
    return {
        b.strip() for b in headers.get("anthropic-beta", "").split(",") if b.strip()
    }


def _api(headers: Mapping[str, str]) -> Api:
    """Requests with an `anthropic-beta` header get the beta request shapes."""
    return BETA if betas(headers) else STANDARD


def check_thread(body: dict[str, Any], headers: Mapping[str, str]) -> None:
    """The `thread` field exists with the message-threads beta header only."""
    if "thread" not in body:
        return
    if THREADS_BETA not in betas(headers):
        raise invalid("thread: Extra inputs are not permitted")
    _tag(body["thread"], BETA.threads, "thread")
    if body["thread"]["type"] == "continue":
        _expect(
            body["thread"]["previous_message_id"], str, "thread.previous_message_id"
        )


def _validate(
    body: dict[str, Any], api: Api, allowed: set[str], headers: Mapping[str, str]
) -> dict[str, Any]:
    """Every check both endpoints share; return the request as the model sees it."""
    version = version_of(headers)
    if behaviour.value("sampling.removed", "*", version) is not True:
        allowed = allowed | set(SAMPLING_PARAMS)
    _no_extras(body, allowed, "")
    check_thread(body, headers)
    _model(body)
    if "max_tokens" in allowed:
        _required(body, ("max_tokens",), "")
        _expect(body["max_tokens"], int, "max_tokens")
        if body["max_tokens"] < 0:
            raise invalid("max_tokens: Input should be greater than or equal to 0")
    messages = _messages(body, api)
    _system(body, api)
    names = _tools(body, api)
    _options(body, api)
    _output_config(body, api)
    _cache_breakpoints(body)
    _known_model(body["model"])
    _tool_choice(body, names, api)
    _thinking(body, api, version)
    thinking.check(body, version)
    _tool_pairing(messages)
    _version_content_rules(messages, body["model"], version)
    _sampling(body, body["model"], version)
    seen = thinking.replayed(body, version)
    _context_window(seen)
    return seen


def validate_create(body: dict[str, Any], headers: Mapping[str, str]) -> dict[str, Any]:
    """Everything `POST /v1/messages` checks before the model runs; return the
    request as the model sees it (thinking blocks it cannot read dropped)."""
    api = _api(headers)
    seen = _validate(body, api, api.create_params, headers)
    model, max_tokens = body["model"], body["max_tokens"]
    if max_tokens > models.max_output_tokens(model):
        raise invalid(
            f"max_tokens: {max_tokens} > {models.max_output_tokens(model)}, which is "
            f"the maximum allowed number of output tokens for {model}"
        )
    _prefill(body, body["messages"])
    return seen


def validate_count(body: dict[str, Any], headers: Mapping[str, str]) -> dict[str, Any]:
    """What `POST /v1/messages/count_tokens` checks: no `max_tokens`, no prefill."""
    api = _api(headers)
    return _validate(body, api, api.count_params, headers)


# --- Message Batches --------------------------------------------------------------

_LOC = re.compile(r"^[A-Za-z_][\w.]*: ")


def _within(prefix: str, message: str) -> str:
    """Put a request's error under its place in the batch: `requests.3.params...`."""
    return f"{prefix}.{message}" if _LOC.match(message) else f"{prefix}: {message}"


def _batch_params(params: dict[str, Any], headers: Mapping[str, str]) -> None:
    """One request of a batch: `MessageCreateParamsNonStreaming`, and `max_tokens` of
    at least 1 ("Batch processing": no cache pre-warming inside a batch)."""
    validate_create(params, headers)
    if params.get("stream") is True:
        raise invalid("stream: Input should be False")
    if params["max_tokens"] < 1:
        raise invalid("max_tokens: Input should be greater than or equal to 1")


def validate_batch(
    body: dict[str, Any], headers: Mapping[str, str]
) -> list[tuple[str, dict[str, Any], ApiError | None]]:
    """What `POST /v1/messages/batches` checks: (custom_id, params, error) per request.

    A 400 in any request refuses the whole batch, named `requests.N.params...`. Any
    other error (an unknown model's 404) is left to that request's result.
    """
    _required(body, ("requests",), "")
    _no_extras(body, {"requests"}, "")
    requests = body["requests"]
    _expect(requests, list, "requests")
    if not 1 <= len(requests) <= MAX_BATCH_REQUESTS:
        raise invalid(
            f"requests: List should have between 1 and {MAX_BATCH_REQUESTS} items, "
            f"not {len(requests)}"
        )
    checked: list[tuple[str, dict[str, Any], ApiError | None]] = []
    seen: set[str] = set()
    for i, request in enumerate(requests):
        loc = f"requests.{i}"
        _expect(request, dict, loc)
        _required(request, ("custom_id", "params"), loc)
        _no_extras(request, {"custom_id", "params"}, loc)
        custom_id = request["custom_id"]
        _expect(custom_id, str, f"{loc}.custom_id")
        if not CUSTOM_ID.match(custom_id):
            raise invalid(
                f"{loc}.custom_id: String should match pattern '{CUSTOM_ID.pattern}'"
            )
        if custom_id in seen:
            raise invalid(
                f"{loc}.custom_id: Duplicate custom_id {custom_id!r}; each request "
                "in a batch needs its own."
            )
        seen.add(custom_id)
        _expect(request["params"], dict, f"{loc}.params")
        try:
            _batch_params(request["params"], headers)
        except ApiError as error:
            if error.status != 400:
                checked.append((custom_id, request["params"], error))
                continue
            raise invalid(_within(f"{loc}.params", error.message)) from None
        checked.append((custom_id, request["params"], None))
    return checked
