import runpy

import pydantic
import pytest

from snippets.stage1.fence import fence
from snippets.stage5 import judge

TICKET = "double-stage5: judge ticket"


def test_main_fails_the_draft_that_calls_a_cracked_lid_safe(capsys, live):
    runpy.run_module("snippets.stage5.judge", run_name="__main__")
    out = capsys.readouterr().out
    assert out.startswith("fail (failed: [")
    if not live:
        assert out.startswith("fail (failed: [2, 3, 6])")


RUBRIC = """You grade draft replies to customers against the support policy above.
A draft passes only if it meets every criterion; name each one it misses.

1. Answer first: the customer's actual question is answered, or the next step
   given, in the first two sentences.
2. Granted remedies only: every refund, replacement, exception or change it
   offers is one the policy grants for this exact situation.
3. No unsupported promises: no date, amount, outcome or fact that the policy or
   the order details in the ticket do not support.
4. The right questions: it asks for every piece of information the next step
   needs, and for nothing else.
5. No sensitive data: no card numbers, passwords, full addresses or phone
   numbers, even ones the customer wrote.
6. House style: opens with neither thanks nor an apology, no emoji, no
   exclamation mark in a reply about a problem, no blame, never says what "the
   policy says", signed "The Harbour Lane team".
7. Escalation: when the policy says a case goes to an agent, the draft says an
   agent will reply and when.

Grade the draft, not the customer. Do not reward length, or politeness that
breaks a criterion. Write your reasoning before the verdict."""


def test_the_judge_sends_the_policy_as_a_cached_prefix_and_the_rubric_after(double):
    judge.judge_reply("p02b", TICKET, "draft")
    body = double.requests[-1].body
    policy, rubric = body["system"]
    assert policy["cache_control"] == {"type": "ephemeral"}
    assert policy["text"].startswith("# Harbour Lane Kitchenware")
    assert rubric == {"type": "text", "text": RUBRIC}  # as the page shows it
    assert body["model"] == "claude-sonnet-5-5"
    assert body["max_tokens"] == 2048
    assert body["output_config"]["effort"] == "low"  # a pass/fail needs little thought
    properties = list(body["output_config"]["format"]["schema"]["properties"])
    assert properties == ["reasoning", "failed_criteria", "verdict"]  # reasons first
    assert body["messages"][0]["content"] == (
        f"{fence(TICKET, 'ticket')}\n{fence('draft', 'draft p02b')}"
    )


def test_a_verdict_must_agree_with_its_failed_criteria():
    with pytest.raises(pydantic.ValidationError, match="a pass lists no failed"):
        judge.Verdict(reasoning="r", failed_criteria=[3], verdict="pass")
    with pytest.raises(pydantic.ValidationError):
        judge.Verdict(reasoning="r", failed_criteria=[], verdict="fail")


def scripted(draft_id: str, text: str, stop_reason: str, **reply) -> dict:
    content = [{"type": "text", "text": text}]
    return {
        "match": {"user": f'source="draft {draft_id}">'},
        "reply": {"content": content, "stop_reason": stop_reason, **reply},
    }


PASS = '{"reasoning": "ok", "failed_criteria": [], "verdict": "pass"}'


def test_a_refusal_is_no_verdict_even_when_its_text_says_pass(double):
    details = {"type": "refusal", "category": "general_harms", "explanation": None}
    refused = scripted("x1", PASS, "refusal", stop_details=details)
    with (
        double.script([refused]),
        pytest.raises(judge.JudgeFailed) as failed,
    ):
        judge.judge_reply("x1", TICKET, "draft")
    assert str(failed.value) == (
        "the judge gave no verdict: the model declined (category: general_harms)"
    )


def test_a_cut_off_or_inconsistent_verdict_is_a_judge_failure(double):
    cut = scripted("x2", '{"reasoning": "The draft', "max_tokens")
    # Fits the API's schema, but a pass that lists a failed criterion is no verdict.
    inconsistent = scripted(
        "x3",
        '{"reasoning": "r", "failed_criteria": [3], "verdict": "pass"}',
        "end_turn",
    )
    with double.script([cut, inconsistent]):
        with pytest.raises(judge.JudgeFailed, match=r"^no Verdict: cut off at max_tok"):
            judge.judge_reply("x2", TICKET, "draft")
        with pytest.raises(judge.JudgeFailed, match=r"^the judge's reply did not fit"):
            judge.judge_reply("x3", TICKET, "draft")


def test_pairwise_comparison_names_a_position(double):
    better = {"reasoning": "B grants only what the policy allows.", "better": "B"}
    entry = {"match": {"user": 'source="reply A">\nfirst'}, "json": better}
    with double.script([entry]):
        assert judge.compare(TICKET, "first", "second") == "B"
    body = double.requests[-1].body
    assert body["system"][1]["text"] == judge.PAIRWISE
    assert "means nothing" in judge.PAIRWISE
    assert body["messages"][0]["content"] == (
        f"{fence(TICKET, 'ticket')}\n{fence('first', 'reply A')}\n"
        f"{fence('second', 'reply B')}"
    )
