import json
import os
import runpy

import pytest
from anthropic import _tracing as anthropic_tracing
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)
from opentelemetry.trace import SpanKind, StatusCode

from snippets.stage1.replies import IncompleteReply
from snippets.stage5 import tracing
from tests.docs_blocks import assert_page_shows
from tests.stage5 import OBSERVABILITY_PAGE

QUESTION = "Where is order HL-20931? It was due Monday."
SYSTEM = (
    "You are the order assistant of Harbour Lane Kitchenware. Answer from the "
    "policy excerpts and the order record only, in at most three sentences."
)


@pytest.fixture
def traced(tmp_path):
    memory = InMemorySpanExporter()
    tracer = tracing.tracer_provider(memory).get_tracer("test")
    return memory, tracer, tracing.PayloadStore(tmp_path)


def by_name(memory):
    return {span.name: span for span in memory.get_finished_spans()}


def test_one_trace_with_a_span_per_step(double, traced):
    memory, tracer, store = traced
    reply = tracing.answer(tracer, store, QUESTION)
    assert reply.startswith("Order HL-20931 is on its way")
    spans = memory.get_finished_spans()
    names = [s.name for s in sorted(spans, key=lambda s: s.start_time)]
    assert names == [
        "invoke_agent support-assistant",
        "retrieval support-policy",
        "chat claude-sonnet-5-5",
        "execute_tool order_status",
        "chat claude-sonnet-5-5",
    ]
    root = by_name(memory)["invoke_agent support-assistant"]
    assert root.parent is None
    assert {s.context.trace_id for s in spans} == {root.context.trace_id}
    for span in spans:
        if span is not root:
            assert span.parent.span_id == root.context.span_id
    kinds = {s.name: s.kind for s in spans}
    assert kinds["retrieval support-policy"] == SpanKind.CLIENT
    assert kinds["chat claude-sonnet-5-5"] == SpanKind.CLIENT
    assert kinds["execute_tool order_status"] == SpanKind.INTERNAL


def test_spans_carry_the_genai_attributes(double, traced):
    memory, tracer, store = traced
    tracing.answer(tracer, store, QUESTION)
    spans = sorted(memory.get_finished_spans(), key=lambda s: s.start_time)
    first_chat, tool, second_chat = spans[2], spans[3], spans[4]
    for chat in (first_chat, second_chat):
        attrs = chat.attributes
        assert attrs["gen_ai.operation.name"] == "chat"
        assert attrs["gen_ai.provider.name"] == "anthropic"
        assert attrs["gen_ai.request.model"] == "claude-sonnet-5-5"
        assert attrs["gen_ai.response.id"].startswith("msg_")
        assert attrs["gen_ai.usage.input_tokens"] > 0
        # Thinking is part of the output count, and reported on its own as well.
        assert attrs["gen_ai.usage.reasoning.output_tokens"] == 40
        assert attrs["gen_ai.usage.output_tokens"] > 40
        assert attrs["gen_ai.request.max_tokens"] == 1024
        assert attrs["server.address"] == "127.0.0.1"
    assert first_chat.attributes["gen_ai.response.finish_reasons"] == ("tool_use",)
    assert second_chat.attributes["gen_ai.response.finish_reasons"] == ("end_turn",)
    assert tool.attributes["gen_ai.tool.name"] == "order_status"
    assert tool.attributes["gen_ai.tool.call.id"].startswith("toolu_")
    assert tool.status.status_code == StatusCode.UNSET
    retrieval = spans[1].attributes
    assert retrieval["gen_ai.operation.name"] == "retrieval"
    assert retrieval["gen_ai.request.top_k"] == 2
    documents = json.loads(retrieval["gen_ai.retrieval.documents"])
    assert len(documents) == 2
    assert all(d["id"] in tracing.SECTIONS and d["score"] > 0 for d in documents)


def test_cache_counts_use_the_names_the_sdk_spans_use(double, traced):
    # The GenAI conventions are in Development status and rename attributes; the
    # SDK's own span for messages.create is the reference this module follows.
    memory, tracer, store = traced
    tracing.answer(tracer, store, QUESTION)
    chat = sorted(memory.get_finished_spans(), key=lambda s: s.start_time)[2]
    sdk = anthropic_tracing.SPAN_ATTRIBUTES["anthropic.messages.create"]["response"]
    cache = {k: v for k, v in chat.attributes.items() if "cache" in k}
    assert cache == {
        "gen_ai.usage.cache_read.input_tokens": 0,
        "gen_ai.usage.cache_write.input_tokens": 0,
    }
    assert set(cache) <= set(sdk)


