import runpy
from dataclasses import replace

import pytest

from snippets.stage4 import agent_evals, sql_agent
from snippets.stage4.agent_evals import (
    TASKS,
    Trial,
    accurate,
    per_solved,
    valid_trajectory,
)
from snippets.stage4.agent_loop import AgentRun, StepUsage
from tests.docs_blocks import assert_page_shows
from tests.stage4.script import PAGE, calls, says, use

PROCESSING, REPORT = TASKS


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "shop.db"
    sql_agent.build_shop_db(path)
    return path


def test_main_prints_the_report_the_page_shows(capsys, double):
    runpy.run_module("snippets.stage4.agent_evals", run_name="__main__")
    assert_page_shows(
        PAGE, "`python -m snippets.stage4.agent_evals`", capsys.readouterr().out
    )
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


def test_a_run_with_the_right_answer_from_a_wrong_query_is_not_solved(double, db):
    with double.script(
        [
            calls(use("run_query", sql="SELECT 34, 2643801"), user="double-stage4: e"),
            says("34 orders, worth 26,438.00 in total.", tool_result="run_query"),
        ]
    ):
        task = replace(PROCESSING, question="double-stage4: e")
        trial = agent_evals.run_task(task, db)
    assert trial.calls == [("run_query", {"sql": "SELECT 34, 2643801"})]
    assert (trial.trajectory_ok, trial.answer_ok, trial.accurate_calls) == (
        True,
        True,
        0,
    ), "one cent off the reference rows, though the answer's figures match"
    assert trial.solved is False


def test_a_run_that_never_answers_ends_at_ten_steps_unsolved(double, db):
    again = use("run_query", sql="SELECT 1")
    forever = [
        calls(again, user="double-stage4: e loop"),
        calls(again, tool_result="run_query"),
    ]
    with double.script(forever):
        trial = agent_evals.run_task(
            replace(PROCESSING, question="double-stage4: e loop"), db
        )
    assert (trial.run.stop, trial.run.steps, trial.solved) == ("step_budget", 10, False)


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


def trial(calls: int, accurate: int, answer_ok: bool, steps: int) -> Trial:
    """A graded run of `steps` model calls at 150 tokens each."""
    query = ("run_query", {"sql": "SELECT 1"})
    return Trial(
        calls=[query] * calls,
        accurate_calls=accurate,
        trajectory_ok=True,
        answer_ok=answer_ok,
        run=AgentRun("answered", "", [StepUsage(100, 0, 0, 50)] * steps),
    )


def test_the_report_counts_every_grade_and_divides_cost_by_the_solved_runs():
    trials = [trial(1, 1, True, 2), trial(2, 1, False, 3), trial(1, 1, True, 2)]
    trials.append(trial(1, 0, True, 2))  # a wrong query: not solved
    # 2 of 4 solved; pass^2 = C(2,2)/C(4,2) = 1/6; every run's 9 steps (1350
    # tokens) divided by the 2 solved runs.
    assert agent_evals.report(PROCESSING, trials) == (
        "processing orders: solved 2/4, trajectory 4/4, arguments 3/5, "
        "pass^1=0.50 pass^2=0.17 pass^4=0.00, steps/solved=4.5 tokens/solved=675.0"
    )


def test_cost_per_solved_task_says_so_when_nothing_was_solved():
    assert per_solved([], [], lambda trial: trial.run.steps) == "n/a (none solved)"
