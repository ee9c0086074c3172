"""Scripted replies: load and check the YAML entries, and pick the one a request gets.

The entry format is fixed in the project conventions. Every entry is checked when it
is loaded; a mistake names the file, the entry's index (from 0) and the field.
"""

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydantic
import yaml
from anthropic.types import (
    Message,
    RedactedThinkingBlock,
    RefusalStopDetails,
    TextBlock,
    ThinkingBlock,
    ToolUseBlock,
)

from .errors import ERROR_TYPES, AuthoringError

ENTRY_KEYS = {"match", "times", "error", "reply", "json", "unchecked"}
MATCH_KEYS = {"user", "system", "turn", "tool_result", "tools", "model"}
ERROR_KEYS = {"status", "type", "message", "retry_after"}
# `stop_details` goes with a refusal; `exact: true` serves the blocks as listed, with
# no thinking block added (a model may decide not to think).
REPLY_KEYS = {"content", "stop_reason", "stop_sequence", "stop_details", "exact"}
REPLY_BLOCKS = {
    "text": TextBlock,
    "tool_use": ToolUseBlock,
    "thinking": ThinkingBlock,
    "redacted_thinking": RedactedThinkingBlock,
}
_ABSENT = object()


class ScriptError(Exception):
    """A scripted entry that cannot be served."""


@dataclass
class Entry:
    source: str
    index: int
    match: dict[str, Any]
    times: int | None = None
    error: dict[str, Any] | None = None
    reply: dict[str, Any] | None = None
    json: Any = _ABSENT
    unchecked: bool = False
    served: int = field(default=0, compare=False)

    @property
    def label(self) -> str:
        return f"{self.source} entry {self.index}"

    @property
    def has_json(self) -> bool:
        return self.json is not _ABSENT

    def available(self) -> bool:
        return self.times is None or self.served < self.times


def _problem(source: str, index: int, where: str, what: str) -> ScriptError:
    return ScriptError(f"{source}: entry {index}: {where}: {what}")


def parse_entries(data: Any, source: str) -> list[Entry]:
    """Check a list of entries (as YAML gives it) and turn it into `Entry` objects."""
    if not isinstance(data, list):
        raise ScriptError(f"{source}: expected a YAML list of entries")
    return [_entry(item, source, index) for index, item in enumerate(data)]


def _entry(item: Any, source: str, index: int) -> Entry:
    def fail(where: str, what: str) -> ScriptError:
        return _problem(source, index, where, what)

    if not isinstance(item, dict):
        raise fail("entry", "must be a mapping")
    for key in item:
        if key not in ENTRY_KEYS:
            raise fail(
                str(key), f"unknown key (allowed: {', '.join(sorted(ENTRY_KEYS))})"
            )
    answers = [key for key in ("error", "reply", "json") if key in item]
    if len(answers) != 1:
        raise fail("entry", "needs exactly one of `reply`, `json` or `error`")
    entry = Entry(source, index, _match(item.get("match"), fail))
    if "times" in item:
        times = item["times"]
        if not isinstance(times, int) or isinstance(times, bool) or times < 1:
            raise fail("times", "must be a whole number of at least 1")
        entry.times = times
    if "unchecked" in item:
        if not isinstance(item["unchecked"], bool) or "reply" not in item:
            raise fail("unchecked", "must be true or false, on a `reply` entry")
        entry.unchecked = item["unchecked"]
    if "error" in item:
        entry.error = _error(item["error"], fail)
    elif "reply" in item:
        entry.reply = _reply(item["reply"], fail)
    else:
        try:
            json.dumps(item["json"], allow_nan=False)
        except (TypeError, ValueError) as problem:
            raise fail("json", f"is not plain JSON ({problem}); quote dates") from None
        entry.json = item["json"]
    return entry


