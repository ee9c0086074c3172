import runpy

import pytest

from snippets.stage1 import retries

TEXT = "The nightly export job now writes Parquet instead of CSV, which cut its size."


def test_main_survives_two_overloaded_responses(capsys, double):
    runpy.run_module("snippets.stage1.retries", run_name="__main__")
    assert "40 GB to 6 GB" in capsys.readouterr().out
    statuses = [r.status for r in double.requests]
    assert statuses == [529, 529, 200], "the SDK retried twice, then succeeded"


def test_persistent_overload_falls_back_to_the_smaller_model(double):
    with double.script(
        [
            {
                "match": {"user": "double-stage1: busy", "model": retries.MODEL},
                "error": {
                    "status": 529,
                    "type": "overloaded_error",
                    "message": "Overloaded",
                },
            },
            {
                "match": {"user": "double-stage1: busy"},
                "reply": {
                    "content": [{"type": "text", "text": "A short summary."}],
                    "stop_reason": "end_turn",
                },
            },
        ]
    ):
        assert retries.summarise("double-stage1: busy") == "A short summary."
    models = [r.body["model"] for r in double.requests]
    assert models == [retries.MODEL] * 3 + [retries.FALLBACK_MODEL]


def test_persistent_rate_limit_tells_the_caller_when_to_retry(double, capsys):
    with double.script(
        [
            {
                "match": {"user": "double-stage1: too fast"},
                "error": {
                    "status": 429,
                    "type": "rate_limit_error",
                    "message": "Number of request tokens has exceeded your rate limit",
                    "retry_after": 1,
                },
            }
        ]
    ):
        with pytest.raises(retries.RateLimited) as caught:
            retries.summarise("double-stage1: too fast")
        assert caught.value.retry_after_s == 1.0
        assert str(caught.value) == "rate limited; retry after 1.0 s"
        assert len(double.requests) == 3, "one attempt plus max_retries=2"


def test_main_reports_a_rate_limit_instead_of_crashing(double, capsys):
    with double.script(
        [
            {
                "match": {"user": "The nightly export job now writes Parquet"},
                "error": {
                    "status": 429,
                    "type": "rate_limit_error",
                    "message": "rate limited",
                    "retry_after": 1,
                },
            }
        ]
    ):
        retries.main()
    assert "try again in 1.0 s" in capsys.readouterr().out


def test_a_bad_request_is_not_retried(double):
    import anthropic

    with pytest.raises(anthropic.BadRequestError):
        retries.client.messages.create(
            model=retries.MODEL,
            max_tokens=100,
            messages=[
                {"role": "assistant", "content": TEXT},
                {"role": "user", "content": ""},
            ],
        )
    assert len(double.requests) == 1
