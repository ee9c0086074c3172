import json
import runpy

import pytest

from snippets.stage1.replies import IncompleteReply, Refused
from snippets.stage4 import agent_loop
from tests.docs_blocks import assert_page_shows
from tests.stage4.script import PAGE, calls, note, results, says, use

SYSTEM = "Use the tools for stock levels and prices"
QUESTION = "Can I buy 3 KB-101 keyboards today, and what would they cost in total?"


def test_main_prints_what_the_page_shows(capsys, live):
    runpy.run_module("snippets.stage4.agent_loop", run_name="__main__")
    out = capsys.readouterr().out
    if live:  # the real model's words differ; the numbers do not
        assert "stop=answered" in out and "267" in out
    else:
        assert_page_shows(PAGE, "`python -m snippets.stage4.agent_loop`", out)


def test_the_tools_refuse_unknown_products_and_empty_orders():
    assert agent_loop.quote_price("KB-101", 1) == (
        '{"sku": "KB-101", "quantity": 1, "total_cents": 8900}'
    ), "one unit is an order"
    with pytest.raises(LookupError, match="known SKUs: KB-101, MS-220, HD-310"):
        agent_loop.quote_price("KB-999", 1)
    with pytest.raises(ValueError, match="quantity must be at least 1, got 0"):
        agent_loop.quote_price("KB-101", 0)


def test_each_tool_result_answers_its_call_and_the_loop_ends_on_end_turn(double):
    run = agent_loop.ask(QUESTION)
    assert (run.stop, run.steps) == ("answered", 2)
    first, second = double.requests
    assert first.body["tools"] == agent_loop.TOOLS
    assert first.body["system"] == agent_loop.SYSTEM
    assert first.body["max_tokens"] == 4096
    assert first.body["output_config"] == {"effort": "medium"}
    assert first.body["cache_control"] == {"type": "ephemeral"}
    for request in (first, second):  # adaptive thinking, the model's own tool choice
        assert "thinking" not in request.body and "tool_choice" not in request.body
    answered = results(second)
    assert [json.loads(r["content"]) for r in answered] == [
        {"sku": "KB-101", "name": "Mechanical keyboard", "in_stock": 14},
        {"sku": "KB-101", "quantity": 3, "total_cents": 26700},
    ]
    assert not any(r.get("is_error") for r in answered)
    assert run.tokens == 1675


def test_a_reply_that_starts_with_thinking_goes_back_unchanged(double):
    messages = [{"role": "user", "content": QUESTION}]
    run = agent_loop.run_agent(messages)
    first_reply = messages[1]["content"]
    assert [block.type for block in first_reply] == [
        "thinking",
        "text",
        "tool_use",
        "tool_use",
    ]
    thinking = first_reply[0]
    assert thinking.thinking == "", "display defaults to omitted on Sonnet 5.5"
    assert thinking.signature
    second = double.requests[1].body
    assert second["messages"][1] == {
        "role": "assistant",
        "content": [block.to_dict() for block in first_reply],
    }
    assert second["messages"][1]["content"][0] == {
        "type": "thinking",
        "thinking": "",
        "signature": thinking.signature,
    }
    assert run.answer == (
        "Yes: 14 KB-101 keyboards are in stock, so 3 can go out today. "
        "Three cost 267.00 in total."
    ), "the thinking block adds no text to the answer"


LONG_NOTE = (
    "The keyboard is in stock. Now I need the price for three. "
    "Then I can answer both parts."
)


def test_a_long_note_between_tool_calls_comes_back_as_thinking_and_is_replayed(
    double,
):
    # Sonnet 5.5: a note of more than two sentences, written after a tool result
    # and before the next call, arrives as a thinking block with its text omitted.
    with double.script(
        [
            calls(use("check_stock", sku="KB-101"), user="double-stage4: note", turn=0),
            calls(
                note(LONG_NOTE),
                use("quote_price", sku="KB-101", quantity=3),
                tool_result="check_stock",
                turn=1,
            ),
            says("Yes, 267.00 for three.", tool_result="quote_price", turn=2),
        ]
    ):
        messages = [{"role": "user", "content": "double-stage4: note"}]
        run = agent_loop.run_agent(messages)
    second_reply = messages[3]["content"]
    assert [block.type for block in second_reply] == [
        "thinking",
        "thinking",
        "tool_use",
    ]
    assert [block.thinking for block in second_reply[:2]] == ["", ""]
    third = double.requests[2].body
    assert third["messages"][3]["content"] == [b.to_dict() for b in second_reply]
    assert (run.stop, run.answer) == ("answered", "Yes, 267.00 for three.")


