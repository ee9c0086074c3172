"""Thinking: what a request asks for, the blocks the model adds, and their signatures.

Rules come from `behaviour.yml` (`thinking.*`, `effort.default`, `tool_choice.forced`):
- a model that thinks by default starts its reply with a `thinking` block unless the
  request turns thinking off, and its tokens count as output and against `max_tokens`;
- at `display: "omitted"` (the 5.5 default) the block's `thinking` is empty;
- on Opus and Sonnet 5.5, notes written between tool calls come back as thinking
  blocks (Sonnet 5.5: only notes longer than a sentence or two);
- every thinking block carries a signature that names the model and the conversation
  prefix it was written for: sent back after the prefix changed it is a 400 on the
  5.5 models; sent to a model that cannot read it, it is dropped.
"""

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from . import behaviour
from .errors import invalid

SIGNATURE_PREFIX = "double1."  # the double's signatures, so it can read them back
SUMMARY = "The double's stand-in for the model's summarised thinking."
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")


@dataclass(frozen=True)
class Setting:
    """The thinking a request gets: its type, display and effort, after defaults."""

    type: str  # adaptive | enabled | disabled | between_tools | off
    display: str  # summarized | omitted
    effort: str

    @property
    def up_front(self) -> bool:
        """Whether the model thinks before it writes its reply."""
        return self.type in ("adaptive", "enabled")


def effort(body: dict[str, Any], version: str) -> str:
    chosen = (body.get("output_config") or {}).get("effort")
    return chosen or behaviour.value("effort.default", body["model"], version)


def setting(body: dict[str, Any], version: str) -> Setting:
    model = body["model"]
    asked = body.get("thinking") or {}
    kind = asked.get("type") or behaviour.value("thinking.default", model, version)
    display = asked.get("display") or behaviour.value(
        "thinking.display_default", model, version
    )
    forced = (body.get("tool_choice") or {}).get("type") in ("any", "tool")
    if (
        forced
        and behaviour.value("tool_choice.forced", model, version)
        == "accepted-without-thinking"
    ):
        kind = "off"  # Haiku 5.5: a forced tool call comes without a thinking block
    return Setting(kind, display, effort(body, version))


def check(body: dict[str, Any], version: str) -> None:
    """The per-model thinking rules a request must meet (400s)."""
    model = body["model"]
    asked = body.get("thinking")
    rules = behaviour.value("thinking.types", model, version)
    if asked is not None:
        kind = asked["type"]
        if kind not in rules["accepted"]:
            raise invalid(
                rules["refused"].get(
                    kind, f'"thinking.type.{kind}" is not supported for this model.'
                )
            )
        level = effort(body, version)
        if kind == "disabled" and behaviour.has(
            "thinking.disabled_max_effort", model, version
        ):
            ceiling = behaviour.value("thinking.disabled_max_effort", model, version)
            if _rank(level) > _rank(ceiling):
                raise invalid(
                    f'"thinking.type.disabled" is supported at effort "{ceiling}" or '
                    f'below on this model, not "{level}".'
                )
        if kind == "between_tools" and behaviour.has(
            "thinking.between_tools_efforts", model, version
        ):
            levels = behaviour.value("thinking.between_tools_efforts", model, version)
            if level not in levels:
                raise invalid(
                    f'"thinking.type.between_tools" is supported at effort '
                    f"{', '.join(levels)}, not {level!r}."
                )
    forced = behaviour.value("tool_choice.forced", model, version)
    choice = (body.get("tool_choice") or {}).get("type")
    if choice in ("any", "tool") and forced not in (
        "accepted",
        "accepted-without-thinking",
    ):
        raise invalid(forced)


def _rank(level: str) -> int:
    return ("low", "medium", "high", "xhigh", "max").index(level)


# --- signatures ---------------------------------------------------------------------


def _bare(value: Any) -> Any:
    """A block or message as the binding sees it: no cache markers, text as blocks."""
    if isinstance(value, list):
        return [_bare(item) for item in value]
    if isinstance(value, dict):
        return {k: _bare(v) for k, v in value.items() if k != "cache_control"}
    return value


def _content(message: dict[str, Any]) -> list[Any]:
    content = message["content"]
    return [{"type": "text", "text": content}] if isinstance(content, str) else content


def prefix_digest(body: dict[str, Any], upto: int) -> str:
    """A digest of what a reply at `messages[upto]` was written for."""
    system = body.get("system") or []
    if isinstance(system, str):
        system = [{"type": "text", "text": system}]
    prefix = {
        "system": _bare(system),
        "tools": _bare(body.get("tools") or []),
        "messages": [
            {"role": m["role"], "content": _bare(_content(m))}
            for m in body["messages"][:upto]
        ],
    }
    encoded = json.dumps(prefix, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()[:32]


def sign(model: str, digest: str) -> str:
    raw = json.dumps({"model": model, "prefix": digest}).encode()
    return SIGNATURE_PREFIX + base64.urlsafe_b64encode(raw).decode()


def _read(signature: Any, loc: str) -> dict[str, str]:
    if isinstance(signature, str) and signature.startswith(SIGNATURE_PREFIX):
        try:
            raw = base64.urlsafe_b64decode(signature.removeprefix(SIGNATURE_PREFIX))
            data = json.loads(raw)
        except ValueError:
            data = None
        if isinstance(data, dict) and {"model", "prefix"} <= set(data):
            return data
    raise invalid(f"{loc}.signature: Invalid `signature` in `thinking` block")


def replayed(body: dict[str, Any], version: str) -> dict[str, Any]:
    """Check the thinking blocks a request sends back; return the request as the
    model sees it (blocks it cannot read dropped, as the API drops them)."""
    model = body["model"]
    readable = {model, *behaviour.value("thinking.reads", model, version)}
    binding = behaviour.has("thinking.binding", model, version)
    messages = []
    for i, message in enumerate(body["messages"]):
        if message["role"] != "assistant" or isinstance(message["content"], str):
            messages.append(message)
            continue
        kept = []
        for j, block in enumerate(message["content"]):
            if block.get("type") != "thinking":
                kept.append(block)
                continue
            signed = _read(block.get("signature"), f"messages.{i}.content.{j}")
            if signed["model"] not in readable:
                continue  # dropped before the model sees it, and not billed
            # The reply was signed over the conversation as the model saw it then:
            # the messages kept so far, with any unreadable blocks already dropped.
            seen_so_far = {**body, "messages": messages}
            if (
                binding
                and signed["model"] == model
                and signed["prefix"] != prefix_digest(seen_so_far, i)
            ):
                raise invalid(
                    f"messages.{i}.content.{j}: this thinking block was written for a "
                    "different conversation: the system prompt, the tools or an "
                    "earlier message changed since. Send thinking blocks back only "
                    "with the conversation they came from, or remove them."
                )
            kept.append(block)
        messages.append({**message, "content": kept})
    return {**body, "messages": messages}


# --- the blocks a reply gets ----------------------------------------------------------


def thinking_block(model: str, digest: str, display: str, text: str) -> dict[str, Any]:
    shown = text if display == "summarized" else ""
    return {"type": "thinking", "thinking": shown, "signature": sign(model, digest)}


def between_tool_calls(body: dict[str, Any]) -> bool:
    """Whether the reply is written after tool results, before the next call."""
    last = body["messages"][-1]
    return last["role"] == "user" and any(
        block.get("type") == "tool_result" for block in _content(last)
    )


def long_note(text: str) -> bool:
    """More than a sentence or two (Sonnet 5.5's rule for progress updates)."""
    return len(_SENTENCE_END.findall(text.strip())) > 2
