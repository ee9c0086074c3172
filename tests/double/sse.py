"""Streaming: the server-sent events the API sends for a finished `Message`.

Order from the "Streaming messages" page: `message_start` (empty content), for each
block `content_block_start`, deltas and `content_block_stop`, then `message_delta`
(stop reason and final usage) and `message_stop`. A `ping` follows the first
`content_block_start`, as in the page's raw example. Text arrives as `text_delta`
chunks of a few words, tool input as `input_json_delta` pieces of JSON (the first
one empty), thinking as `thinking_delta` chunks and one `signature_delta`.
"""

import json
import re
from collections.abc import Iterator
from typing import Any

JSON_CHUNK = 16  # characters of tool input per input_json_delta
_WORDS = re.compile(r"\s*\S+\s*|\s+")


def _chunks(text: str, words: int = 3) -> Iterator[str]:
    pieces = _WORDS.findall(text)
    for start in range(0, len(pieces), words):
        yield "".join(pieces[start : start + words])


def _start_block(block: dict[str, Any]) -> dict[str, Any]:
    if block["type"] == "text":
        return {"type": "text", "text": ""}
    if block["type"] == "tool_use":
        return {
            "type": "tool_use",
            "id": block["id"],
            "name": block["name"],
            "input": {},
        }
    if block["type"] == "thinking":
        return {"type": "thinking", "thinking": "", "signature": ""}
    return block


def _deltas(block: dict[str, Any]) -> Iterator[dict[str, Any]]:
    if block["type"] == "text":
        for chunk in _chunks(block["text"]):
            yield {"type": "text_delta", "text": chunk}
    elif block["type"] == "tool_use":
        data = json.dumps(block["input"], ensure_ascii=False)
        yield {"type": "input_json_delta", "partial_json": ""}
        for start in range(0, len(data), JSON_CHUNK):
            yield {
                "type": "input_json_delta",
                "partial_json": data[start : start + JSON_CHUNK],
            }
    elif block["type"] == "thinking":
        for chunk in _chunks(block["thinking"]):
            yield {"type": "thinking_delta", "thinking": chunk}
        yield {"type": "signature_delta", "signature": block["signature"]}


def events(message: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(event name, data) pairs for one message."""
    usage = message["usage"]
    start = {
        **message,
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "stop_details": None,
        "usage": {**usage, "output_tokens": min(1, usage["output_tokens"])},
    }
    yield "message_start", {"type": "message_start", "message": start}
    if not message["content"]:
        yield "ping", {"type": "ping"}
    for index, block in enumerate(message["content"]):
        yield (
            "content_block_start",
            {
                "type": "content_block_start",
                "index": index,
                "content_block": _start_block(block),
            },
        )
        if index == 0:
            yield "ping", {"type": "ping"}
        for delta in _deltas(block):
            yield (
                "content_block_delta",
                {
                    "type": "content_block_delta",
                    "index": index,
                    "delta": delta,
                },
            )
        yield "content_block_stop", {"type": "content_block_stop", "index": index}
    yield (
        "message_delta",
        {
            "type": "message_delta",
            "delta": {
                "stop_reason": message["stop_reason"],
                "stop_sequence": message["stop_sequence"],
                "stop_details": message["stop_details"],
            },
            "usage": {
                "input_tokens": usage["input_tokens"],
                "cache_creation_input_tokens": usage["cache_creation_input_tokens"],
                "cache_read_input_tokens": usage["cache_read_input_tokens"],
                "output_tokens": usage["output_tokens"],
                **_details(usage),
            },
        },
    )
    yield "message_stop", {"type": "message_stop"}


def _details(usage: dict[str, Any]) -> dict[str, Any]:
    if "output_tokens_details" not in usage:
        return {}
    return {"output_tokens_details": usage["output_tokens_details"]}


def encode(name: str, data: dict[str, Any]) -> bytes:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()