def test_a_short_note_between_tool_calls_stays_text_on_sonnet(double):
    with double.script(
        [
            calls(use("check_stock", sku="KB-101"), user="double-stage4: tiny", turn=0),
            calls(
                note("Now the price."),
                use("quote_price", sku="KB-101", quantity=3),
                tool_result="check_stock",
                turn=1,
            ),
            says("267.00.", tool_result="quote_price", turn=2),
        ]
    ):
        messages = [{"role": "user", "content": "double-stage4: tiny"}]
        agent_loop.run_agent(messages)
    assert [block.type for block in messages[3]["content"]] == [
        "thinking",
        "text",
        "tool_use",
    ]


def test_on_opus_every_note_between_tool_calls_is_thinking(double, monkeypatch):
    monkeypatch.setattr(agent_loop, "MODEL", "claude-opus-5-5")
    with double.script(
        [
            calls(use("check_stock", sku="KB-101"), user="double-stage4: opus", turn=0),
            calls(
                note("Now the price."),
                use("quote_price", sku="KB-101", quantity=3),
                tool_result="check_stock",
                turn=1,
            ),
            says("267.00.", tool_result="quote_price", turn=2),
        ]
    ):
        messages = [{"role": "user", "content": "double-stage4: opus"}]
        run = agent_loop.run_agent(messages)
    assert [block.type for block in messages[3]["content"]] == [
        "thinking",
        "thinking",
        "tool_use",
    ]
    assert double.requests[2].body["messages"][3]["content"] == [
        block.to_dict() for block in messages[3]["content"]
    ]
    assert run.answer == "267.00."


def test_a_tool_that_raises_becomes_an_error_the_model_recovers_from(double):
    with double.script(
        [
            calls(use("check_stock", sku="KB101"), user="double-stage4: typo", turn=0),
            calls(use("check_stock", sku="KB-101"), tool_result="check_stock", turn=1),
            says("14 in stock.", tool_result="check_stock", turn=2),
        ]
    ):
        run = agent_loop.ask("double-stage4: typo")
    (error,) = results(double.requests[1])
    assert error["is_error"] is True
    assert error["content"] == (
        "LookupError: unknown SKU 'KB101'; known SKUs: KB-101, MS-220, HD-310"
    )
    assert not results(double.requests[2])[0].get("is_error")
    assert (run.stop, run.answer) == ("answered", "14 in stock.")


def test_an_unknown_tool_is_answered_with_the_tools_that_exist(double):
    with double.script(
        [
            calls(
                use("check_inventory", sku="KB-101"),
                unchecked=True,
                user="double-stage4: unknown tool",
                turn=0,
            ),
            calls(use("check_stock", sku="KB-101"), tool_result="check_inventory"),
            says("14 in stock.", tool_result="check_stock", turn=2),
        ]
    ):
        run = agent_loop.ask("double-stage4: unknown tool")
    (error,) = results(double.requests[1])
    assert error["is_error"] is True
    assert error["content"] == (
        "no tool named 'check_inventory'; use one of: check_stock, quote_price"
    )
    assert run.stop == "answered"


def test_without_schema_checks_a_bad_argument_reaches_the_function(double):
    # The hand-written loop trusts the model's input; tool_design.py validates it.
    with double.script(
        [
            calls(
                use("quote_price", sku="KB-101", quantity="three"),
                unchecked=True,
                user="double-stage4: bad argument",
                turn=0,
            ),
            says("Sorry.", tool_result="quote_price", turn=1),
        ]
    ):
        agent_loop.ask("double-stage4: bad argument")
    (error,) = results(double.requests[1])
    assert error["is_error"] is True
    assert error["content"] == (
        "TypeError: '<' not supported between instances of 'str' and 'int'"
    )


def test_a_model_that_keeps_calling_tools_is_stopped_by_the_step_budget(double):
    again = use("check_stock", sku="KB-101")
    forever = [
        calls(again, user="double-stage4: loop forever"),
        calls(again, system=SYSTEM, tool_result="check_stock"),
    ]
    with double.script(forever):
        run = agent_loop.ask("double-stage4: loop forever", max_steps=3)
    assert (run.stop, run.steps, run.answer) == ("step_budget", 3, "")
    assert len(double.requests) == 3


