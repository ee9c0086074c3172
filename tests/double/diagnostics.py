"""Cache diagnostics: why a request could not reuse the previous request's prefix.

From the "Cache diagnostics" page (rows `cache-diagnostics` and
`cache-diagnostics-unavailable` of behaviour.yml). A request that carries a
`diagnostics` object has its fingerprint kept under its reply's `id`. A later one
that names that id as `diagnostics.previous_message_id` gets, in its reply, a
`diagnostics` object for the first place where the two requests differ:

- `model_changed`, `tools_changed`, `system_changed`, or `messages_changed` (an
  earlier message altered, not only new ones appended), each with
  `cache_missed_input_tokens`: the input tokens from that place on;
- `unavailable`: only another prompt-affecting parameter changed;
- `previous_message_not_found`: no fingerprint has that id;
- null instead of an object: nothing changed, or a first turn
  (`previous_message_id: null`).

The comparison is of the requests' structure, not of whether the cache hit: a
prefix under the cache minimum, or an entry that expired, is not a change.
"""

import hashlib
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import behaviour, tokens
from .validation import betas


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()


def _bare(block: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in block.items() if k != "cache_control"}


def _blocks(content: Any) -> list[dict[str, Any]]:
    """Content as a list of blocks without breakpoints (a string is one text block)."""
    if isinstance(content, str):
        return [{"type": "text", "text": content}] if content else []
    return [_bare(block) for block in content or []]


@dataclass(frozen=True)
class Fingerprint:
    """Hashes of one request's parts, and the input tokens before each of them."""

    model: str
    tools: tuple[str, ...]
    system: str
    parameters: str
    messages: tuple[str, ...]
    tool_starts: tuple[int, ...]
    system_start: int
    message_starts: tuple[int, ...]
    total: int  # every input token, as `count_tokens` counts them


def fingerprint(
    body: dict[str, Any], headers: Mapping[str, str], version: str
) -> Fingerprint:
    names = behaviour.value("diagnostics.parameters", body["model"], version)
    parameters = {name: body.get(name) for name in names if name != "anthropic-beta"}
    parameters["anthropic-beta"] = sorted(betas(headers))
    tools = body.get("tools") or []
    system = _blocks(body.get("system"))
    # Input tokens before each prompt segment: tools, system blocks, message blocks.
    starts = [tokens.REQUEST_OVERHEAD]
    for segment in tokens.prompt_segments(body):
        starts.append(starts[-1] + segment.tokens)
    message_starts, index = [], len(tools) + len(system)
    for message in body["messages"]:
        message_starts.append(starts[index])
        index += len(_blocks(message["content"]))
    return Fingerprint(
        model=_digest([body["model"], body.get("speed")]),
        tools=tuple(_digest(_bare(tool)) for tool in tools),
        system=_digest(system),
        parameters=_digest(parameters),
        messages=tuple(
            _digest([m["role"], _blocks(m["content"])]) for m in body["messages"]
        ),
        tool_starts=tuple(starts[: len(tools)]),
        system_start=starts[len(tools)],
        message_starts=tuple(message_starts),
        total=tokens.count_input(body),
    )


def _first_difference(before: tuple[str, ...], now: tuple[str, ...]) -> int:
    for index, (old, new) in enumerate(zip(before, now, strict=False)):
        if old != new:
            return index
    return min(len(before), len(now))


def _missed_from(starts: tuple[int, ...], index: int, end: int, total: int) -> int:
    """The input tokens from item `index` on; `end` is where the items stop, for an
    `index` past the last one (items were only removed)."""
    return total - (starts[index] if index < len(starts) else end)


def compare(before: Fingerprint, now: Fingerprint, order: list[str]) -> dict | None:
    """The `cache_miss_reason` of `now` against `before`, or None if nothing
    changed; `order` (the row's value) says which part is checked first."""
    for part in order:
        if part == "model" and before.model != now.model:
            return _changed("model_changed", now.total)
        if part == "tools" and before.tools != now.tools:
            first = _first_difference(before.tools, now.tools)
            missed = _missed_from(now.tool_starts, first, now.system_start, now.total)
            return _changed("tools_changed", missed)
        if part == "system" and before.system != now.system:
            return _changed("system_changed", now.total - now.system_start)
        if part == "parameters" and before.parameters != now.parameters:
            return {"type": "unavailable"}
        appended_only = now.messages[: len(before.messages)] == before.messages
        if part == "messages" and not appended_only:
            first = _first_difference(before.messages, now.messages)
            missed = _missed_from(now.message_starts, first, now.total, now.total)
            return _changed("messages_changed", missed)
    return None


def _changed(kind: str, missed: int) -> dict[str, Any]:
    return {"type": kind, "cache_missed_input_tokens": missed}


class Diagnostics:
    """The fingerprints of the requests that opted in, by their reply's id."""

    def __init__(self) -> None:
        self._held: dict[str, Fingerprint] = {}
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._held.clear()

    def report(
        self,
        body: dict[str, Any],
        headers: Mapping[str, str],
        version: str,
        message_id: str,
    ) -> dict[str, Any] | None:
        """The reply's `diagnostics` for a request that sent the field."""
        options = body.get("diagnostics")
        if options is None:  # `"diagnostics": null` opts nothing in
            return None
        now = fingerprint(body, headers, version)
        previous_id = options.get("previous_message_id")
        with self._lock:
            before = self._held.get(previous_id) if previous_id is not None else None
            self._held[message_id] = now
        if previous_id is None:
            return None
        if before is None:
            return {"cache_miss_reason": {"type": "previous_message_not_found"}}
        order = behaviour.value("diagnostics.checks", body["model"], version)
        reason = compare(before, now, order)
        return None if reason is None else {"cache_miss_reason": reason}