def test_each_call_runs_at_low_effort_and_hands_its_thinking_back(double, traced):
    _, tracer, store = traced
    tracing.answer(tracer, store, QUESTION)
    first, second = (r.body for r in double.requests)
    for body in (first, second):
        assert body["model"] == "claude-sonnet-5-5"
        assert body["max_tokens"] == 1024
        assert body["output_config"] == {"effort": "low"}
        assert body["system"] == SYSTEM
    # The tool call goes back with the thinking block that came before it.
    thought, call = second["messages"][1]["content"]
    assert (thought["type"], thought["thinking"]) == ("thinking", "")
    assert thought["signature"]
    assert call["type"] == "tool_use"


def test_a_reply_cut_off_is_an_error_not_an_answer(double, traced):
    memory, tracer, store = traced
    cut = {
        "match": {"user": "double-stage5: cut answer"},
        "reply": {
            "content": [{"type": "text", "text": "Order HL-20931 is"}],
            "stop_reason": "max_tokens",
        },
    }
    with double.script([cut]), pytest.raises(IncompleteReply, match="max_tokens"):
        tracing.answer(tracer, store, "double-stage5: cut answer")
    chat = by_name(memory)["chat claude-sonnet-5-5"]
    assert chat.attributes["gen_ai.response.finish_reasons"] == ("max_tokens",)


def test_no_key_and_no_personal_data_on_any_span(double, traced):
    memory, tracer, store = traced
    email, phone = "jo.bloggs@example.com", "+44 20 7946 0958"
    tracing.answer(tracer, store, f"I'm {email}, call {phone}. {QUESTION}")
    exported = "".join(span.to_json() for span in memory.get_finished_spans())
    assert email not in exported
    assert phone not in exported
    assert os.environ["ANTHROPIC_API_KEY"] not in exported
    assert "jo.bloggs" not in exported
    # The content is in the payload store, which has its own access rules.
    digest = by_name(memory)["chat claude-sonnet-5-5"].attributes["app.request.sha256"]
    assert email in json.dumps(store.get(digest))


def test_redact_masks_emails_cards_and_phone_numbers():
    text = "jo@example.com paid with 4111 1111 1111 1111, call +44 20 7946 0958"
    assert tracing.redact(text) == "<email> paid with <card>, call <phone>"


def tool_call(order_id: str) -> dict:
    call = {"type": "tool_use", "name": "order_status", "input": {"order_id": order_id}}
    return {"content": [call]}


def test_a_failed_tool_is_an_observation_and_an_error_span(double, traced):
    memory, tracer, store = traced
    missing = {
        "match": {"user": "double-stage5: order HL-99999"},
        "reply": tool_call("HL-99999"),
    }
    with double.script([missing]):
        tracing.answer(tracer, store, "double-stage5: order HL-99999")
    tool = by_name(memory)["execute_tool order_status"]
    assert tool.status.status_code == StatusCode.ERROR
    assert tool.status.description == "no order HL-99999"
    assert tool.attributes["error.type"] == "tool_error"
    result = double.requests[-1].body["messages"][-1]["content"][0]
    assert result["is_error"] is True


def test_an_api_error_marks_the_chat_span(double, traced):
    memory, tracer, store = traced
    bad = {
        "match": {"user": "double-stage5: bad request"},
        "error": {"status": 400, "type": "invalid_request_error", "message": "bad"},
    }
    with double.script([bad]), pytest.raises(tracing.anthropic.BadRequestError):
        tracing.answer(tracer, store, "double-stage5: bad request")
    chat = by_name(memory)["chat claude-sonnet-5-5"]
    assert chat.status.status_code == StatusCode.ERROR
    assert chat.attributes["error.type"] == "BadRequestError"


def test_the_loop_stops_at_its_step_budget(double, traced):
    memory, tracer, store = traced
    forever = {
        "match": {"system": "order assistant", "tool_result": "order_status"},
        "reply": tool_call("HL-35590"),
    }
    with double.script([forever]), pytest.raises(RuntimeError, match="4 model calls"):
        tracing.answer(tracer, store, QUESTION)
    chats = [s for s in memory.get_finished_spans() if s.name.startswith("chat")]
    assert len(chats) == 4


def test_the_store_refuses_a_payload_that_changed(tmp_path):
    store = tracing.PayloadStore(tmp_path)
    digest = store.put({"model": "m", "messages": []})
    assert store.get(digest) == {"model": "m", "messages": []}
    (tmp_path / f"{digest}.json").write_text('{"model": "other"}')
    with pytest.raises(ValueError, match="does not match its hash"):
        store.get(digest)


def test_main_prints_console_spans_the_answer_and_the_tree(capsys, live):
    runpy.run_module("snippets.stage5.tracing", run_name="__main__")
    out = capsys.readouterr().out
    assert '"name": "chat claude-sonnet-5-5"' in out  # the console exporter
    assert "\ninvoke_agent support-assistant\n  retrieval support-policy\n" in out
    if not live:
        assert_page_shows(
            OBSERVABILITY_PAGE, "The end of `python -m snippets.stage5.trac", out
        )
