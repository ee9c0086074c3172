import runpy

import pydantic
import pytest

from snippets.stage5 import judge

TICKET = "double-stage5: judge ticket"


def test_main_fails_the_draft_that_calls_a_cracked_lid_safe(capsys, live):
    runpy.run_module("snippets.stage5.judge", run_name="__main__")
    out = capsys.readouterr().out
    assert out.startswith("fail (failed: [")
    if not live:
        assert out.startswith("fail (failed: [2, 3, 6])")


def test_the_judge_sends_the_policy_as_a_cached_prefix_and_the_rubric_after(double):
    judge.judge_reply("p02b", TICKET, "draft")
    body = double.requests[-1].body
    policy, rubric = body["system"]
    assert policy["cache_control"] == {"type": "ephemeral"}
    assert policy["text"].startswith("# Harbour Lane Kitchenware")
    assert rubric["text"] == judge.RUBRIC
    for number in range(1, 8):
        assert f"\n{number}. " in judge.RUBRIC
    properties = list(body["output_config"]["format"]["schema"]["properties"])
    assert properties == ["reasoning", "failed_criteria", "verdict"]  # reasons first
    assert '<draft id="p02b">draft</draft>' in body["messages"][0]["content"]


def test_a_verdict_must_agree_with_its_failed_criteria():
    with pytest.raises(pydantic.ValidationError, match="a pass lists no failed"):
        judge.Verdict(reasoning="r", failed_criteria=[3], verdict="pass")
    with pytest.raises(pydantic.ValidationError):
        judge.Verdict(reasoning="r", failed_criteria=[], verdict="fail")


def test_no_usable_verdict_is_a_judge_failure_not_a_pass(double):
    refusal = {
        "match": {"user": '<draft id="x1">'},
        "reply": {
            "content": [{"type": "text", "text": "No."}],
            "stop_reason": "refusal",
        },
    }
    cut = {
        "match": {"user": '<draft id="x2">'},
        "reply": {
            "content": [
                {
                    "type": "text",
                    "text": '{"reasoning": "ok", "failed_criteria": [], '
                    '"verdict": "pass"}',
                }
            ],
            "stop_reason": "refusal",
        },
    }
    with double.script([refusal, cut]):
        with pytest.raises(judge.JudgeFailed, match="did not fit Verdict"):
            judge.judge_reply("x1", TICKET, "draft")
        with pytest.raises(judge.JudgeFailed, match="stop_reason=refusal"):
            judge.judge_reply("x2", TICKET, "draft")


def test_pairwise_comparison_names_a_position(double):
    better = {"reasoning": "B grants only what the policy allows.", "better": "B"}
    with double.script([{"match": {"user": "<reply_a>first"}, "json": better}]):
        assert judge.compare(TICKET, "first", "second") == "B"
    body = double.requests[-1].body
    assert body["system"][1]["text"] == judge.PAIRWISE
    assert "means nothing" in judge.PAIRWISE
    assert body["messages"][0]["content"].endswith(
        "<reply_a>first</reply_a>\n<reply_b>second</reply_b>"
    )