def test_the_default_step_budget_is_eight_model_calls(double):
    again = use("check_stock", sku="KB-101")
    forever = [
        calls(again, user="double-stage4: loop by default"),
        calls(again, system=SYSTEM, tool_result="check_stock"),
    ]
    with double.script(forever):
        run = agent_loop.ask("double-stage4: loop by default")
    assert (run.stop, run.steps, run.answer) == ("step_budget", 8, "")


def test_each_step_reads_what_the_step_before_wrote_to_the_cache(double):
    run = agent_loop.ask(QUESTION)
    assert run.usage == [
        agent_loop.StepUsage(uncached=3, cache_write=599, cache_read=0, output=181),
        agent_loop.StepUsage(uncached=3, cache_write=138, cache_read=599, output=152),
    ]
    assert double.requests[1].body["cache_control"] == {"type": "ephemeral"}
    assert run.tokens == 1675


def test_the_token_budget_counts_cached_input_and_stops_before_a_tool_runs(double):
    ran = []

    def execute(call):
        ran.append(call.name)
        return agent_loop.execute_tool(call)

    # Step 1 bills 3 uncached + 599 written + 181 output = 783 tokens. A budget
    # that counted only `input_tokens` and output (184) would let the tools run.
    run = agent_loop.run_agent(
        [{"role": "user", "content": QUESTION}], execute=execute, max_total_tokens=700
    )
    assert (run.stop, run.steps, run.tokens, run.answer) == ("token_budget", 1, 783, "")
    assert ran == [], "no tool runs once the budget is spent"
    assert len(double.requests) == 1


def test_a_token_budget_spent_exactly_is_spent(double):
    messages = [{"role": "user", "content": QUESTION}]
    run = agent_loop.run_agent(messages, max_total_tokens=783)
    assert (run.stop, run.steps, run.tokens) == ("token_budget", 1, 783)


def test_the_token_budget_stops_the_loop_before_the_next_call(double):
    with double.script([calls(use("check_stock", sku="KB-101"), user="expensive")]):
        run = agent_loop.ask("double-stage4: expensive", max_total_tokens=1)
    assert (run.stop, run.steps, run.answer) == ("token_budget", 1, "")
    assert len(double.requests) == 1


def test_a_max_tokens_sized_for_the_answer_alone_runs_out_while_thinking(double):
    # 100 tokens would hold the two-sentence answer; at medium effort the double
    # thinks for 120 first, so the reply ends inside its thinking block.
    messages = [{"role": "user", "content": "double-stage4: long"}]
    with (
        double.script([says("Three cost 267.00.", user="double-stage4: long")]),
        pytest.raises(IncompleteReply) as cut,
    ):
        agent_loop.run_agent(messages, max_tokens=100)
    assert cut.value.stop_reason == "max_tokens"
    assert str(cut.value) == (
        "cut off at max_tokens after 100 output tokens (thinking included); "
        "raise max_tokens or lower the effort"
    )
    assert messages == [{"role": "user", "content": "double-stage4: long"}], (
        "a cut-off reply is not added to the conversation"
    )


def test_a_refusal_raises_with_its_category(double):
    declined = {"type": "refusal", "category": "cyber", "explanation": None}
    with (
        double.script(
            [
                says(
                    "I can't help with that.",
                    stop_reason="refusal",
                    stop_details=declined,
                    user="double-stage4: refuse",
                )
            ]
        ),
        pytest.raises(Refused) as refused,
    ):
        agent_loop.ask("double-stage4: refuse")
    assert str(refused.value) == "the model declined (category: cyber)"
    assert refused.value.stop_details.category == "cyber"


@pytest.mark.parametrize(
    ("stop_reason", "message"),
    [
        (
            "pause_turn",
            "a long server-side turn paused; send the reply back to continue",
        ),
        (
            "model_context_window_exceeded",
            "the reply filled the context window and is truncated",
        ),
    ],
)
def test_any_other_stop_reason_raises_and_names_it(double, stop_reason, message):
    with (
        double.script(
            [says("Still working.", stop_reason=stop_reason, user="double-stage4: odd")]
        ),
        pytest.raises(IncompleteReply) as stopped,
    ):
        agent_loop.ask("double-stage4: odd")
    assert type(stopped.value) is IncompleteReply
    assert (stopped.value.stop_reason, str(stopped.value)) == (stop_reason, message)
