import runpy

import pytest

from snippets.stage1.fence import fence
from snippets.stage1.replies import IncompleteReply
from snippets.stage2 import verify_then_act as vta
from snippets.stage2.structured_step import StepFailed
from snippets.stage2.support_policy import load_policy
from snippets.stage2.verify_then_act import (
    CUSTOMER_MESSAGE,
    OVERPROMISING_DRAFT,
    CriterionResult,
    Verdict,
)


def all_met(count: int = 7) -> list[CriterionResult]:
    return [
        CriterionResult(criterion=n, met=True, evidence="ok")
        for n in range(1, count + 1)
    ]


def test_main_sends_the_good_draft_and_holds_the_bad_one(capsys, live):
    runpy.run_module("snippets.stage2.verify_then_act", run_name="__main__")
    out = capsys.readouterr().out
    assert out.strip().splitlines()[-1].startswith("  ")  # the held draft's failures
    assert "committed=False" in out
    assert "card number" not in out.split("committed=")[0]  # never sent
    if not live:
        assert out.count("SENT:") == 1


def test_main_prints_the_doubles_outcomes(double, capsys):
    runpy.run_module("snippets.stage2.verify_then_act", run_name="__main__")
    rubric = vta.rubric()
    assert capsys.readouterr().out == (
        "SENT:\n"
        "Thanks for sending the saucepan back. Because it reached us six weeks after "
        "delivery, outside our 30-day return window, an agent will decide whether we "
        "can accept it and will reply within one business day.\n\n"
        "You don't need to do anything in the meantime; the agent has your order "
        "HL-20733 and the returned saucepan.\n\n"
        "The Harbour Lane team\n\n"
        "committed=True failures=[]\n"
        "committed=False\n"
        f"  2. {rubric[1]} ('We'll refund the full amount' - a return after 30 days "
        "is an agent's decision.)\n"
        f"  3. {rubric[2]} ('today' - the policy gives no same-day refund.)\n"
        f"  4. {rubric[3]} (Asks for a card number, which the refund does not need.)\n"
        f"  5. {rubric[4]} ('reply with your card number'.)\n"
        f"  6. {rubric[5]} (Exclamation mark in a reply about a problem.)\n"
        f"  7. {rubric[6]} (A late return must be escalated; it is not.)\n"
    )


def test_the_rubric_is_the_policy_checklist():
    rubric = vta.rubric()
    assert len(rubric) == 7
    assert rubric[0].startswith("It answers the customer's actual question")
    assert rubric[2].endswith("does not support.")  # wrapped lines joined
    assert all("\n" not in item for item in rubric)


def test_a_failing_check_stops_the_commit():
    sent: list[str] = []
    verdict = vta.check(OVERPROMISING_DRAFT, CUSTOMER_MESSAGE)
    outcome = vta.commit_if_verified(OVERPROMISING_DRAFT, verdict, sent.append)
    assert not outcome.committed
    assert sent == []
    assert outcome.failures


def test_a_passing_check_commits_exactly_once(double):
    sent: list[str] = []
    outcome = vta.handle(CUSTOMER_MESSAGE, sent.append)
    assert outcome.committed
    assert outcome.failures == []
    assert len(sent) == 1
    assert "an agent will decide" in sent[0]


def test_the_checker_sees_the_draft_and_every_criterion(double):
    sent: list[str] = []
    vta.handle(CUSTOMER_MESSAGE, sent.append)
    draft_request, check_request = (r.body for r in double.requests)
    prompt = check_request["messages"][-1]["content"]
    assert fence(sent[0], "draft") in prompt
    for n, criterion in enumerate(vta.rubric(), start=1):
        assert f"{n}. {criterion}" in prompt
    # One cache entry for both calls: same model, same first system block.
    policy = {
        "type": "text",
        "text": load_policy(),
        "cache_control": {"type": "ephemeral"},
    }
    assert draft_request["model"] == check_request["model"] == "claude-sonnet-5-5"
    assert draft_request["system"][0] == check_request["system"][0] == policy


def test_both_calls_think_at_high_effort_with_room_to_finish(double):
    vta.handle(CUSTOMER_MESSAGE, [].append)
    draft_request, check_request = (r.body for r in double.requests)
    assert (draft_request["max_tokens"], draft_request["output_config"]) == (
        5000,
        {"effort": "high"},
    )
    assert check_request["max_tokens"] == 6000
    assert check_request["output_config"]["effort"] == "high"
    assert check_request["system"][1] == {
        "type": "text",
        "text": "You check draft replies written for Harbour Lane Kitchenware against "
        "the policy above. Be strict: a criterion is met only if the draft clearly "
        "meets it. Judge every numbered criterion you are given, and quote the draft "
        "as evidence.",
    }


def test_a_criterion_the_checker_skipped_counts_as_failed():
    verdict = Verdict(results=all_met(6))
    assert vta.failures(verdict) == [
        f"7. {vta.rubric()[6]} (not judged by the checker)"
    ]
    sent: list[str] = []
    assert not vta.commit_if_verified("draft", verdict, sent.append).committed
    assert sent == []


def test_a_criterion_judged_both_ways_counts_as_failed():
    contradiction = CriterionResult(
        criterion=2, met=False, evidence="promises a refund"
    )
    verdict = Verdict(results=[*all_met(), contradiction])
    assert vta.failures(verdict) == [f"2. {vta.rubric()[1]} (promises a refund)"]


def test_an_unfinished_draft_is_never_checked_or_sent(double):
    cut_off = {
        "match": {"user": "double-stage2: cut-off draft"},
        "reply": {
            "content": [{"type": "text", "text": "Thanks for sending the"}],
            "stop_reason": "max_tokens",
        },
    }
    sent: list[str] = []
    with double.script([cut_off]), pytest.raises(IncompleteReply):
        vta.handle("double-stage2: cut-off draft", sent.append)
    assert sent == []
    assert len(double.requests) == 1


def test_a_check_that_does_not_finish_never_commits(double):
    refused_check = {
        "match": {"system": "You check draft replies", "user": "HL-20733"},
        "reply": {"content": [], "stop_reason": "refusal"},
    }
    sent: list[str] = []
    with (
        double.script([refused_check]),
        pytest.raises(StepFailed, match=r"^Verdict: the model declined"),
    ):
        vta.handle(CUSTOMER_MESSAGE, sent.append)
    assert sent == []
