"""Replay: rebuild the exact request behind a span and send it again.

A bug report says "the assistant gave a wrong answer at 14:02". The trace shows
which model call it was; the span's `app.request.sha256` finds the request body
in the payload store, and the store checks that the bytes still match the hash.
Sending that body again reproduces the call with the same model, prompt, tools
and history, which is where debugging starts: change one thing (the prompt, the
model, a tool description), replay, compare. The replayed answer may still
differ, because sampling is not deterministic; the request does not.
"""

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from anthropic.types import Message
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)

from snippets.stage5.tracing import PayloadStore, answer, client, tracer_provider


# --8<-- [start:replay]
def model_calls(spans: Sequence[ReadableSpan]) -> list[ReadableSpan]:
    """The chat spans of a trace, in the order they started."""
    chats = [s for s in spans if s.attributes.get("gen_ai.operation.name") == "chat"]
    return sorted(chats, key=lambda span: span.start_time or 0)


def rebuild_request(span: ReadableSpan, store: PayloadStore) -> dict[str, Any]:
    """The request body a chat span recorded, checked against its hash."""
    digest = span.attributes.get("app.request.sha256")
    if not isinstance(digest, str):
        raise ValueError(f"span {span.name!r} has no app.request.sha256 attribute")
    return store.get(digest)


def replay(span: ReadableSpan, store: PayloadStore) -> Message:
    """Send the recorded request again, exactly as it was."""
    return client.messages.create(**rebuild_request(span, store))


# --8<-- [end:replay]


def main() -> None:
    memory = InMemorySpanExporter()
    tracer = tracer_provider(memory).get_tracer(__name__)
    with tempfile.TemporaryDirectory() as payloads:
        store = PayloadStore(Path(payloads))
        answer(tracer, store, "Where is order HL-20931? It was due Monday.")
        calls = model_calls(memory.get_finished_spans())
        print(f"model calls in the trace: {len(calls)}")
        last = calls[-1]
        request = rebuild_request(last, store)
        print(f"rebuilt {last.name}: {len(request['messages'])} messages")
        again = replay(last, store)
    original = last.attributes["gen_ai.response.finish_reasons"]
    print(f"finish reason then: {original[0]}, on replay: {again.stop_reason}")


if __name__ == "__main__":
    main()
