"""Read a reply by block type, and use it only when the model finished.

A reply is a list of content blocks, and on the Claude 5.5 models the first one is
usually a `thinking` block: adaptive thinking is on by default. Code that reads
`message.content[0].text` breaks the first time the model thinks. Ask for blocks by
their type instead.

And only two stop reasons mean the model finished what it was writing: `end_turn`
and `stop_sequence`. Everything else (`max_tokens`, `refusal`,
`model_context_window_exceeded`, `pause_turn`, and `tool_use` outside a tool loop)
is an answer you must not use as if it were whole. An allow-list, not a list of
known bad reasons, so a stop reason added next year fails loudly instead of
passing as complete. Every example on this site reads replies through this module.
"""

from typing import TypeVar

import anthropic

T = TypeVar("T")

COMPLETE = frozenset({"end_turn", "stop_sequence"})


class IncompleteReply(Exception):
    """The model stopped before it finished; its text must not be used as if whole."""

    def __init__(self, message: anthropic.types.Message) -> None:
        self.stop_reason = message.stop_reason
        self.stop_details = message.stop_details
        super().__init__(describe(message))


class Refused(IncompleteReply):
    """The model declined; `stop_details.category` names the policy area."""


def describe(message: anthropic.types.Message) -> str:
    """Why a reply is not complete, in words an operator can act on."""
    reason = message.stop_reason
    if reason == "max_tokens":
        return (
            f"cut off at max_tokens after {message.usage.output_tokens} output "
            "tokens (thinking included); raise max_tokens or lower the effort"
        )
    if reason == "refusal":
        details = message.stop_details
        category = details.category if details else None
        return f"the model declined (category: {category or 'none given'})"
    if reason == "model_context_window_exceeded":
        return "the reply filled the context window and is truncated"
    if reason == "pause_turn":
        return "a long server-side turn paused; send the reply back to continue"
    return f"stop_reason {reason!r} is not a finished reply"


def check_complete(
    message: anthropic.types.Message, also: frozenset[str] = frozenset()
) -> anthropic.types.Message:
    """Return the message if it finished (or stopped for a reason in `also`)."""
    if message.stop_reason in COMPLETE or message.stop_reason in also:
        return message
    if message.stop_reason == "refusal":
        raise Refused(message)
    raise IncompleteReply(message)


def text_of(message: anthropic.types.Message) -> str:
    """The reply's text blocks, joined; thinking and tool blocks are skipped."""
    return "".join(block.text for block in message.content if block.type == "text")


def reply_text(message: anthropic.types.Message) -> str:
    """The text of a finished reply; raise `IncompleteReply` for anything else."""
    return text_of(check_complete(message))


def tool_calls(message: anthropic.types.Message) -> list[anthropic.types.ToolUseBlock]:
    """The tool calls the model asked for, in order."""
    return [block for block in message.content if block.type == "tool_use"]


def parsed(message: anthropic.types.ParsedMessage[T]) -> T:
    """The typed object of a finished `messages.parse` reply."""
    check_complete(message)
    if message.parsed_output is None:
        raise ValueError("the reply finished without the structured output asked for")
    return message.parsed_output
