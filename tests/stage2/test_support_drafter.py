import runpy

import pytest

from snippets.stage1.replies import IncompleteReply
from snippets.stage2 import support_drafter as sd
from snippets.stage2.prompt_chaining import TicketFacts
from tests.docs_blocks import assert_page_shows
from tests.stage2 import STAGE_PAGE

LOST_PARCEL, LOOSE_HANDLE = sd.TICKETS


def test_main_handles_every_ticket(capsys, live):
    runpy.run_module("snippets.stage2.support_drafter", run_name="__main__")
    out = capsys.readouterr().out
    assert out.count("draft(s); cache:") == len(sd.TICKETS)
    if not live:
        assert out.splitlines()[-1] == "outbox: 2 sent, review queue: 0 held"


def test_every_ticket_ends_sent_or_held_never_both():
    outbox, review = sd.Outbox(), sd.ReviewQueue()
    result = sd.handle_ticket(LOST_PARCEL, outbox, review)
    assert result.status in ("sent", "held")
    assert len(outbox.sent) + len(review.held) == 1
    assert 1 <= len(result.draft_usage) <= 2  # at most one revision


def test_a_draft_that_passes_is_sent_once_with_its_order_number(double):
    outbox, review = sd.Outbox(), sd.ReviewQueue()
    result = sd.handle_ticket(LOST_PARCEL, outbox, review)
    assert result.status == "sent"
    assert outbox.sent == [("HL-41120", result.draft)]
    assert review.held == []


def test_the_draft_request_carries_step_one_facts_and_the_cached_policy(double):
    sd.handle_ticket(LOST_PARCEL, sd.Outbox(), sd.ReviewQueue())
    extract, draft = [r.body for r in double.requests if r.path == "/v1/messages"][:2]
    facts = TicketFacts.model_validate(
        {
            "customer_name": "Tomas",
            "order_number": "HL-41120",
            "items": [],
            "issue": "late_or_lost",
            "customer_wants": "Help with a parcel whose tracking has not moved",
            "mentions_safety_risk": False,
        }
    )
    assert extract["model"] == "claude-haiku-5-5"
    assert extract["output_config"]["effort"] == "low"
    assert facts.model_dump_json(indent=2) in draft["messages"][0]["content"]
    assert {k: v for k, v in draft.items() if k != "messages"} == {
        "model": "claude-sonnet-5-5",
        "max_tokens": 5000,
        "output_config": {"effort": "high"},
        "system": [
            {
                "type": "text",
                "text": sd.load_policy(),
                "cache_control": {"type": "ephemeral"},
            },
            {
                "type": "text",
                "text": "You draft replies for Harbour Lane Kitchenware customer "
                "support, following the policy above exactly. When it does not "
                "cover a case, say an agent will reply.",
            },
        ],
    }


def test_the_second_ticket_reads_the_policy_from_the_cache():
    outbox, review = sd.Outbox(), sd.ReviewQueue()
    sd.handle_ticket(LOST_PARCEL, outbox, review)
    second = sd.handle_ticket(LOOSE_HANDLE, outbox, review)
    assert second.draft_usage[0].cache_read_input_tokens > 0


def test_a_failed_draft_is_revised_with_the_findings_then_sent(double):
    outbox, review = sd.Outbox(), sd.ReviewQueue()
    result = sd.handle_ticket(LOOSE_HANDLE, outbox, review)
    assert result.status == "sent"
    assert len(result.draft_usage) == 2
    assert result.draft.startswith("Please stop using the knife")
    revision = next(
        r.body
        for r in double.requests
        if r.path == "/v1/messages" and len(r.body["messages"]) == 3
    )
    assert (revision["max_tokens"], revision["output_config"]) == (
        5000,
        {"effort": "high"},
    )
    first_draft = revision["messages"][1]
    assert first_draft["role"] == "assistant"
    assert "refund order HL-41388 today" in first_draft["content"]
    assert "same-day refund for HL-41388" in revision["messages"][2]["content"]
    assert outbox.sent == [("HL-41388", result.draft)]


STILL_FAILING = {
    "match": {
        "system": "You check draft replies",
        "user": "Please stop using the knife until we have looked at it",
    },
    "json": {
        "results": [
            {"criterion": n, "met": n != 3, "evidence": "promises a reply today"}
            for n in range(1, 8)
        ]
    },
}


def test_a_draft_that_fails_twice_is_held_for_a_person_not_sent(double):
    outbox, review = sd.Outbox(), sd.ReviewQueue()
    with double.script([STILL_FAILING]):
        result = sd.handle_ticket(LOOSE_HANDLE, outbox, review)
    assert result.status == "held"
    assert outbox.sent == []
    [(email, draft, problems)] = review.held
    assert email == LOOSE_HANDLE
    assert draft == result.draft
    assert problems == result.failures
    assert problems[0].startswith("3. It promises no date")


def test_main_says_why_a_draft_was_held(double, capsys):
    with double.script([STILL_FAILING]):
        runpy.run_module("snippets.stage2.support_drafter", run_name="__main__")
    assert capsys.readouterr().out == (
        "sent after 1 draft(s); cache: 4503 tokens written, 0 read; "
        "drafting cost $0.01609\n"
        "held after 2 draft(s); cache: 0 tokens written, 9006 read; "
        "drafting cost $0.01074\n"
        "  held because: 3. It promises no date, amount or outcome the order "
        "record or policy does not support. (promises a reply today)\n"
        "outbox: 1 sent, review queue: 1 held\n"
    )


def test_an_oversized_request_is_refused_before_it_is_sent(monkeypatch):
    facts = TicketFacts(
        customer_name=None,
        order_number="HL-41120",
        items=[],
        issue="late_or_lost",
        customer_wants="help",
        mentions_safety_risk=False,
    )
    monkeypatch.setattr(sd, "MAX_INPUT_TOKENS", 1_000)
    with pytest.raises(sd.OverBudget, match="budget 1000"):
        sd.write(sd.first_request(facts, LOST_PARCEL))


def test_an_unfinished_draft_is_an_error(double):
    cut_off = {
        "match": {"system": "following the policy above exactly", "user": "HL-41120"},
        "reply": {
            "content": [{"type": "text", "text": "Hi Tomas, your parcel"}],
            "stop_reason": "max_tokens",
        },
    }
    outbox, review = sd.Outbox(), sd.ReviewQueue()
    with double.script([cut_off]), pytest.raises(IncompleteReply):
        sd.handle_ticket(LOST_PARCEL, outbox, review)
    assert outbox.sent == review.held == []


def test_the_page_shows_the_doubles_output(double, capsys):
    runpy.run_module("snippets.stage2.support_drafter", run_name="__main__")
    assert_page_shows(
        STAGE_PAGE, '"snippets/stage2/support_drafter.py"', capsys.readouterr().out
    )