def _match(match: Any, fail: Any) -> dict[str, Any]:
    if not isinstance(match, dict):
        raise fail("match", "is required and must be a mapping")
    for key in match:
        if key not in MATCH_KEYS:
            raise fail(
                f"match.{key}",
                f"unknown key (allowed: {', '.join(sorted(MATCH_KEYS))})",
            )
    if "user" not in match and "tool_result" not in match:
        raise fail(
            "match", "needs `user` or `tool_result`, so it cannot fit every request"
        )
    for key in ("user", "system", "tool_result", "model"):
        if key in match and (not isinstance(match[key], str) or not match[key]):
            raise fail(f"match.{key}", "must be a non-empty string")
    if "turn" in match and (not isinstance(match["turn"], int) or match["turn"] < 0):
        raise fail("match.turn", "must be a whole number, 0 or more")
    tools = match.get("tools", [])
    if not isinstance(tools, list) or not all(isinstance(t, str) for t in tools):
        raise fail("match.tools", "must be a list of tool names")
    return match


def _error(error: Any, fail: Any) -> dict[str, Any]:
    if not isinstance(error, dict):
        raise fail("error", "must be a mapping")
    for key in error:
        if key not in ERROR_KEYS:
            raise fail(
                f"error.{key}",
                f"unknown key (allowed: {', '.join(sorted(ERROR_KEYS))})",
            )
    status = error.get("status")
    if status not in ERROR_TYPES:
        raise fail("error.status", f"must be one of {sorted(ERROR_TYPES)}")
    if error.get("type") != ERROR_TYPES[status]:
        raise fail(
            "error.type", f"status {status} comes with type {ERROR_TYPES[status]}"
        )
    if "message" in error and not isinstance(error["message"], str):
        raise fail("error.message", "must be a string")
    if "retry_after" in error:
        seconds = error["retry_after"]
        if (
            status != 429
            or isinstance(seconds, bool)
            or not isinstance(seconds, (int, float))
        ):
            raise fail(
                "error.retry_after", "is a number of seconds, for status 429 only"
            )
        if seconds < 0:
            raise fail("error.retry_after", "must not be negative")
    return error


def _reply(reply: Any, fail: Any) -> dict[str, Any]:
    """Check a reply as the SDK would read it: each block, then a whole `Message`."""
    if not isinstance(reply, dict):
        raise fail("reply", "must be a mapping")
    for key in reply:
        if key not in REPLY_KEYS:
            raise fail(
                f"reply.{key}",
                f"unknown key (allowed: {', '.join(sorted(REPLY_KEYS))})",
            )
    content = reply.get("content")
    if not isinstance(content, list):
        raise fail("reply.content", "is required and must be a list of blocks")
    for i, block in enumerate(content):
        where = f"reply.content.{i}"
        kind = block.get("type") if isinstance(block, dict) else None
        if kind not in REPLY_BLOCKS:
            raise fail(f"{where}.type", f"must be one of {', '.join(REPLY_BLOCKS)}")
        for key in block:
            if key not in REPLY_BLOCKS[kind].model_fields:
                raise fail(f"{where}.{key}", f"unknown key for a {kind} block")
        _validate_model(REPLY_BLOCKS[kind], _placeholders(block), where, fail)
        if kind == "text" and not block["text"]:
            raise fail(f"{where}.text", "must not be empty")
    uses_tool = any(block["type"] == "tool_use" for block in content)
    stop_reason = reply.get("stop_reason", "tool_use" if uses_tool else "end_turn")
    if stop_reason == "tool_use" and not uses_tool:
        raise fail("reply.stop_reason", "is tool_use but no block has type tool_use")
    stop_sequence = reply.get("stop_sequence")
    if (stop_sequence is None) != (stop_reason != "stop_sequence"):
        raise fail(
            "reply.stop_sequence", "is set exactly when stop_reason is stop_sequence"
        )
    details = reply.get("stop_details")
    if details is not None:
        if stop_reason != "refusal":
            raise fail("reply.stop_details", "goes only with stop_reason refusal")
        _validate_model(RefusalStopDetails, details, "reply.stop_details", fail)
    if not isinstance(reply.get("exact", False), bool):
        raise fail("reply.exact", "must be true or false")
    message = {
        "id": "msg_placeholder",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-5-5",
        "content": [_placeholders(block) for block in content],
        "stop_reason": stop_reason,
        "stop_sequence": stop_sequence,
        "stop_details": details,
        "usage": {"input_tokens": 1, "output_tokens": 1},
    }
    _validate_model(Message, message, "reply", fail)
    return {
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": stop_sequence,
        "stop_details": details,
        "exact": reply.get("exact", False),
    }


