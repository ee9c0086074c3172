import runpy
from typing import get_args

import pytest

from snippets.stage1.first_call import IncompleteReply
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


def test_step_two_is_sent_step_one_parsed_output(double):
    facts, _ = chain.run_chain(EMAIL)
    step1, step2 = (r.body for r in double.requests)
    assert step1["model"] == chain.EXTRACT_MODEL
    assert step2["model"] == chain.MODEL
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
