import json
import runpy

import pytest

from snippets.stage1.replies import IncompleteReply, Refused
from snippets.stage4 import agent_loop, tool_runner
from tests.docs_blocks import assert_page_shows
from tests.stage4.script import PAGE, calls, results, says, use

SYSTEM = "Check stock and prices with the tools"
THREADS_BETA = "message-threads-2026-08-12"


def test_main_prints_what_the_page_shows(capsys, live):
    runpy.run_module("snippets.stage4.tool_runner", run_name="__main__")
    out = capsys.readouterr().out
    if live:  # the real model's words differ; 2 x 29.00 comes from quote_price
        assert "stop=answered" in out and "58" in out
    else:
        assert_page_shows(PAGE, "`python -m snippets.stage4.tool_runner`", out)


def test_beta_tool_reads_the_schema_from_the_signature_and_docstring():
    definition = tool_runner.quote_price.to_dict()
    assert definition["name"] == "quote_price"
    assert definition["description"].startswith("Return the total price in cents")
    schema = definition["input_schema"]
    assert schema["required"] == ["sku", "quantity"]
    assert schema["properties"]["quantity"]["type"] == "integer"
    assert schema["properties"]["sku"]["description"].startswith("The product code")
    hand_written = {tool["name"]: tool for tool in agent_loop.TOOLS}["quote_price"]
    assert schema["required"] == hand_written["input_schema"]["required"]


def test_the_runner_sends_only_new_messages_on_a_thread(double):
    run = tool_runner.ask(
        "Is the MS-220 wireless mouse in stock, and what would 2 of them cost?"
    )
    assert (run.stop, run.steps) == ("answered", 2)
    first, second = double.requests
    assert first.path == second.path == "/v1/messages"
    for request in (first, second):
        assert THREADS_BETA in request.headers["anthropic-beta"]
    assert first.body["thread"] == {"type": "create"}
    assert first.body["system"] == tool_runner.SYSTEM
    assert first.body["max_tokens"] == 4096
    assert first.body["output_config"] == {"effort": "medium"}
    assert "tool_choice" not in first.body and "thinking" not in first.body
    assert second.body["thread"]["type"] == "continue"
    assert "system" not in second.body and "tools" not in second.body
    assert len(second.body["messages"]) == 1, "only the tool results"
    assert [json.loads(r["content"]) for r in results(second)] == [
        {"sku": "MS-220", "name": "Wireless mouse", "in_stock": 0},
        {"sku": "MS-220", "quantity": 2, "total_cents": 5800},
    ]


def test_a_tool_that_raises_is_sent_back_as_an_error(double):
    with double.script(
        [
            calls(use("check_stock", sku="MS220"), user="double-stage4: r typo"),
            calls(use("check_stock", sku="MS-220"), tool_result="check_stock", turn=1),
            says("None in stock.", tool_result="check_stock", turn=2),
        ]
    ):
        run = tool_runner.ask("double-stage4: r typo")
    (error,) = results(double.requests[1])
    assert error["is_error"] is True
    assert error["content"] == (
        "LookupError(\"unknown SKU 'MS220'; known SKUs: KB-101, MS-220, HD-310\")"
    )
    assert (run.stop, run.answer) == ("answered", "None in stock.")


def test_a_bad_argument_is_rejected_without_saying_which_field(double):
    # The runner validates with pydantic but sends only this generic message back.
    with double.script(
        [
            calls(
                use("quote_price", sku="MS-220", quantity="two"),
                unchecked=True,
                user="double-stage4: r bad argument",
            ),
            says("Sorry.", tool_result="quote_price", turn=1),
        ]
    ):
        tool_runner.ask("double-stage4: r bad argument")
    (error,) = results(double.requests[1])
    assert error["is_error"] is True
    assert (
        error["content"] == "ValueError('Invalid arguments for function quote_price')"
    )


def test_an_unknown_tool_gets_an_error_result_and_a_warning(double):
    warned = pytest.warns(UserWarning, match="Tool 'check_inventory' not found")
    with (
        warned,
        double.script(
            [
                calls(
                    use("check_inventory", sku="MS-220"),
                    unchecked=True,
                    user="double-stage4: r unknown",
                ),
                says("Sorry.", tool_result="check_inventory", turn=1),
            ]
        ),
    ):
        tool_runner.ask("double-stage4: r unknown")
    (error,) = results(double.requests[1])
    assert error == {
        "type": "tool_result",
        "tool_use_id": error["tool_use_id"],
        "content": "Error: Tool 'check_inventory' not found",
        "is_error": True,
    }


def test_max_iterations_ends_a_loop_and_the_stop_reason_says_so(double):
    again = use("check_stock", sku="MS-220")
    forever = [
        calls(again, user="double-stage4: r loop"),
        calls(again, system=SYSTEM, tool_result="check_stock"),
    ]
    with double.script(forever):
        run = tool_runner.ask("double-stage4: r loop", max_steps=3)
    assert (run.stop, run.steps, run.answer) == ("step_budget", 3, "")
    assert len(double.requests) == 3


def test_the_default_step_budget_is_eight_model_calls(double):
    again = use("check_stock", sku="MS-220")
    forever = [
        calls(again, user="double-stage4: r default budget"),
        calls(again, system=SYSTEM, tool_result="check_stock"),
    ]
    with double.script(forever):
        run = tool_runner.ask("double-stage4: r default budget")
    assert (run.stop, run.steps, run.answer) == ("step_budget", 8, "")


def test_a_token_budget_closes_the_runner_before_the_tools_run(double):
    with double.script([calls(use("check_stock", sku="MS-220"), user="r expensive")]):
        run = tool_runner.ask("double-stage4: r expensive", max_total_tokens=1)
    assert (run.stop, run.steps, run.tokens, run.answer) == ("token_budget", 1, 791, "")
    assert len(double.requests) == 1


def test_a_token_budget_spent_exactly_is_spent(double):
    with double.script([calls(use("check_stock", sku="MS-220"), user="r expensive")]):
        run = tool_runner.ask("double-stage4: r expensive", max_total_tokens=791)
    assert (run.stop, run.steps) == ("token_budget", 1), "791 of 791 tokens used"


def test_a_refusal_raises_instead_of_passing_as_an_answer(double):
    with (
        double.script([says("No.", stop_reason="refusal", user="double-stage4: r no")]),
        pytest.raises(Refused, match=r"^the model declined \(category: none given\)$"),
    ):
        tool_runner.ask("double-stage4: r no")


def test_a_final_reply_cut_off_raises_and_names_the_reason(double):
    with (
        double.script(
            [says("Two cost", stop_reason="max_tokens", user="double-stage4: r cut")]
        ),
        pytest.raises(IncompleteReply) as cut,
    ):
        tool_runner.ask("double-stage4: r cut")
    assert cut.value.stop_reason == "max_tokens"
