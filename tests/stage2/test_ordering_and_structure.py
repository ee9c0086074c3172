import runpy

import pytest

from snippets.stage1.replies import IncompleteReply
from snippets.stage2 import ordering_and_structure as oas
from snippets.stage2.ordering_and_structure import Document

QUESTION = (
    "A customer returned two of the three pans from one order within the window. "
    "Do we refund the original shipping charge?"
)


def policy_documents() -> list[Document]:
    sections = oas.policy_sections()
    return [
        Document(f"support policy: {t}", sections[t]) for t in ("Returns", "Refunds")
    ]


def test_main_prints_quotes_and_an_answer(capsys, live):
    runpy.run_module("snippets.stage2.ordering_and_structure", run_name="__main__")
    out = capsys.readouterr().out
    assert "quote: " in out
    assert "answer: " in out
    if not live:
        assert "quotes not found in the documents: []" in out


def test_documents_come_first_and_the_question_last():
    turn = oas.user_turn(policy_documents(), QUESTION, oas.GROUNDED_ANSWER)
    assert turn.startswith('<documents>\n<document index="1">')
    assert turn.endswith(f"<question>\n{QUESTION}\n</question>")
    positions = [
        turn.index(marker)
        for marker in ("## Returns", "## Refunds", "<instructions>", "<question>")
    ]
    assert positions == sorted(positions)
    assert "<source>support policy: Refunds</source>" in turn


def test_instructions_are_left_out_when_there_are_none():
    turn = oas.user_turn(policy_documents(), QUESTION)
    assert "<instructions>" not in turn
    assert turn.index("</documents>") < turn.index("<question>")


def test_main_prints_the_doubles_quotes_and_answer(double, capsys):
    runpy.run_module("snippets.stage2.ordering_and_structure", run_name="__main__")
    assert capsys.readouterr().out == (
        "quote: Partial refunds: when only some items in an order are returned, the "
        "original shipping charge is not refunded unless every item in the order is "
        "returned within the 30-day window, or the items were faulty.\n"
        "answer: No. Two of three pans is a partial return, so the original shipping "
        "charge stays unless the returned pans were faulty. If the customer later "
        "returns the third pan within the 30 days, the shipping charge is refunded "
        "too.\n"
        "quotes not found in the documents: []\n"
    )


def test_the_request_sent_ends_with_the_question(double):
    result = oas.ask(policy_documents(), QUESTION)
    [request] = [r.body for r in double.requests]
    assert {k: v for k, v in request.items() if k != "messages"} == {
        "model": "claude-sonnet-5-5",
        "max_tokens": 3000,
        "output_config": {"effort": "medium"},
        "system": "You answer Harbour Lane Kitchenware staff questions from the "
        "documents only.",
    }
    sent = request["messages"][-1]["content"]
    assert sent == oas.user_turn(policy_documents(), QUESTION, oas.GROUNDED_ANSWER)
    assert result.answer.startswith("No.")
    assert oas.unsupported_quotes(result.quotes, policy_documents()) == []


def test_a_grounded_answer_has_quotes_and_an_answer(live):
    result = oas.ask(policy_documents(), QUESTION)
    assert result.quotes
    assert result.answer


def test_a_quote_that_is_not_in_the_documents_is_caught():
    real = "We issue the refund within five business days of the return arriving"
    invented = "Shipping is always refunded on partial returns."
    assert oas.unsupported_quotes([real, invented], policy_documents()) == [invented]


def test_quotes_match_across_line_breaks():
    # The policy wraps this sentence over two lines; the model quotes it on one.
    quote = "Refunds go back to the original payment method. We issue the refund"
    assert oas.unsupported_quotes([quote], policy_documents()) == []


def test_a_reply_without_an_answer_tag_is_an_error(double):
    untagged = {
        "match": {"user": "double-stage2: untagged reply"},
        "reply": {"content": [{"type": "text", "text": "<quotes></quotes>\nYes."}]},
    }
    with double.script([untagged]), pytest.raises(oas.MissingTag, match="<answer>"):
        oas.ask(policy_documents(), "double-stage2: untagged reply")


def test_a_reply_cut_off_before_the_answer_is_an_error_not_a_missing_tag(double):
    cut_off = {
        "match": {"user": "double-stage2: cut-off answer"},
        "reply": {
            "content": [{"type": "text", "text": "<quotes>\nPartial refunds: when"}],
            "stop_reason": "max_tokens",
        },
    }
    with double.script([cut_off]), pytest.raises(IncompleteReply, match="max_tokens"):
        oas.ask(policy_documents(), "double-stage2: cut-off answer")
