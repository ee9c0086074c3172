"""Tracing with OpenTelemetry: one trace per request, one span per step.

A trace answers "what happened in this request, in what order, how long did each
step take and what did it cost". Each step is a span: the retrieval, every model
call and every tool call, all children of one root span for the request.
Attribute names follow the OpenTelemetry semantic conventions for generative AI
(`gen_ai.*`), so a tracing backend that knows them can chart models, tokens and
finish reasons without custom mapping. Those conventions are still in Development
status and names move: the cache-write count was
`gen_ai.usage.cache_creation.input_tokens` until semantic-conventions-genai#440
renamed it `gen_ai.usage.cache_write.input_tokens` in 2026, the name the
`anthropic` SDK's own spans use (anthropic 2.15, `anthropic/_tracing.py`).

What goes on a span: ids, model names, token counts, finish reasons, tool names,
document ids and scores, and the SHA-256 of the request body. What never does:
API keys, and the content itself. Prompts, customer messages and tool arguments
carry names, emails and order details, and traces are read by many people and
kept for months. The exact request goes to a separate store with its own access
rules and retention; the span keeps only its hash, which is enough to find it
again (see `replay`). Spans go to the console here, and to an in-memory exporter
that the tests read to check the trace's shape.
"""

import hashlib
import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import anthropic
from anthropic.types import (
    Message,
    MessageParam,
    ToolParam,
    ToolResultBlockParam,
    ToolUseBlock,
)
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import (
    ConsoleSpanExporter,
    SimpleSpanProcessor,
    SpanExporter,
)
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)
from opentelemetry.trace import SpanKind, Status, StatusCode, Tracer

from snippets.stage1.replies import check_complete, text_of, tool_calls
from snippets.stage2.support_policy import policy_sections
from snippets.stage3.keyword_search import BM25Index

MODEL = "claude-sonnet-5-5"

# The SDK can emit its own span per API call once a tracer provider is registered.
# This module writes the model-call spans itself, so it turns the SDK's off:
# two spans per call would count every token twice.
client = anthropic.Anthropic(open_telemetry=False)

SYSTEM = (
    "You are the order assistant of Harbour Lane Kitchenware. Answer from the "
    "policy excerpts and the order record only, in at most three sentences."
)


# --8<-- [start:setup]
def tracer_provider(*exporters: SpanExporter) -> TracerProvider:
    """A provider that hands every finished span to each exporter, synchronously.

    In production use a BatchSpanProcessor and an OTLP exporter instead; the
    simple processor keeps the example and the tests deterministic.
    """
    provider = TracerProvider(resource=Resource.create({"service.name": "support"}))
    for exporter in exporters:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider


# --8<-- [end:setup]


# --8<-- [start:store]
def canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


