import runpy
from dataclasses import replace

import pytest

from snippets.stage1.replies import IncompleteReply
from snippets.stage2 import context_budget as cb
from snippets.stage2.ordering_and_structure import Document
from tests.docs_blocks import assert_page_shows
from tests.stage2 import STAGE_PAGE

QUESTION = (
    "Photos attached. I'd like a new one rather than a refund, please. "
    "Do I need to send the chipped one back?"
)


def support_context() -> cb.Context:
    sections = cb.policy_sections()
    return cb.Context(
        system="You draft replies for Harbour Lane Kitchenware customer support.",
        documents=[
            Document(
                "policy: damaged parcels", sections["Lost, late and damaged parcels"]
            ),
            Document("policy: voice and tone", sections["Voice and tone"]),
        ],
        history=cb.HISTORY,
        question=QUESTION,
    )


def test_main_reports_costs_before_and_after_trimming(capsys):
    runpy.run_module("snippets.stage2.context_budget", run_name="__main__")
    out = capsys.readouterr().out
    budget = int(out.split("budget: ")[1].split()[0])
    after = [line for line in out.splitlines() if "after" in line]
    assert int(after[-1].split()[1]) <= budget
    assert "summary of the earlier conversation" in out


def test_cost_by_part_names_every_part():
    context = support_context()
    costs = cb.cost_by_part(context)
    assert list(costs) == [
        "system",
        "policy: damaged parcels",
        "policy: voice and tone",
        "history (6 turns)",
        "question",
        "whole request",
    ]
    assert all(tokens > 0 for tokens in costs.values())
    assert costs["whole request"] == cb.count(context)
    assert costs["policy: damaged parcels"] > costs["question"]


def test_the_trimmed_context_fits_the_budget_and_keeps_what_matters():
    context = support_context()
    budget = cb.count(context) - 100
    trimmed = cb.fit_to_budget(context, budget)
    assert cb.count(trimmed) <= budget
    assert trimmed.system == context.system
    assert trimmed.question == context.question
    assert trimmed.messages()[-1]["content"].endswith(
        f"<question>\n{QUESTION}\n</question>"
    )
    assert trimmed.documents[0].source == "summary of the earlier conversation"
    assert trimmed.documents[1:] == context.documents
    # Only the oldest turns go: what is kept is the end of the conversation.
    kept = len(trimmed.history)
    assert kept < len(context.history)
    assert trimmed.history == context.history[len(context.history) - kept :]


def test_the_summary_is_made_from_the_dropped_turns_by_the_small_model(double):
    context = support_context()
    trimmed = cb.fit_to_budget(context, cb.count(context) - 100)
    [summary_request] = [r.body for r in double.requests if r.path == "/v1/messages"]
    # What the page shows: the small model, at low effort, with room to think.
    assert {k: v for k, v in summary_request.items() if k != "messages"} == {
        "model": "claude-haiku-5-5",
        "max_tokens": 1200,
        "output_config": {"effort": "low"},
        "system": "You condense support conversations for the agent who takes over.",
    }
    prompt = summary_request["messages"][0]["content"]
    dropped = context.history[: len(context.history) - len(trimmed.history)]
    assert cb.render(dropped) in prompt
    assert cb.render(trimmed.history) not in prompt


def test_a_context_that_fits_is_sent_unchanged_without_a_model_call(double):
    context = support_context()
    assert cb.fit_to_budget(context, cb.count(context)) is context
    assert all(r.path == "/v1/messages/count_tokens" for r in double.requests)


def test_parts_that_must_not_be_cut_over_budget_are_an_error():
    context = support_context()
    fixed = cb.count(replace(context, history=[]))
    with pytest.raises(cb.OverBudget, match=f"alone are {fixed} tokens"):
        cb.fit_to_budget(context, fixed - 1)


def test_no_room_for_the_summary_is_an_error_not_a_silent_loss():
    context = support_context()
    fixed = cb.count(replace(context, history=[]))
    with pytest.raises(cb.OverBudget, match="no room for a summary"):
        cb.fit_to_budget(context, fixed + 5)


def test_an_unfinished_summary_is_not_used(double):
    cut_off = {
        "match": {"system": "You condense support conversations", "user": "HL-20417"},
        "reply": {
            "content": [{"type": "text", "text": "Order HL-20417, a casserole that"}],
            "stop_reason": "max_tokens",
        },
    }
    context = support_context()
    with (
        double.script([cut_off]),
        pytest.raises(IncompleteReply, match="max_tokens"),
    ):
        cb.fit_to_budget(context, cb.count(context) - 100)


def test_the_page_shows_the_doubles_output(double, capsys):
    runpy.run_module("snippets.stage2.context_budget", run_name="__main__")
    assert_page_shows(
        STAGE_PAGE, '"snippets/stage2/context_budget.py"', capsys.readouterr().out
    )
