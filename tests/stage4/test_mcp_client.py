import json
import runpy
import sys
from pathlib import Path

import anyio
import pytest

from snippets.stage1.replies import IncompleteReply
from snippets.stage4 import mcp_client, mcp_server, sql_agent
from tests.docs_blocks import assert_page_shows
from tests.stage4.script import PAGE, calls, results, says, text_of, use


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "shop.db"
    sql_agent.build_shop_db(path)
    return path


def ask(question, db, **kw):
    return anyio.run(
        lambda: mcp_client.ask(question, mcp_server.build_server(db), **kw)
    )


def test_main_answers_through_a_server_on_stdio(capsys, live):
    # main() starts `python -m snippets.stage4.mcp_server` as a subprocess.
    runpy.run_module("snippets.stage4.mcp_client", run_name="__main__")
    out = capsys.readouterr().out
    if live:  # the real model's words differ; 34 comes from the database
        assert "34" in out
    else:
        assert_page_shows(PAGE, "`python -m snippets.stage4.mcp_client`", out)


def test_over_stdio_starts_the_server_module_with_this_python_from_the_repo(db):
    params = mcp_client.over_stdio(db)
    assert (params.command, params.args, params.cwd) == (
        sys.executable,
        ["-m", "snippets.stage4.mcp_server", str(db)],
        Path(__file__).resolve().parents[2],
    )


def test_the_agent_offers_the_servers_tools_and_sends_their_results(double, db):
    answer = ask("How many orders are still processing, and what are they worth?", db)
    assert answer == "34 orders are still processing, worth 26,438.00 euros in total."
    first, second = double.requests
    assert first.body["max_tokens"] == 4096
    assert first.body["output_config"] == {"effort": "medium"}
    assert "tool_choice" not in first.body and "thinking" not in first.body
    assert [tool["name"] for tool in first.body["tools"]] == [
        "describe_schema",
        "run_query",
        "save_report",
    ]
    (result,) = results(second)
    assert json.loads(text_of(result))["rows"] == [[34, 2643800]]


def test_a_server_side_error_reaches_the_model_which_recovers(double, db):
    with double.script(
        [
            calls(
                use("run_query", sql="DELETE FROM orders WHERE status = 'cancelled'"),
                user="double-stage4: mcp write",
            ),
            calls(
                use("run_query", sql="SELECT count(*) FROM orders"),
                tool_result="run_query",
                turn=1,
            ),
            says("I can only read: 400 orders.", tool_result="run_query", turn=2),
        ]
    ):
        answer = ask("double-stage4: mcp write", db)
    (refused,) = results(double.requests[1])
    assert refused["is_error"] is True
    assert "read-only" in text_of(refused)
    assert "is_error" not in results(double.requests[2])[0]
    assert answer == "I can only read: 400 orders."


def test_the_step_budget_raises_instead_of_returning_half_an_answer(double, db):
    again = use("run_query", sql="SELECT 1")
    with (
        double.script(
            [
                calls(again, user="double-stage4: mcp loop"),
                calls(again, tool_result="run_query"),
            ]
        ),
        pytest.raises(mcp_client.StepBudgetExceeded, match="after 2 model calls"),
    ):
        ask("double-stage4: mcp loop", db, max_steps=2)


def test_the_default_step_budget_is_ten_model_calls(double, db):
    again = use("run_query", sql="SELECT 1")
    with (
        double.script(
            [
                calls(again, user="double-stage4: mcp loop"),
                calls(again, tool_result="run_query"),
            ]
        ),
        pytest.raises(mcp_client.StepBudgetExceeded) as stopped,
    ):
        ask("double-stage4: mcp loop", db)
    assert str(stopped.value) == "no answer after 10 model calls"
    assert len(double.requests) == 10


def test_a_final_reply_cut_off_raises_instead_of_returning_half_an_answer(double, db):
    cut_off = says("34 orders are", stop_reason="max_tokens", user="mcp cut")
    with (
        double.script([cut_off]),
        pytest.raises(IncompleteReply, match=r"^cut off at max_tokens") as cut,
    ):
        ask("double-stage4: mcp cut", db)
    assert cut.value.stop_reason == "max_tokens"
