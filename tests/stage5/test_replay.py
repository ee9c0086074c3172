import runpy

import anthropic
import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)

from snippets.stage5 import replay, tracing


def test_replay_sends_the_byte_identical_request(double, tmp_path):
    memory = InMemorySpanExporter()
    tracer = tracing.tracer_provider(memory).get_tracer("test")
    store = tracing.PayloadStore(tmp_path)
    tracing.answer(tracer, store, "Where is order HL-20931? It was due Monday.")
    first, second = replay.model_calls(memory.get_finished_spans())
    sent = [r.body for r in double.requests]
    assert replay.rebuild_request(first, store) == sent[0]
    assert replay.rebuild_request(second, store) == sent[1]

    again = replay.replay(second, store)
    assert double.requests[-1].body == sent[1]
    assert again.stop_reason == "end_turn"


def test_a_changed_prompt_replays_on_the_first_call_not_a_later_one(double, tmp_path):
    memory = InMemorySpanExporter()
    tracer = tracing.tracer_provider(memory).get_tracer("test")
    store = tracing.PayloadStore(tmp_path)
    tracing.answer(tracer, store, "Where is order HL-20931? It was due Monday.")
    first, second = replay.model_calls(memory.get_finished_spans())
    shorter = " Answer in one sentence."
    changed = replay.rebuild_request(first, store)
    changed["system"] += shorter
    assert replay.client.messages.create(**changed).stop_reason == "tool_use"
    later = replay.rebuild_request(second, store)
    later["system"] += shorter  # its history holds a thinking block from the old prompt
    with pytest.raises(anthropic.BadRequestError, match="different conversation"):
        replay.client.messages.create(**later)


def test_a_span_without_a_request_hash_cannot_be_replayed(double, tmp_path):
    memory = InMemorySpanExporter()
    tracer = tracing.tracer_provider(memory).get_tracer("test")
    tracing.retrieve(tracer, "refund")
    (span,) = memory.get_finished_spans()
    with pytest.raises(ValueError, match=r"has no app\.request\.sha256"):
        replay.rebuild_request(span, tracing.PayloadStore(tmp_path))


def test_main_rebuilds_and_replays_the_last_call(capsys, live):
    runpy.run_module("snippets.stage5.replay", run_name="__main__")
    out = capsys.readouterr().out
    assert "model calls in the trace: " in out
    assert "finish reason then: end_turn, on replay: " in out
    if not live:
        assert "model calls in the trace: 2\n" in out
        assert "rebuilt chat claude-sonnet-5-5: 3 messages\n" in out
        assert "finish reason then: end_turn, on replay: end_turn" in out
