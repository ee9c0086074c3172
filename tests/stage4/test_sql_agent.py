"""The build project, and one test per failure in the debugging guide.

Each failure test reproduces what the model receives when the failure happens and
shows what the hardened agent sends instead. The guide's sections link here.
"""

import json
import runpy
import sqlite3
from contextlib import closing

import pytest
from anthropic.types import ToolUseBlock

from snippets.stage4 import sql_agent
from snippets.stage4.agent_loop import run_agent
from snippets.stage4.sql_agent import Analyst, ToolFailure
from tests.docs_blocks import assert_page_shows
from tests.stage4.script import PAGE, calls, results, says, use

REVENUE_BY_CATEGORY = (
    "SELECT p.category, SUM(oi.quantity * p.price_cents) AS revenue_cents "
    "FROM order_items oi JOIN orders o ON o.id = oi.order_id "
    "JOIN products p ON p.id = oi.product_id WHERE o.status = 'delivered' "
    "AND o.ordered_on BETWEEN '2026-07-01' AND '2026-09-30' "
    "GROUP BY p.category ORDER BY revenue_cents DESC"
)
CHART = [{"label": "Desks", "value": 42336.0}]


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "shop.db"
    sql_agent.build_shop_db(path)
    return path


def rows(db, sql):
    with closing(sqlite3.connect(db)) as con:
        return con.execute(sql).fetchall()


def test_main_answers_from_the_data_and_saves_a_report(capsys, db, live):
    (top, revenue_cents), *_ = rows(db, REVENUE_BY_CATEGORY)
    assert (top, revenue_cents) == ("Desks", 4233600), "the data is deterministic"
    runpy.run_module("snippets.stage4.sql_agent", run_name="__main__")
    out = capsys.readouterr().out
    if live:  # the real model's words differ; the top category does not
        assert "stop=answered" in out
        assert top in out.split("stop=")[0]
        assert "#####" in out, "the saved report and its chart"
    else:
        assert_page_shows(PAGE, "`python -m snippets.stage4.sql_agent`", out)


def test_the_scripted_run_follows_the_conversation(double, db):
    run = Analyst(db).ask(
        "Which product category earned the most revenue from "
        "delivered orders in July to September 2026?"
    )
    assert (run.stop, run.steps) == ("answered", 4)
    schema, query, report = (results(r)[0] for r in double.requests[1:])
    assert "CREATE TABLE orders" in schema["content"]
    assert "reports" not in schema["content"], "the agent's output table stays hidden"
    assert json.loads(query["content"])["rows"][0] == ["Desks", 4233600]
    assert report["content"].startswith("Saved report 1")
    assert not any(r.get("is_error") for r in (schema, query, report))


# --- failure 1: looping ------------------------------------------------------------


def test_looping_a_repeated_call_is_refused_and_the_budget_ends_the_run(double, db):
    same = use("run_query", sql="SELECT count(*) FROM orders")
    with double.script(
        [
            calls(same, user="double-stage4: sql loop"),
            calls(same, tool_result="run_query"),  # the model never moves on
        ]
    ):
        run = Analyst(db).ask("double-stage4: sql loop", max_steps=5)
    assert (run.stop, run.steps) == ("step_budget", 5)
    sent = [results(r)[0] for r in double.requests[1:]]
    assert [bool(r.get("is_error")) for r in sent] == [False, False, True, True]
    assert sent[2]["content"] == (
        "You already made this exact call 2 times and the result will not change. "
        "Try a different query, or answer with what you have and say what is missing."
    )


def test_the_same_call_with_its_arguments_in_another_order_is_a_repeat(db):
    analyst = Analyst(db)
    analyst.run_query("SELECT 1")
    orders = [
        {"title": "Q3", "summary": "Desks lead.", "chart": CHART},
        {"chart": CHART, "title": "Q3", "summary": "Desks lead."},
        {"summary": "Desks lead.", "chart": CHART, "title": "Q3"},
    ]
    sent = [
        analyst.execute(
            ToolUseBlock(id=f"t{n}", name="save_report", input=i, type="tool_use")
        )
        for n, i in enumerate(orders)
    ]
    assert [bool(r.get("is_error")) for r in sent] == [False, False, True]


# --- failure 2: the wrong tool -------------------------------------------------------


