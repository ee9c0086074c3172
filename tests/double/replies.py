"""Turn a scripted entry into the `Message` the API would return for one request.

A reply the real model could never give for this request (a tool it was not offered,
input that breaks the tool's schema, JSON that breaks `output_config.format`) is a
mistake in the test, so it ends in a 500 that names the entry. An entry marked
`unchecked: true` skips these checks, to reproduce such a reply on purpose.

The reply is shaped as the real one would be (`thinking.py`): for a model that
thinks by default, a script that names no thinking block gets one first, with its
tokens counted as output and against `max_tokens`. A script that lists a thinking
block, or sets `exact: true`, gets exactly its blocks.
"""

import json
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from . import behaviour, thinking, tokens
from .errors import AuthoringError, new_id
from .scripts import Entry
from .validation import output_format

THINKING_TYPES = ("thinking", "redacted_thinking")


def _authoring_error(entry: Entry, problem: str) -> AuthoringError:
    return AuthoringError(f"{entry.label}: {problem}")


def build_message(entry: Entry, body: dict[str, Any], version: str) -> dict[str, Any]:
    """The reply, with only the output half of `usage` (the cache adds the rest)."""
    content, stop_reason, stop_sequence = _scripted(entry, body)
    if not entry.unchecked:
        _check_tool_use(entry, body, content)
        _check_output_format(entry, body, content, stop_reason)
    content, costs = _shaped(entry, body, version, content)
    content, costs, stop_reason, stop_sequence = _stop_at_sequence(
        content, costs, stop_reason, stop_sequence, body.get("stop_sequences") or []
    )
    room = behaviour.value("limits.context_window", body["model"], version) - (
        tokens.count_input(body)
    )
    content, stop_reason, stop_sequence, output_tokens = _fit(
        content, costs, stop_reason, stop_sequence, body["max_tokens"], room
    )
    thought = sum(
        cost
        for block, cost in zip(content, costs, strict=False)
        if block["type"] == "thinking"
    )
    usage: dict[str, Any] = {"output_tokens": output_tokens, "service_tier": "standard"}
    if _has_thinking(content):
        usage["output_tokens_details"] = {
            "thinking_tokens": min(thought, output_tokens)
        }
    details = None
    if stop_reason == "refusal":
        details = entry.reply.get("stop_details") if entry.reply else None
        details = details or {"type": "refusal", "category": None, "explanation": None}
    return {
        "id": new_id("msg_"),
        "type": "message",
        "role": "assistant",
        "model": body["model"],
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": stop_sequence,
        "stop_details": details,
        "usage": usage,
    }


def _shaped(
    entry: Entry, body: dict[str, Any], version: str, content: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[int]]:
    """The blocks as the model would send them, and each block's output tokens."""
    model = body["model"]
    setting = thinking.setting(body, version)
    digest = thinking.prefix_digest(body, len(body["messages"]))
    length = behaviour.value("thinking.tokens", model, version)[setting.effort]
    exact = entry.reply is not None and entry.reply.get("exact", False)
    shaped: list[dict[str, Any]] = []
    costs: list[int] = []
    if setting.up_front and not exact and not _has_thinking(content):
        shaped.append(
            thinking.thinking_block(model, digest, setting.display, thinking.SUMMARY)
        )
        costs.append(length)
    progress = behaviour.value("thinking.progress_updates", model, version)
    between = thinking.between_tool_calls(body) and not exact
    for index, block in enumerate(content):
        if block["type"] == "thinking":
            text = block["thinking"]
            shaped.append(thinking.thinking_block(model, digest, "summarized", text))
            costs.append(tokens.count_text(text) if text else length)
        elif between and _progress_note(block, content[index + 1 :], progress):
            note = thinking.thinking_block(
                model,
                digest,
                "summarized" if setting.type == "between_tools" else setting.display,
                block["text"],
            )
            shaped.append(note)
            costs.append(tokens.count_text(block["text"]))
        else:
            shaped.append(block)
            costs.append(tokens.count_block(block))
    return shaped, costs


def _has_thinking(content: list[dict[str, Any]]) -> bool:
    return any(block["type"] in THINKING_TYPES for block in content)


def _progress_note(
    block: dict[str, Any], rest: list[dict[str, Any]], progress: str
) -> bool:
    """A text note followed by another tool call: a progress update on 5.5 models."""
    if block["type"] != "text" or progress == "none":
        return False
    if not any(later["type"] == "tool_use" for later in rest):
        return False
    return progress == "all" or thinking.long_note(block["text"])


