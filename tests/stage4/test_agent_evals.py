import runpy

import pytest

from snippets.stage4 import agent_evals, sql_agent
from snippets.stage4.agent_evals import TASKS, accurate, per_solved, valid_trajectory
from tests.stage4.script import page_output

PROCESSING, REPORT = TASKS


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "shop.db"
    sql_agent.build_shop_db(path)
    return path


def test_main_prints_the_report_the_page_shows(capsys, double):
    runpy.run_module("snippets.stage4.agent_evals", run_name="__main__")
    assert capsys.readouterr().out == page_output("agent_evals")
    assert capsys.readouterr().out == ""
    assert len(double.requests) == 4 * 2 + 4 * 3 - 1  # run 3 of the report skips a step


def test_one_run_records_its_calls_in_order_and_is_graded(double, db):
    trial = agent_evals.run_task(PROCESSING, db)
    assert [name for name, _ in trial.calls] == ["run_query"]
    assert (trial.trajectory_ok, trial.answer_ok, trial.accurate_calls) == (
        True,
        True,
        1,
    )
    assert trial.solved is True


@pytest.mark.parametrize(
    ("names", "valid"),
    [
        (["run_query", "save_report"], True),
        (["describe_schema", "run_query", "run_query", "save_report"], True),
        (["save_report", "run_query"], False),  # reported before it had data
        (["run_query"], False),  # the report the user asked for is missing
        (["run_query", "save_report", "drop_table"], False),  # not allowed
    ],
)
def test_a_trajectory_needs_the_required_tools_in_order_and_nothing_else(names, valid):
    assert valid_trajectory(names, REPORT) is valid


def test_a_query_is_accurate_when_it_returns_the_reference_rows(db):
    same_rows = (
        "SELECT count(DISTINCT orders.id), SUM(quantity * price_cents) FROM orders "
        "JOIN order_items ON order_id = orders.id JOIN products ON products.id = "
        "product_id WHERE status = 'processing'"
    )
    assert accurate("run_query", {"sql": same_rows}, PROCESSING, db) is True
    assert accurate("run_query", {"sql": "SELECT 34"}, PROCESSING, db) is False
    assert accurate("run_query", {"sql": "SELECT nope FROM x"}, PROCESSING, db) is False


def test_a_report_is_accurate_only_with_the_reference_chart(db):
    right = [{"label": label, "value": value} for label, value in REPORT.chart]
    wrong = [*right[:1], {"label": "Chairs", "value": 28830.0}, *right[2:]]
    assert accurate("save_report", {"chart": right}, REPORT, db) is True
    assert accurate("save_report", {"chart": wrong}, REPORT, db) is False
    assert accurate("describe_schema", {}, REPORT, db) is True


def test_cost_per_solved_task_says_so_when_nothing_was_solved():
    assert per_solved([], [], lambda trial: trial.run.steps) == "n/a (none solved)"
