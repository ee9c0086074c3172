import runpy
from typing import get_args

import pytest

from snippets.stage1.replies import IncompleteReply
from snippets.stage2 import prompt_chaining as chain
from snippets.stage2.prompt_chaining import EMAIL, TicketFacts
from snippets.stage2.structured_step import StepFailed


def test_main_prints_the_facts_then_the_draft(capsys):
    runpy.run_module("snippets.stage2.prompt_chaining", run_name="__main__")
    out = capsys.readouterr().out
    facts = TicketFacts.model_validate_json(out[: out.index("}\n") + 1])
    assert facts.order_number == "HL-20417"
    assert out[out.index("}\n") + 2 :].strip()


def test_step_one_extracts_typed_facts():
    facts = chain.extract_facts(EMAIL)
    assert facts.order_number == "HL-20417"
    assert facts.issue == "damaged"


def test_main_prints_the_doubles_facts_then_draft(double, capsys):
    runpy.run_module("snippets.stage2.prompt_chaining", run_name="__main__")
    out = capsys.readouterr().out
    facts = (
        '{\n  "customer_name": "Priya",\n  "order_number": "HL-20417",\n'
        '  "items": [\n    "24 cm frying pan",\n    "enamelled casserole"\n  ],\n'
        '  "issue": "damaged",\n'
        '  "customer_wants": "A replacement casserole, not a refund",\n'
        '  "mentions_safety_risk": false\n}\n'
    )
    draft = (
        "Hi Priya,\n\n"
        "We will send you a new enamelled casserole for order HL-20417. A chipped "
        "lid on arrival counts as damage, and I'm sorry it reached you that way.\n\n"
        "Reply with your photos of the chip and of the dented box. Once we have "
        "them, we will email you a prepaid label for the damaged casserole and send "
        "the new one as soon as the carrier scans the return.\n\n"
        "The Harbour Lane team\n"
    )
    assert out == facts + draft


def test_step_two_is_sent_step_one_parsed_output(double):
    facts, _ = chain.run_chain(EMAIL)
    step1, step2 = (r.body for r in double.requests)
    # Step one: the small model at low effort. Step two: the capable one at high.
    assert step1["model"] == "claude-haiku-5-5"
    assert step1["max_tokens"] == 1500
    assert step1["output_config"]["effort"] == "low"
    assert step1["system"] == (
        "Extract facts from customer emails. Use null for anything not stated."
    )
    assert {k: v for k, v in step2.items() if k != "messages"} == {
        "model": "claude-sonnet-5-5",
        "max_tokens": 5000,
        "output_config": {"effort": "high"},
        "system": "You draft replies for Harbour Lane Kitchenware customer support.",
    }
    prompt = step2["messages"][-1]["content"]
    assert facts.model_dump_json(indent=2) in prompt
    # The facts chose the policy: damage sections in, unrelated ones out.
    assert "## Lost, late and damaged parcels" in prompt
    assert "## Returns" in prompt
    assert "## Subscriptions" not in prompt
    assert "## Warranty" not in prompt


def test_every_issue_maps_to_sections_that_exist():
    issues = get_args(TicketFacts.model_fields["issue"].annotation)
    assert set(chain.SECTIONS_FOR_ISSUE) == set(issues)
    titles = {t for ts in chain.SECTIONS_FOR_ISSUE.values() for t in ts}
    assert titles | set(chain.ALWAYS) <= set(chain.policy_sections())


def facts(issue: str, safety: bool) -> TicketFacts:
    return TicketFacts(
        customer_name=None,
        order_number=None,
        items=[],
        issue=issue,
        customer_wants="help",
        mentions_safety_risk=safety,
    )


def test_a_safety_risk_adds_the_safety_section_once():
    refund = [d.source for d in chain.documents_for(facts("refund", True), "x")]
    assert "policy: Product care and safety" in refund
    warranty = [d.source for d in chain.documents_for(facts("warranty", True), "x")]
    assert warranty.count("policy: Product care and safety") == 1
    plain = [d.source for d in chain.documents_for(facts("refund", False), "x")]
    assert "policy: Product care and safety" not in plain


def test_a_failed_extraction_stops_the_chain(double):
    refusal = {
        "match": {"user": "double-stage2: unreadable email"},
        "reply": {"content": [], "stop_reason": "refusal"},
    }
    with double.script([refusal]), pytest.raises(StepFailed, match="TicketFacts"):
        chain.run_chain("double-stage2: unreadable email")
    assert len(double.requests) == 1  # step two never ran


def test_an_unfinished_draft_is_an_error(double):
    cut_off = {
        "match": {"user": "Draft the reply to this customer email"},
        "reply": {
            "content": [{"type": "text", "text": "Hi Priya, we will"}],
            "stop_reason": "max_tokens",
        },
    }
    with double.script([cut_off]), pytest.raises(IncompleteReply):
        chain.draft_reply(facts("damaged", False), EMAIL)