def _scripted(
    entry: Entry, body: dict[str, Any]
) -> tuple[list[dict[str, Any]], str, str | None]:
    if entry.has_json:
        text = json.dumps(entry.json, ensure_ascii=False)
        return [{"type": "text", "text": text}], "end_turn", None
    assert entry.reply is not None
    content = [
        {"id": new_id("toolu_"), **block}
        if block["type"] == "tool_use"
        else dict(block)
        for block in entry.reply["content"]
    ]
    stop_sequence = entry.reply["stop_sequence"]
    if stop_sequence is not None and stop_sequence not in (
        body.get("stop_sequences") or []
    ):
        raise _authoring_error(
            entry,
            f"stops at {stop_sequence!r}, which is not in the request's stop_sequences",
        )
    return content, entry.reply["stop_reason"], stop_sequence


def _check_tool_use(
    entry: Entry, body: dict[str, Any], content: list[dict[str, Any]]
) -> None:
    """The model only calls offered tools, with valid input, as `tool_choice` says."""
    tools = {tool.get("name"): tool for tool in body.get("tools") or []}
    calls = [block for block in content if block["type"] == "tool_use"]
    for call in calls:
        if call["name"] not in tools:
            raise _authoring_error(
                entry,
                f"replies with tool_use {call['name']!r}, but the request offers "
                f"{sorted(tools) or 'no tools'}; add `unchecked: true` to reproduce "
                "a bad tool call on purpose",
            )
        schema = tools[call["name"]].get("input_schema")
        error = schema and best_match(
            Draft202012Validator(schema).iter_errors(call["input"])
        )
        if error:
            raise _authoring_error(
                entry,
                f"tool_use {call['name']!r} input breaks the tool's input_schema: "
                f"{error.message}; add `unchecked: true` to reproduce this on purpose",
            )
    choice = body.get("tool_choice") or {}
    kind = choice.get("type")
    if kind in ("any", "tool") and not calls:
        raise _authoring_error(
            entry, f"the request forces tool use (tool_choice {kind})"
        )
    if kind == "tool" and any(call["name"] != choice["name"] for call in calls):
        raise _authoring_error(
            entry, f"tool_choice requires the tool {choice['name']!r}"
        )
    if kind == "none" and calls:
        raise _authoring_error(entry, "the request forbids tool use (tool_choice none)")
    if choice.get("disable_parallel_tool_use") and len(calls) > 1:
        raise _authoring_error(entry, "the request disables parallel tool use")


def _check_output_format(
    entry: Entry, body: dict[str, Any], content: list[dict[str, Any]], stop_reason: str
) -> None:
    """Structured outputs: the reply text is JSON that fits the requested schema."""
    fmt = output_format(body)
    if not fmt or stop_reason in ("max_tokens", "refusal"):
        return
    text = "".join(block["text"] for block in content if block["type"] == "text")
    try:
        value = json.loads(text)
    except ValueError:
        raise _authoring_error(
            entry,
            "the request sets output_config.format but the reply text is not JSON",
        ) from None
    error = best_match(Draft202012Validator(fmt["schema"]).iter_errors(value))
    if error:
        raise _authoring_error(
            entry,
            f"the reply does not fit output_config.format.schema: {error.message}",
        )


def _stop_at_sequence(
    content: list[dict[str, Any]],
    costs: list[int],
    stop_reason: str,
    stop_sequence: str | None,
    sequences: list[str],
) -> tuple[list[dict[str, Any]], list[int], str, str | None]:
    """Generation ends before the first of the request's stop sequences."""
    for index, block in enumerate(content):
        if block["type"] != "text":
            continue
        hits = [(block["text"].find(s), s) for s in sequences if s in block["text"]]
        if hits:
            position, sequence = min(hits)
            kept, kept_costs = content[:index], costs[:index]
            if position:
                text = block["text"][:position]
                kept.append({**block, "text": text})
                kept_costs.append(tokens.count_text(text))
            return kept, kept_costs, "stop_sequence", sequence
    return content, costs, stop_reason, stop_sequence


def _fit(
    content: list[dict[str, Any]],
    costs: list[int],
    stop_reason: str,
    stop_sequence: str | None,
    max_tokens: int,
    room: int,
) -> tuple[list[dict[str, Any]], str, str | None, int]:
    """Cut the reply at `max_tokens`, or where it fills the context window."""
    if max_tokens == 0:  # max_tokens 0 only fills the prompt cache
        return [], "max_tokens", None, 0
    limit = min(max_tokens, room)
    ended = "max_tokens" if max_tokens <= room else "model_context_window_exceeded"
    budget, kept = limit, []
    for block, cost in zip(content, costs, strict=True):
        if cost <= budget:
            kept.append(block)
            budget -= cost
            continue
        if block["type"] == "text":
            cut = tokens.truncate_text(block["text"], budget)
            if cut:
                kept.append({**block, "text": cut})
        elif block["type"] == "thinking":
            # Thinking ran out of room: the block ends, and no text follows it.
            cut = tokens.truncate_text(block["thinking"], budget)
            kept.append({**block, "thinking": cut})
        return kept, ended, None, limit
    return kept, stop_reason, stop_sequence, max(1, limit - budget)