class PayloadStore:
    """Request bodies by SHA-256: the place where content lives, not the trace.

    A directory here; in production a bucket with its own access control and a
    retention period that your privacy policy names.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, body: dict[str, Any]) -> str:
        data = canonical(body)
        digest = hashlib.sha256(data).hexdigest()
        (self.root / f"{digest}.json").write_bytes(data)
        return digest

    def get(self, digest: str) -> dict[str, Any]:
        data = (self.root / f"{digest}.json").read_bytes()
        if hashlib.sha256(data).hexdigest() != digest:
            raise ValueError(f"payload {digest} does not match its hash")
        return json.loads(data)


# --8<-- [end:store]

# --8<-- [start:redact]
PERSONAL = [
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "<email>"),
    (re.compile(r"\b(?:\d[ -]?){13,19}\b"), "<card>"),
    (re.compile(r"\+?\d[\d ()-]{7,}\d"), "<phone>"),
]


def redact(text: str) -> str:
    """For the rare free text that must be logged, such as an error message."""
    for pattern, placeholder in PERSONAL:
        text = pattern.sub(placeholder, text)
    return text


# --8<-- [end:redact]

ORDERS = {
    "HL-20931": {"status": "in transit", "last_scan": "2026-11-11", "items": 2},
    "HL-35590": {"status": "delivered", "last_scan": "2026-11-10", "items": 1},
}


def order_status(order_id: str) -> str:
    """The order record, as the tool returns it to the model."""
    if order_id not in ORDERS:
        raise LookupError(f"no order {order_id}")
    return json.dumps({"order_id": order_id, **ORDERS[order_id]})


TOOLS: list[ToolParam] = [
    {
        "name": "order_status",
        "description": "Look up the shipping status of one order by its number.",
        "input_schema": {
            "type": "object",
            "properties": {"order_id": {"type": "string", "pattern": "^HL-\\d{5}$"}},
            "required": ["order_id"],
            "additionalProperties": False,
        },
    }
]


# --8<-- [start:retrieval]
SECTIONS = policy_sections()
NAMES = list(SECTIONS)
INDEX = BM25Index(
    list(range(len(NAMES))), list(SECTIONS.values()), ["policy"] * len(NAMES)
)


def retrieve(tracer: Tracer, question: str, k: int = 2) -> list[str]:
    """Best policy sections for the question (Stage 3's BM25), as a retrieval span."""
    with tracer.start_as_current_span(
        "retrieval support-policy",
        kind=SpanKind.CLIENT,
        attributes={
            "gen_ai.operation.name": "retrieval",
            "gen_ai.data_source.id": "support-policy",
            "gen_ai.request.top_k": k,
        },
    ) as span:
        hits = INDEX.search(question, k=k)
        # Ids and scores only: the query text is the customer's own words.
        documents = [{"id": NAMES[i], "score": round(score, 3)} for i, score in hits]
        span.set_attribute("gen_ai.retrieval.documents", json.dumps(documents))
        return [SECTIONS[NAMES[i]] for i, _ in hits]


# --8<-- [end:retrieval]


# --8<-- [start:chat]
def chat(tracer: Tracer, store: PayloadStore, **request: Any) -> Message:
    """One model call as a `chat {model}` span; the body goes to the store."""
    digest = store.put(request)
    with tracer.start_as_current_span(
        f"chat {request['model']}",
        kind=SpanKind.CLIENT,
        attributes={
            "gen_ai.operation.name": "chat",
            "gen_ai.provider.name": "anthropic",
            "gen_ai.request.model": request["model"],
            "gen_ai.request.max_tokens": request["max_tokens"],
            "server.address": client.base_url.host,
            "server.port": client.base_url.port or 443,
            "app.request.sha256": digest,
        },
    ) as span:
        try:
            message = client.messages.create(**request)
        except anthropic.APIError as error:
            span.set_attribute("error.type", type(error).__name__)
            span.set_status(Status(StatusCode.ERROR, redact(str(error))))
            raise
        usage = message.usage
        cache_read = usage.cache_read_input_tokens or 0
        cache_write = usage.cache_creation_input_tokens or 0
        details = usage.output_tokens_details
        span.set_attributes(
            {
                "gen_ai.response.id": message.id,
                "gen_ai.response.model": message.model,
                "gen_ai.response.finish_reasons": [message.stop_reason or "unknown"],
                # The convention counts cached tokens as input; the API does not.
                "gen_ai.usage.input_tokens": usage.input_tokens
                + cache_read
                + cache_write,
                # Output includes the thinking, for the API and the convention alike.
                "gen_ai.usage.output_tokens": usage.output_tokens,
                "gen_ai.usage.reasoning.output_tokens": (
                    details.thinking_tokens if details else 0
                ),
                "gen_ai.usage.cache_read.input_tokens": cache_read,
                "gen_ai.usage.cache_write.input_tokens": cache_write,
            }
        )
        return message


# --8<-- [end:chat]


# --8<-- [start:tool]
def execute_tool(tracer: Tracer, call: ToolUseBlock) -> ToolResultBlockParam:
    """Run one tool call as an `execute_tool {name}` span; errors are observations."""
    with tracer.start_as_current_span(
        f"execute_tool {call.name}",
        kind=SpanKind.INTERNAL,
        attributes={
            "gen_ai.operation.name": "execute_tool",
            "gen_ai.tool.name": call.name,
            "gen_ai.tool.call.id": call.id,
            "gen_ai.tool.type": "function",
        },
    ) as span:
        try:
            content = order_status(**call.input)
        except LookupError as error:
            span.set_attribute("error.type", "tool_error")
            span.set_status(Status(StatusCode.ERROR, redact(str(error))))
            return {
                "type": "tool_result",
                "tool_use_id": call.id,
                "content": str(error),
                "is_error": True,
            }
        return {"type": "tool_result", "tool_use_id": call.id, "content": content}


# --8<-- [end:tool]


# --8<-- [start:answer]
def answer(tracer: Tracer, store: PayloadStore, question: str) -> str:
    """Retrieve, ask, run the tool calls, ask again: one trace, one root span."""
    with tracer.start_as_current_span(
        "invoke_agent support-assistant",
        attributes={
            "gen_ai.operation.name": "invoke_agent",
            "gen_ai.agent.name": "support-assistant",
            "gen_ai.provider.name": "anthropic",
        },
    ):
        excerpts = "\n".join(retrieve(tracer, question))
        messages: list[MessageParam] = [
            {
                "role": "user",
                "content": f"<policy>\n{excerpts}</policy>\n<question>{question}"
                "</question>",
            }
        ]
        for _ in range(4):  # a step budget, as in Stage 4
            message = chat(
                tracer,
                store,
                model=MODEL,
                max_tokens=1024,  # the thinking, then a tool call or three sentences
                # Low effort: one lookup and a short answer from the excerpts.
                output_config={"effort": "low"},
                system=SYSTEM,
                tools=TOOLS,
                messages=messages,
            )
            # Cut off or declined: raise. A tool call is a finished turn here.
            calls = tool_calls(check_complete(message, also=frozenset({"tool_use"})))
            if not calls:
                return text_of(message)
            messages.append(
                {
                    # Thinking blocks included: they go back with their tool calls.
                    "role": "assistant",
                    "content": [b.to_dict(exclude_none=True) for b in message.content],
                }
            )
            messages.append(
                {"role": "user", "content": [execute_tool(tracer, c) for c in calls]}
            )
        raise RuntimeError("no answer within 4 model calls")


# --8<-- [end:answer]


def print_tree(exporter: InMemorySpanExporter) -> None:
    """The finished spans as an indented tree, root first."""
    spans = exporter.get_finished_spans()
    children: dict[int | None, list[Any]] = {}
    for span in spans:
        parent = span.parent.span_id if span.parent else None
        children.setdefault(parent, []).append(span)

    def show(parent: int | None, depth: int) -> None:
        for span in sorted(children.get(parent, []), key=lambda s: s.start_time):
            tokens = span.attributes.get("gen_ai.usage.output_tokens")
            thinking = span.attributes.get("gen_ai.usage.reasoning.output_tokens")
            extra = ""
            if tokens is not None:
                extra = f"  output_tokens={tokens} (thinking {thinking})"
            print(f"{'  ' * depth}{span.name}{extra}")
            show(span.context.span_id, depth + 1)

    show(None, 0)


def main() -> None:
    memory = InMemorySpanExporter()
    console = ConsoleSpanExporter(out=sys.stdout)  # whatever stdout is now
    tracer = tracer_provider(console, memory).get_tracer(__name__)
    with tempfile.TemporaryDirectory() as payloads:
        reply = answer(
            tracer,
            PayloadStore(Path(payloads)),
            "Hi, I'm jo@example.com. Where is order HL-20931? It was due Monday.",
        )
    print(reply)
    print_tree(memory)


if __name__ == "__main__":
    main()
