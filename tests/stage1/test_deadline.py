import asyncio
import runpy

import pytest

from snippets.stage1 import deadline


def test_main_answers_well_inside_the_deadline(capsys, double):
    runpy.run_module("snippets.stage1.deadline", run_name="__main__")
    assert capsys.readouterr().out == "429 Too Many Requests.\n"
    body = double.requests[-1].body
    assert (body["model"], body["max_tokens"], body["output_config"]) == (
        "claude-haiku-5-5",
        1000,
        {"effort": "low"},
    )


def overloaded(seconds):
    return {
        "match": {"user": "double-stage1: slow"},
        "error": {
            "status": 429,
            "type": "rate_limit_error",
            "message": "slow down",
            "retry_after": seconds,
        },
    }


def test_the_deadline_cuts_through_the_sdks_backoff(double):
    # The SDK would wait 2 s before its first retry; the deadline is 0.3 s. Without
    # the deadline the SDK would retry twice and raise RateLimitError instead.
    with double.script([overloaded(2)]), pytest.raises(deadline.DeadlineExceeded) as e:
        asyncio.run(deadline.answer_within("double-stage1: slow", 0.3))
    assert str(e.value) == "no answer within 0.3 s (attempts and backoff included)"
    assert len(double.requests) == 1, "the retry never started"


def test_main_reports_the_deadline(double, capsys, monkeypatch):
    async def too_slow(question, seconds):
        raise deadline.DeadlineExceeded("no answer within 10 s")

    monkeypatch.setattr(deadline, "answer_within", too_slow)
    deadline.main()
    assert capsys.readouterr().out == "gave up: no answer within 10 s\n"
