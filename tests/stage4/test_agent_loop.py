import json
import runpy

import pytest

from snippets.stage4 import agent_loop
from tests.stage4.script import calls, results, says, use

SYSTEM = "Use the tools for stock levels and prices"


def test_main_answers_with_numbers_the_tools_returned(capsys):
    runpy.run_module("snippets.stage4.agent_loop", run_name="__main__")
    out = capsys.readouterr().out
    assert "stop=answered" in out
    assert "267" in out  # 3 x 89.00, which only quote_price knows


def test_the_tools_refuse_unknown_products_and_empty_orders():
    with pytest.raises(LookupError, match="known SKUs: KB-101, MS-220, HD-310"):
        agent_loop.quote_price("KB-999", 1)
    with pytest.raises(ValueError, match="quantity must be at least 1, got 0"):
        agent_loop.quote_price("KB-101", 0)


def test_each_tool_result_answers_its_call_and_the_loop_ends_on_end_turn(double):
    run = agent_loop.ask(
        "Can I buy 3 KB-101 keyboards today, and what would they cost in total?"
    )
    assert (run.stop, run.steps) == ("answered", 2)
    first, second = double.requests
    assert first.body["tools"] == agent_loop.TOOLS
    assert first.body["system"] == agent_loop.SYSTEM
    answered = results(second)
    assert [json.loads(r["content"]) for r in answered] == [
        {"sku": "KB-101", "name": "Mechanical keyboard", "in_stock": 14},
        {"sku": "KB-101", "quantity": 3, "total_cents": 26700},
    ]
    assert not any(r.get("is_error") for r in answered)
    assert run.tokens > 0


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
    assert error["content"].startswith("LookupError: unknown SKU 'KB101'")
    assert "KB-101" in error["content"], "the error names the valid SKUs"
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
    assert error["content"].startswith("TypeError: '<' not supported")


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


def test_the_token_budget_stops_the_loop_before_the_next_call(double):
    with double.script([calls(use("check_stock", sku="KB-101"), user="expensive")]):
        run = agent_loop.ask("double-stage4: expensive", max_total_tokens=1)
    assert (run.stop, run.steps) == ("token_budget", 1)
    assert len(double.requests) == 1


def test_a_reply_cut_by_max_tokens_is_not_reported_as_an_answer(double):
    with double.script([says("word " * 50, user="double-stage4: long")]):
        run = agent_loop.ask("double-stage4: long", max_tokens=5)
    assert run.stop == "max_tokens"


def test_a_refusal_and_an_unexpected_stop_are_named(double):
    with double.script(
        [
            says("I can't help.", stop_reason="refusal", user="double-stage4: refuse"),
            says(
                "Still working.", stop_reason="pause_turn", user="double-stage4: pause"
            ),
        ]
    ):
        assert agent_loop.ask("double-stage4: refuse").stop == "refusal"
        assert agent_loop.ask("double-stage4: pause").stop == "unexpected"