def _placeholders(block: dict[str, Any]) -> dict[str, Any]:
    """What the double fills in: a `tool_use` id, a thinking block's signature."""
    if block["type"] == "tool_use":
        return {"id": "toolu_placeholder", **block}
    if block["type"] == "thinking":
        return {"signature": "placeholder", **block}
    return dict(block)


def _validate_model(
    model: type[pydantic.BaseModel], value: Any, where: str, fail: Any
) -> None:
    try:
        model.model_validate(value)
    except pydantic.ValidationError as problem:
        first = problem.errors()[0]
        loc = ".".join(str(part) for part in (where, *first["loc"]))
        raise fail(loc, first["msg"]) from None


# --- matching ---------------------------------------------------------------------


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "\n".join(b["text"] for b in content if b.get("type") == "text")


def last_user_text(body: dict[str, Any]) -> str:
    users = [m for m in body["messages"] if m["role"] == "user"]
    return _text_of(users[-1]["content"]) if users else ""


def _answered_tools(body: dict[str, Any]) -> set[str]:
    """Names of the tools whose results the last user message carries."""
    messages = body["messages"]
    if messages[-1]["role"] != "user" or isinstance(messages[-1]["content"], str):
        return set()
    names = {
        block["id"]: block["name"]
        for message in messages
        if message["role"] == "assistant" and isinstance(message["content"], list)
        for block in message["content"]
        if block["type"] == "tool_use"
    }
    return {
        names.get(block["tool_use_id"], "")
        for block in messages[-1]["content"]
        if block["type"] == "tool_result"
    }


def fits(match: dict[str, Any], body: dict[str, Any]) -> bool:
    """Whether a request fits an entry's `match`."""
    system = body.get("system") or ""
    offered = {tool.get("name") for tool in body.get("tools") or []}
    turn = sum(1 for message in body["messages"] if message["role"] == "assistant")
    return (
        match.get("user", "") in last_user_text(body)
        and match.get("system", "") in _text_of(system)
        and match.get("turn", turn) == turn
        and match.get("model", body["model"]) == body["model"]
        and (
            "tool_result" not in match or match["tool_result"] in _answered_tools(body)
        )
        and set(match.get("tools", [])) <= offered
    )


class Scripts:
    """Every loaded entry, plus the entries pushed by `ClaudeDouble.script()`."""

    def __init__(self, root: Path) -> None:
        if not root.is_dir():
            raise ScriptError(f"{root}: no such folder")
        self.root = root
        self.files = sorted(root.rglob("responses/*.yml"))
        self.entries: list[Entry] = []
        self.pushed: list[Entry] = []
        self._lock = threading.Lock()
        for path in self.files:
            source = str(path.relative_to(root.parent))
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except yaml.YAMLError as problem:
                raise ScriptError(f"{source}: not valid YAML: {problem}") from None
            self.entries.extend(parse_entries(data, source))

    def reset(self) -> None:
        with self._lock:
            for entry in self.entries + self.pushed:
                entry.served = 0

    def push(self, entries: list[Entry]) -> None:
        with self._lock:
            self.pushed[:0] = entries

    def remove(self, entries: list[Entry]) -> None:
        with self._lock:
            self.pushed = [e for e in self.pushed if all(e is not x for x in entries)]

    def select(self, body: dict[str, Any]) -> Entry:
        """The entry that answers `body`, counted as served; loud 500 if none or two."""
        with self._lock:
            entry = self._choose(body)
            entry.served += 1
            return entry

    def _choose(self, body: dict[str, Any]) -> Entry:
        for entry in self.pushed:
            if entry.available() and fits(entry.match, body):
                return entry
        found = [e for e in self.entries if e.available() and fits(e.match, body)]
        sources = sorted({entry.source for entry in found})
        if len(sources) > 1:
            raise AuthoringError(
                "the double has scripted replies in more than one file for this "
                f"request: {found[0].label} and "
                f"{next(e for e in found if e.source != found[0].source).label}; "
                "make their `match` more specific"
            )
        if not found:
            searched = [str(p.relative_to(self.root.parent)) for p in self.files]
            raise AuthoringError(
                "the double has no scripted reply for this request; last user text: "
                f"{last_user_text(body)!r}; files searched: "
                f"{', '.join(searched) or '(none)'}; "
                f"entries pushed with double.script(): {len(self.pushed)}"
            )
        return found[0]