def test_wrong_tool_a_report_before_any_query_is_refused(double, db):
    report = use("save_report", title="Orders", summary="Many.", chart=CHART)
    with double.script(
        [
            calls(report, user="double-stage4: sql report first"),
            calls(
                use("run_query", sql=REVENUE_BY_CATEGORY),
                tool_result="save_report",
                turn=1,
            ),
            calls(report, tool_result="run_query", turn=2),
            says("Saved.", tool_result="save_report", turn=3),
        ]
    ):
        run = Analyst(db).ask("double-stage4: sql report first")
    refused = results(double.requests[1])[0]
    assert refused["is_error"] is True
    assert refused["content"] == (
        "save_report needs data: call run_query first and report its rows."
    )
    assert "is_error" not in results(double.requests[3])[0]
    assert rows(db, "SELECT title FROM reports") == [("Orders",)]
    assert run.stop == "answered"


def test_wrong_tool_a_tool_that_does_not_exist_is_answered_with_the_real_ones(
    double, db
):
    with double.script(
        [
            calls(
                use("execute_sql", sql="SELECT 1"),
                unchecked=True,
                user="double-stage4: sql unknown tool",
            ),
            calls(use("run_query", sql="SELECT 1"), tool_result="execute_sql"),
            says("1", tool_result="run_query"),
        ]
    ):
        run = Analyst(db).ask("double-stage4: sql unknown tool")
    error = results(double.requests[1])[0]
    assert error["is_error"] is True
    assert error["content"] == (
        "There is no tool named 'execute_sql'. "
        "Use one of: describe_schema, run_query, save_report."
    )
    assert run.answer == "1"


# --- failure 3: bad arguments --------------------------------------------------------


def test_bad_arguments_are_named_by_field_and_the_model_corrects_them(double, db):
    with double.script(
        [
            calls(
                use("run_query", query="SELECT count(*) FROM orders"),
                unchecked=True,
                user="double-stage4: sql bad arguments",
            ),
            calls(
                use("run_query", sql="SELECT count(*) FROM orders"),
                tool_result="run_query",
                turn=1,
            ),
            says("400 orders.", tool_result="run_query", turn=2),
        ]
    ):
        run = Analyst(db).ask("double-stage4: sql bad arguments")
    error = results(double.requests[1])[0]
    assert error["is_error"] is True
    assert "input: 'sql' is a required property" in error["content"]
    assert "('query' was unexpected)" in error["content"]
    assert json.loads(results(double.requests[2])[0]["content"])["rows"] == [[400]]
    assert run.answer == "400 orders."


# --- failure 4: tool errors swallowed -------------------------------------------------


TYPO = "SELECT sum(totl_cents) FROM orders"


def test_swallowed_errors_leave_the_model_blind(double, db):
    analyst = Analyst(db)

    def swallowing_execute(call):  # the bug: any failure becomes an empty result
        try:
            content = analyst.box.run(call.name, call.input)
        except ToolFailure:
            content = json.dumps({"columns": [], "rows": []})
        return {"type": "tool_result", "tool_use_id": call.id, "content": content}

    with double.script(
        [
            calls(use("run_query", sql=TYPO), user="double-stage4: sql swallowed"),
            says("The shop has no revenue yet.", tool_result="run_query", turn=1),
        ]
    ):
        run = run_agent(
            [{"role": "user", "content": "double-stage4: sql swallowed"}],
            system=sql_agent.SYSTEM,
            tools=analyst.box.definitions(),
            execute=swallowing_execute,
        )
    sent = results(double.requests[1])[0]
    assert "is_error" not in sent and "totl" not in sent["content"]
    assert run.answer == "The shop has no revenue yet.", "a confident wrong answer"


def test_the_fix_returns_the_sqlite_error_and_the_model_checks_the_schema(double, db):
    items = "SELECT sum(quantity) FROM order_items"
    with double.script(
        [
            calls(use("run_query", sql=TYPO), user="double-stage4: sql swallowed"),
            calls(use("describe_schema"), tool_result="run_query", turn=1),
            calls(use("run_query", sql=items), tool_result="describe_schema"),
            says("2,024 items.", tool_result="run_query", turn=3),
        ]
    ):
        run = Analyst(db).ask("double-stage4: sql swallowed")
    error = results(double.requests[1])[0]
    assert error["is_error"] is True
    assert error["content"] == (
        "SQLite error: no such column: totl_cents. Check names with describe_schema."
    )
    assert "CREATE TABLE" in results(double.requests[2])[0]["content"]
    assert json.loads(results(double.requests[3])[0]["content"])["rows"] == [[2024]]
    assert run.answer == "2,024 items."


# --- failure 5: context overflow ----------------------------------------------------


