"""Stage 4's scripted conversations, in the double's entry format, and request readers.

A test pushes a conversation with `double.script([...])`: one entry per model turn,
matched by `turn` (assistant messages already sent) and, after the first turn, by the
tool whose result the request carries.
"""

from typing import Any


def use(name: str, **tool_input: Any) -> dict[str, Any]:
    """A `tool_use` block the model double will send (the double adds the id)."""
    return {"type": "tool_use", "name": name, "input": tool_input}


def calls(*uses: dict[str, Any], unchecked: bool = False, **match: Any) -> dict:
    """An entry whose reply asks for tools. `unchecked` lets it break the contract."""
    entry: dict[str, Any] = {
        "match": match,
        "reply": {"content": list(uses), "stop_reason": "tool_use"},
    }
    if unchecked:
        entry["unchecked"] = True
    return entry


def says(text: str, stop_reason: str = "end_turn", **match: Any) -> dict:
    """An entry whose reply is text."""
    return {
        "match": match,
        "reply": {
            "content": [{"type": "text", "text": text}],
            "stop_reason": stop_reason,
        },
    }


def results(request: Any) -> list[dict[str, Any]]:
    """The `tool_result` blocks of a recorded request's last message."""
    content = request.body["messages"][-1]["content"]
    return [block for block in content if block["type"] == "tool_result"]


def text_of(result: dict[str, Any]) -> str:
    """A tool_result's content as text, whether a string or text blocks."""
    content = result.get("content") or ""
    if isinstance(content, str):
        return content
    return "".join(block.get("text", "") for block in content)
