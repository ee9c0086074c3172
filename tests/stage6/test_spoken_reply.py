"""What the Stage 6 page promises about streaming a reply to speech."""

import re
import runpy
from types import SimpleNamespace

import pytest

from snippets.stage6 import spoken_reply as sr
from tests.docs_blocks import assert_page_shows, shown_block
from tests.stage6 import STAGE_PAGE

LATENCY = re.compile(r"^first sentence ready after \d+ ms$")


def test_main_speaks_sentence_by_sentence_and_reports_latency(capsys, live):
    runpy.run_module("snippets.stage6.spoken_reply", run_name="__main__")
    out = capsys.readouterr().out
    lines = out.splitlines()
    spoken = [line for line in lines if line.startswith("tts <- ")]
    assert spoken, "the reply must reach the speech engine"
    assert all(line.rstrip()[-1] in ".!?" for line in spoken[:-1])
    assert LATENCY.match(lines[-1])
    if live:
        return
    # The timing measures the double and changes from run to run; the page says
    # so. Everything else on the page is exactly what the code printed.
    _, shown = shown_block(STAGE_PAGE, "spoken_reply.py:answer")
    page_latency = shown[-1]
    assert LATENCY.match(page_latency)
    printed = "\n".join([*lines[:-1], page_latency])
    assert_page_shows(STAGE_PAGE, "spoken_reply.py:answer", printed)


def test_the_latency_is_the_time_to_the_first_sentence(double, capsys, monkeypatch):
    ticks = iter([100.0, 100.75])  # the start, then the first sentence; no more
    clock = SimpleNamespace(perf_counter=lambda: next(ticks))
    monkeypatch.setattr(sr, "time", clock)
    sr.main()
    _, shown = shown_block(STAGE_PAGE, "spoken_reply.py:answer")
    assert capsys.readouterr().out.splitlines() == [
        *shown[:-1],
        "first sentence ready after 750 ms",
    ]


@pytest.mark.parametrize(
    ("chunks", "expected"),
    [
        (
            ["Yes, we're op", "en. You can", " come by. Bye"],
            ["Yes, we're open.", "You can come by.", "Bye"],
        ),
        (
            ["It costs 3.5", "0 euros. Fine?", " Good!"],
            ["It costs 3.50 euros.", "Fine?", "Good!"],
        ),
        (["One. Two. ", "Three."], ["One.", "Two.", "Three."]),
        ([" ", ""], []),
    ],
)
def test_chunks_are_regrouped_into_whole_sentences(chunks, expected):
    assert list(sr.sentences(chunks)) == expected


def test_each_sentence_is_released_before_the_stream_ends():
    released = []

    def chunks():
        yield "First one. Sec"
        released.append("after chunk 1")
        yield "ond one."

    stream = sr.sentences(chunks())
    assert next(stream) == "First one."
    assert released == [], "the first sentence must not wait for the next chunk"
    assert list(stream) == ["Second one."]


def test_the_request_uses_a_small_model_a_spoken_style_and_no_thinking(double, capsys):
    sr.answer_caller(sr.TRANSCRIPT)
    body = double.requests[-1].body
    assert body["model"] == "claude-haiku-5-5"
    assert body["max_tokens"] == 200
    assert body["thinking"] == {"type": "disabled"}  # no silence before the first word
    assert body["output_config"] == {"effort": "low"}
    assert body["stream"] is True
    assert body["system"] == (
        "You answer phone calls for Lindenblatt Bikes, a bicycle repair shop. "
        "Reply in at most three short sentences of plain speech. "
        "No lists, no markdown, no links, no emoji. "
        "Say times and numbers the way a person says them aloud."
    )
    assert body["messages"] == [{"role": "user", "content": sr.TRANSCRIPT}]
    assert capsys.readouterr().out.startswith("tts <- Yes, we're open on Sunday")


def test_a_reply_cut_off_is_handed_to_a_person_after_what_was_said(double, capsys):
    cut = {
        "content": [{"type": "text", "text": "Yes, we're open on Sunday. You can"}],
        "stop_reason": "max_tokens",
    }
    with double.script([{"match": {"user": "open on sunday"}, "reply": cut}]):
        sr.main()
    said, handed_over = capsys.readouterr().out.splitlines()[-2:]
    assert said == "tts <- You can"  # speech already out cannot be taken back
    assert handed_over.startswith(
        "reply stopped early, hand the call to a person: cut off at max_tokens after "
    )


def test_an_empty_reply_is_handed_to_a_person(double, capsys):
    empty = {"reply": {"content": [], "stop_reason": "end_turn"}}
    with double.script([{"match": {"user": "open on sunday"}, **empty}]):
        sr.main()
    assert capsys.readouterr().out == "no reply: hand the call to a person\n"
