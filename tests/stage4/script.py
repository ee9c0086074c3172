"""Stage 4's scripted conversations, in the double's entry format, and request readers.

A test pushes a conversation with `double.script([...])`: one entry per model turn,
matched by `turn` (assistant messages already sent) and, after the first turn, by the
tool whose result the request carries. `PAGE` is the Stage 4 page, whose output
blocks `tests.docs_blocks.assert_page_shows` compares with what a module printed.
"""

from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGE = DOCS / "stages" / "04-agents-and-tools.md"


def use(name: str, **tool_input: Any) -> dict[str, Any]:
    """A `tool_use` block the model double will send (the double adds the id)."""
    return {"type": "tool_use", "name": name, "input": tool_input}


def note(text: str) -> dict[str, Any]:
    """A text block the model writes before a tool call in the same reply."""
    return {"type": "text", "text": text}


def calls(*uses: dict[str, Any], unchecked: bool = False, **match: Any) -> dict:
    """An entry whose reply asks for tools (`note` blocks may come first).
    `unchecked` lets it break the contract."""
    entry: dict[str, Any] = {
        "match": match,
        "reply": {"content": list(uses), "stop_reason": "tool_use"},
    }
    if unchecked:
        entry["unchecked"] = True
    return entry


def says(
    text: str,
    stop_reason: str = "end_turn",
    stop_details: dict[str, Any] | None = None,
    **match: Any,
) -> dict:
    """An entry whose reply is text; `stop_details` goes with a refusal."""
    reply: dict[str, Any] = {"content": [note(text)], "stop_reason": stop_reason}
    if stop_details is not None:
        reply["stop_details"] = stop_details
    return {"match": match, "reply": reply}


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