def test_context_overflow_a_huge_result_is_capped_with_a_note(double, db):
    with double.script(
        [
            calls(
                use("run_query", sql="SELECT * FROM order_items"),
                user="double-stage4: sql everything",
            ),
            says("Too many rows to list.", tool_result="run_query"),
        ]
    ):
        Analyst(db).ask("double-stage4: sql everything")
    sent = results(double.requests[1])[0]["content"]
    result = json.loads(sent)
    assert len(rows(db, "SELECT * FROM order_items")) == 810
    assert len(result["rows"]) == sql_agent.MAX_ROWS
    assert "Aggregate (GROUP BY, SUM, COUNT) or add LIMIT" in result["note"]
    assert len(sent) < 2_000


def test_context_overflow_the_token_budget_ends_the_run(double, db):
    with double.script(
        [
            calls(
                use("run_query", sql="SELECT * FROM order_items"),
                user="double-stage4: sql budget",
            ),
            calls(
                use("run_query", sql="SELECT * FROM orders"), tool_result="run_query"
            ),
        ]
    ):
        run = Analyst(db).ask("double-stage4: sql budget", max_total_tokens=2_000)
    assert run.stop == "token_budget"
    assert run.tokens >= 2_000 and run.steps < 10


# --- the guards, without a model -----------------------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM orders",
        "UPDATE products SET price_cents = 0",
        "INSERT INTO reports (title, body) VALUES ('x', 'y')",
        "DROP TABLE customers",
        "CREATE TABLE notes (x)",
        "ATTACH DATABASE ':memory:' AS other",
        "PRAGMA journal_mode = DELETE",
    ],
)
def test_run_query_refuses_every_kind_of_write(db, sql):
    with pytest.raises(ToolFailure) as refused:
        Analyst(db).run_query(sql)
    assert str(refused.value) == (
        "run_query is read-only: only SELECT statements are allowed."
    )
    assert rows(db, "SELECT count(*) FROM orders") == [(400,)]
    assert rows(db, "SELECT count(*) FROM reports") == [(0,)]


def test_run_query_refuses_two_statements_in_one_call(db):
    with pytest.raises(ToolFailure, match="one statement at a time"):
        Analyst(db).run_query("SELECT 1; DELETE FROM orders")


def test_a_runaway_query_is_interrupted_at_its_deadline(db):
    forever = (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
        "SELECT count(*) FROM n"
    )
    with pytest.raises(ToolFailure) as stopped:
        Analyst(db, query_timeout_s=0.1).run_query(forever)
    assert str(stopped.value) == (
        "The query ran longer than 0.1s and was stopped. Filter or aggregate more."
    )


def test_a_sqlite_message_ending_in_a_full_stop_keeps_one(db):
    error = sqlite3.OperationalError("parser stack overflow.")
    assert Analyst(db).explain(error) == (
        "SQLite error: parser stack overflow. Check names with describe_schema."
    )


def test_saving_a_report_twice_under_one_title_replaces_it(db):
    analyst = Analyst(db)
    analyst.run_query("SELECT 1")
    first = analyst.save_report("Q3", "First draft.", CHART)
    second = analyst.save_report("Q3", "Final.", [{"label": "Desks", "value": 0}])
    assert first == second == "Saved report 1 'Q3'."
    ((body,),) = rows(db, "SELECT body FROM reports")
    assert "Final." in body and "First draft." not in body


def test_a_report_is_markdown_with_bars_scaled_to_the_largest_value(db):
    analyst = Analyst(db)
    analyst.run_query("SELECT 1")
    chart = [*CHART, {"label": "Chairs", "value": 28803.0}]
    analyst.save_report("Q3", "Desks lead.", chart)
    ((body,),) = rows(db, "SELECT body FROM reports")
    assert body == (
        "# Q3\n\nDesks lead.\n\n```\n"
        f"Desks        {'#' * 30} 42,336.0\n"
        f"Chairs       {'#' * 20} 28,803.0\n"  # 30 x 28803 / 42336 = 20.4
        "```"
    )


def test_a_long_text_cell_is_cut(db):
    result = json.loads(Analyst(db).run_query("SELECT printf('%.500c', 'x')"))
    assert result["rows"][0][0] == "x" * 200 + "…"
    at_the_limit = json.loads(Analyst(db).run_query("SELECT printf('%.200c', 'x')"))
    assert at_the_limit["rows"][0][0] == "x" * 200, "200 characters are kept whole"


def test_a_query_long_enough_to_be_checked_finishes_within_its_deadline(db):
    counted = (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
        "WHERE i < 100000) SELECT count(*) FROM n"
    )  # about 20 ms, so SQLite calls the progress handler many times
    assert json.loads(Analyst(db).run_query(counted))["rows"] == [[100000]]


def test_schema_description_lists_tables_with_row_counts(db):
    text = Analyst(db).describe_schema()
    assert "CREATE TABLE products (id INTEGER PRIMARY KEY" in text
    assert "-- 400 rows" in text and "reports" not in text
