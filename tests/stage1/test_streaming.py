import runpy

from snippets.stage1 import streaming


def test_main_streams_and_reports_timing(capsys):
    runpy.run_module("snippets.stage1.streaming", run_name="__main__")
    out = capsys.readouterr().out
    assert "time to first token:" in out
    assert "stop_reason: end_turn" in out


def test_streamed_text_is_the_whole_reply_and_first_token_comes_first(capsys, live):
    reply = streaming.stream_reply(
        "Explain in four sentences why streaming helps a chat UI."
    )
    printed = capsys.readouterr().out
    assert printed.strip() == reply.text.strip()
    assert 0 < reply.time_to_first_token_s <= reply.total_s
    assert reply.stop_reason == "end_turn"
    if not live:
        assert reply.text.startswith("People judge speed")


def test_the_request_asks_for_a_stream(double):
    streaming.stream_reply("Explain in four sentences why streaming helps a chat UI.")
    assert double.requests[-1].body["stream"] is True
