"""What the Stage 6 page promises about streaming a reply to speech."""

import runpy

import pytest

from snippets.stage6 import spoken_reply as sr


def test_main_speaks_sentence_by_sentence_and_reports_latency(capsys):
    runpy.run_module("snippets.stage6.spoken_reply", run_name="__main__")
    lines = capsys.readouterr().out.splitlines()
    spoken = [line for line in lines if line.startswith("tts <- ")]
    assert spoken, "the reply must reach the speech engine"
    assert all(line.rstrip()[-1] in ".!?" for line in spoken[:-1])
    assert lines[-1].startswith("first sentence ready after ")


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


def test_the_request_uses_a_small_model_and_a_spoken_style(double, capsys):
    sr.answer_caller(sr.TRANSCRIPT)
    body = double.requests[-1].body
    assert body["model"] == "claude-haiku-5-5"
    assert body["stream"] is True
    assert "no markdown" in body["system"]
    assert body["messages"] == [{"role": "user", "content": sr.TRANSCRIPT}]
    assert capsys.readouterr().out.startswith("tts <- Yes, we're open on Sunday")


def test_an_empty_reply_is_handed_to_a_person(double, capsys):
    empty = {"reply": {"content": [], "stop_reason": "end_turn"}}
    with double.script([{"match": {"user": "open on sunday"}, **empty}]):
        sr.main()
    assert capsys.readouterr().out == "no reply: hand the call to a person\n"
