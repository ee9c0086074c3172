import re
import runpy
import types

import pytest

from snippets.stage1 import streaming
from snippets.stage1.replies import IncompleteReply

QUESTION = "Explain in four sentences why streaming helps a chat UI."
ANSWER = (
    "People judge speed by when the first words appear, not when the last ones do. "
    "Streaming shows text as the model writes it, so the wait drops from the whole "
    "reply to the first token. It also lets the reader stop a reply that is going "
    "the wrong way. The total time is the same; the experience is not."
)


def test_main_streams_the_answer_then_reports_timing(capsys, double):
    runpy.run_module("snippets.stage1.streaming", run_name="__main__")
    answer, timing, end = capsys.readouterr().out.split("\n")
    assert (answer, end) == (ANSWER, "")
    assert re.fullmatch(
        r"time to first token: \d+\.\d\ds, total: \d+\.\d\ds, stop_reason: end_turn",
        timing,
    )


def test_streamed_text_is_the_whole_reply_and_first_token_comes_first(capsys, double):
    reply = streaming.stream_reply(QUESTION)
    assert capsys.readouterr().out == ANSWER + "\n"
    assert reply.text == ANSWER
    assert 0 < reply.time_to_first_token_s <= reply.total_s
    assert reply.stop_reason == "end_turn"


def test_the_request_asks_for_a_stream_with_room_to_think(double):
    streaming.stream_reply(QUESTION)
    body = double.requests[-1].body
    assert (body["stream"], body["model"], body["max_tokens"]) == (
        True,
        "claude-sonnet-5-5",
        2000,
    )


def test_a_stream_that_ends_at_max_tokens_is_not_used(double):
    cut = {
        "match": {"user": "double-stage1: long stream"},
        "reply": {
            "content": [{"type": "text", "text": "Half of it"}],
            "stop_reason": "max_tokens",
        },
    }
    with double.script([cut]), pytest.raises(IncompleteReply, match=r"^cut off at"):
        streaming.stream_reply("double-stage1: long stream")


def test_time_to_first_token_is_measured_at_the_first_text(double, monkeypatch):
    clock = iter([10.0, 10.5, 12.0])  # start, first text, end
    # The module's own clock only: the SDK keeps the real one.
    monkeypatch.setattr(
        streaming, "time", types.SimpleNamespace(perf_counter=lambda: next(clock))
    )
    reply = streaming.stream_reply(QUESTION)
    assert (reply.time_to_first_token_s, reply.total_s) == (0.5, 2.0)
