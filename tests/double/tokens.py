"""A deterministic, approximate token counter.

Claude's tokenizer is not public. The double only needs counts that never change,
are about the right size (a word of English is one or two tokens) and are the same
in `usage` and in `/v1/messages/count_tokens`.
"""

import json
import math
import re
from dataclasses import dataclass
from typing import Any

# Runs of letters, groups of up to three digits, and any other single character.
_PIECE = re.compile(r"[^\W\d_]+|\d{1,3}|\S")

REQUEST_OVERHEAD = 3  # start-of-prompt markers
REPLY_OVERHEAD = 3  # the assistant turn the model writes into: never cached
MESSAGE_OVERHEAD = 3  # role marker and turn separator
BLOCK_OVERHEAD = 5  # framing of a tool_use / tool_result block
TOOLS_OVERHEAD = 300  # tool-use instructions the API adds when tools are offered
IMAGE_TOKENS = 1_600  # about (width * height) / 750 for a 1.2 megapixel image
PDF_TOKENS = 1_500  # PDFs are not opened; this is roughly one page


def _cost(piece: str) -> int:
    return math.ceil(len(piece) / 4) if piece[0].isalpha() else 1


def count_text(text: str) -> int:
    return sum(_cost(piece) for piece in _PIECE.findall(text))


def count_json(value: Any) -> int:
    return count_text(json.dumps(value, sort_keys=True, ensure_ascii=False))


def truncate_text(text: str, budget: int) -> str:
    """The longest start of `text` that costs at most `budget` tokens."""
    used, end = 0, 0
    for match in _PIECE.finditer(text):
        used += _cost(match.group())
        if used > budget:
            break
        end = match.end()
    return text[:end]


def count_block(block: dict[str, Any]) -> int:
    """Tokens of one content block, as input or as output."""
    kind = block.get("type")
    if kind == "text":
        return count_text(block["text"])
    if kind == "thinking":
        return count_text(block["thinking"])
    if kind == "image":
        return IMAGE_TOKENS
    if kind == "document":
        source = block.get("source", {})
        if source.get("type") == "text":
            return count_text(source.get("data", ""))
        if source.get("type") == "content" and isinstance(source.get("content"), list):
            return sum(count_block(part) for part in source["content"])
        return PDF_TOKENS
    if kind == "tool_use":
        return BLOCK_OVERHEAD + count_text(block["name"]) + count_json(block["input"])
    if kind == "tool_result":
        content = block.get("content", "")
        if isinstance(content, str):
            return BLOCK_OVERHEAD + count_text(content)
        return BLOCK_OVERHEAD + sum(count_block(part) for part in content)
    return count_json({k: v for k, v in block.items() if k != "cache_control"})


def count_tool(tool: dict[str, Any]) -> int:
    if tool.get("type") in (None, "custom"):
        return (
            count_text(tool["name"])
            + count_text(tool.get("description", ""))
            + count_json(tool["input_schema"])
        )
    return count_json({k: v for k, v in tool.items() if k != "cache_control"})


@dataclass(frozen=True)
class Segment:
    """One cacheable piece of the prompt, in the order the API renders it."""

    content: Any
    tokens: int
    cache_control: dict[str, Any] | None


def prompt_segments(body: dict[str, Any]) -> list[Segment]:
    """Tools, then system blocks, then message blocks: the prompt-caching order."""
    segments: list[Segment] = []
    for index, tool in enumerate(body.get("tools") or []):
        overhead = TOOLS_OVERHEAD if index == 0 else 0
        segments.append(_segment(tool, overhead + count_tool(tool)))
    system = body.get("system")
    if isinstance(system, str) and system:
        segments.append(_segment({"type": "text", "text": system}, count_text(system)))
    elif isinstance(system, list):
        segments.extend(_segment(block, count_block(block)) for block in system)
    for message in body["messages"]:
        content = message["content"]
        if isinstance(content, str):
            content = [{"type": "text", "text": content}]
        for index, block in enumerate(content):
            overhead = MESSAGE_OVERHEAD if index == 0 else 0
            segments.append(
                _segment(
                    {"role": message["role"], **block}, overhead + count_block(block)
                )
            )
    return segments


def _segment(content: dict[str, Any], tokens: int) -> Segment:
    bare = {k: v for k, v in content.items() if k != "cache_control"}
    return Segment(bare, tokens, content.get("cache_control"))


def count_input(body: dict[str, Any]) -> int:
    """All input tokens of a request: what `count_tokens` returns."""
    total = REQUEST_OVERHEAD + sum(s.tokens for s in prompt_segments(body))
    total += REPLY_OVERHEAD
    output_format = (body.get("output_config") or {}).get("format")
    if output_format:
        total += count_json(output_format["schema"])
    return total
