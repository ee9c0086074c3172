import runpy
from typing import get_args

import pytest

from snippets.stage1.fence import fence
from snippets.stage2 import few_shot
from snippets.stage2.few_shot import EXAMPLES, Triage

CATEGORIES = get_args(Triage.model_fields["category"].annotation)
URGENCIES = get_args(Triage.model_fields["urgency"].annotation)
CRACKED_PAN = (
    "The handle on my cast iron skillet is fine but the pan has a crack running "
    "from the rim into the base. I only ever use it on gas. Order HL-20998."
)


def test_main_triages_two_tickets(capsys):
    runpy.run_module("snippets.stage2.few_shot", run_name="__main__")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert all(line.split()[0] in CATEGORIES for line in lines)


def test_main_prints_the_doubles_triage(double, capsys):
    runpy.run_module("snippets.stage2.few_shot", run_name="__main__")
    assert capsys.readouterr().out == (
        "warranty  normal  Cast iron skillet from order HL-20998 cracked from rim "
        "into base; used on gas only.\n"
        "other     normal  Wants a gift note added to an order placed twenty "
        "minutes ago.\n"
    )


def test_the_examples_are_diverse():
    categories = {example.triage.category for example in EXAMPLES}
    assert len(categories) == len(EXAMPLES)  # no category shown twice
    assert {example.triage.urgency for example in EXAMPLES} == set(URGENCIES)
    lengths = sorted(len(example.ticket) for example in EXAMPLES)
    assert lengths[-1] > 3 * lengths[0]  # short and long tickets


def test_every_example_is_fenced_in_the_system_prompt():
    prompt = few_shot.system_prompt()
    assert prompt.startswith(few_shot.INSTRUCTIONS)
    assert prompt.count("<example>") == prompt.count("</example>") == len(EXAMPLES)
    for example in EXAMPLES:
        assert example.triage.model_dump_json() in prompt


def test_wording_lifted_from_an_example_is_caught():
    copied = "Order HL-31877 is two days past its delivery estimate."
    ticket = "My order HL-55012 still has not arrived, it was due on Monday."
    assert few_shot.copied_from_examples(copied, ticket) == [
        "hl-31877 is two days past its",
        "is two days past its delivery",
        "order hl-31877 is two days past",
        "two days past its delivery estimate",
    ]


def test_wording_the_ticket_itself_uses_is_not_copying():
    ticket = "Where is my order HL-31877? It said Tuesday and it's Thursday."
    summary = "Customer asks where is my order HL-31877 after its estimate."
    assert few_shot.copied_from_examples(summary, ticket) == []


def test_triage_sends_the_examples_and_returns_a_typed_answer(double):
    result = few_shot.triage(CRACKED_PAN)
    assert result.category == "warranty"
    [request] = [r.body for r in double.requests]
    # The small model at low effort, with room for its thinking and the JSON.
    assert request["model"] == "claude-haiku-5-5"
    assert request["max_tokens"] == 1000
    assert request["output_config"]["effort"] == "low"
    assert request["system"] == few_shot.system_prompt()
    assert request["system"].startswith("Triage Harbour Lane Kitchenware support")
    assert request["system"].endswith("</example>\n</examples>")
    assert request["messages"] == [
        {"role": "user", "content": fence(CRACKED_PAN, "ticket")}
    ]


def test_triage_answers_within_the_schema(live):
    result = few_shot.triage(CRACKED_PAN)
    assert result.category in CATEGORIES
    assert result.urgency in URGENCIES
    assert few_shot.copied_from_examples(result.summary, CRACKED_PAN) == []


def test_an_answer_that_copies_an_example_is_rejected(double):
    copying = {
        "match": {"user": "HL-55012"},
        "json": {
            "category": "delivery",
            "urgency": "normal",
            "summary": "Order HL-31877 is two days past its delivery estimate.",
        },
    }
    ticket = "My order HL-55012 still has not arrived, it was due on Monday."
    with (
        double.script([copying]),
        pytest.raises(few_shot.CopiedExample, match="hl-31877"),
    ):
        few_shot.triage(ticket)
