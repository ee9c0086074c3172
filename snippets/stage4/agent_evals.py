"""Agent evals on the analyst: trajectory, tool-call arguments, pass^k, cost per solve.

A right final answer can hide a wrong run (a report saved before any query, a query
that happened to return the right number), and a run that is right once can be wrong
the next time. So each task runs k times, and every run is graded on four things:

- **trajectory**: only allowed tools, and the required ones in a valid order;
- **argument accuracy**: each call's arguments checked against the data, not against
  a string (a query is right if it returns the reference rows);
- **answer**: the figures the user asked for appear in the reply;
- **cost**: steps and tokens, reported per *solved* task, so a cheap agent that
  fails is not mistaken for an efficient one.

A run is solved only if all of the first three hold. pass^k (every one of k tries
solved) comes from Stage 5's `eval_stats`; it is what a user who asks every day meets.
"""

import sqlite3
import tempfile
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anthropic.types import ToolResultBlockParam, ToolUseBlock

from snippets.stage4 import sql_agent
from snippets.stage4.agent_loop import AgentRun, run_agent
from snippets.stage4.sql_agent import Analyst, read_only_connection
from snippets.stage5.eval_stats import pass_hat_k

RUNS = 4  # tries per task; pass^k is reported for k = 1, 2 and 4
# The analyst's prompt, plus the one rule these graders rely on.
SYSTEM = f"{sql_agent.SYSTEM} Name the figures you were asked for."


# --8<-- [start:cases]
@dataclass(frozen=True)
class Task:
    name: str
    question: str
    required: tuple[str, ...]  # tools that must be called, in this order
    allowed: frozenset[str]  # every tool the run may call
    reference_sql: str  # a query whose rows are the right answer
    figures: tuple[str, ...]  # text the answer must contain
    chart: tuple[tuple[str, float], ...] = ()  # for save_report: label, euros


TASKS = [
    Task(
        name="processing orders",
        question="How many orders are processing right now, and what is their "
        "total value?",
        required=("run_query",),
        allowed=frozenset({"describe_schema", "run_query"}),
        reference_sql=(
            "SELECT count(DISTINCT o.id), SUM(oi.quantity * p.price_cents) "
            "FROM orders o JOIN order_items oi ON oi.order_id = o.id "
            "JOIN products p ON p.id = oi.product_id WHERE o.status = 'processing'"
        ),
        figures=("34", "26,438.00"),
    ),
    Task(
        name="Q3 report",
        question="Which category had the highest revenue from delivered orders "
        "in Q3 2026? Save a report with a chart by category.",
        required=("run_query", "save_report"),
        allowed=frozenset({"describe_schema", "run_query", "save_report"}),
        reference_sql=(
            "SELECT p.category, SUM(oi.quantity * p.price_cents) "
            "FROM order_items oi JOIN orders o ON o.id = oi.order_id "
            "JOIN products p ON p.id = oi.product_id WHERE o.status = 'delivered' "
            "AND o.ordered_on BETWEEN '2026-07-01' AND '2026-09-30' "
            "GROUP BY p.category ORDER BY 2 DESC"
        ),
        figures=("Desks", "42,336.00"),
        chart=(
            ("Desks", 42336.0),
            ("Chairs", 28803.0),
            ("Storage", 13402.0),
            ("Lighting", 10802.0),
        ),
    ),
]
# --8<-- [end:cases]


# --8<-- [start:grade]
@dataclass(frozen=True)
class Trial:
    """One run of one task, graded."""

    calls: list[tuple[str, dict[str, Any]]]  # (tool, arguments), in call order
    accurate_calls: int  # calls whose arguments were right
    trajectory_ok: bool
    answer_ok: bool
    run: AgentRun

    @property
    def solved(self) -> bool:
        return (
            self.run.stop == "answered"
            and self.trajectory_ok
            and self.answer_ok
            and self.accurate_calls == len(self.calls)
        )


def valid_trajectory(names: list[str], task: Task) -> bool:
    """Only allowed tools, and `task.required` as an ordered subsequence."""
    if not set(names) <= task.allowed:
        return False
    remaining = iter(names)
    return all(tool in remaining for tool in task.required)  # consumes in order


def accurate(name: str, arguments: dict[str, Any], task: Task, db: Path) -> bool:
    """Whether one call's arguments are right for the task, judged on the data."""
    if name == "run_query":
        return rows(db, arguments["sql"]) == rows(db, task.reference_sql)
    if name == "save_report":
        chart = [(point["label"], point["value"]) for point in arguments["chart"]]
        return chart == list(task.chart)
    return True  # describe_schema takes no arguments


def rows(db: Path, sql: str) -> list[tuple[Any, ...]] | None:
    """A query's rows, or None if SQLite rejects it (a wrong query is not a crash)."""
    with closing(read_only_connection(db)) as con:
        try:
            return con.execute(sql).fetchall()
        except sqlite3.Error:
            return None


def run_task(task: Task, db: Path) -> Trial:
    analyst = Analyst(db)
    calls: list[tuple[str, dict[str, Any]]] = []

    def recorded(call: ToolUseBlock) -> ToolResultBlockParam:
        calls.append((call.name, dict(call.input)))
        return analyst.execute(call)

    run = run_agent(
        [{"role": "user", "content": task.question}],
        system=SYSTEM,
        tools=analyst.box.definitions(),
        execute=recorded,
        max_steps=10,
        max_total_tokens=60_000,
    )
    return Trial(
        calls=calls,
        accurate_calls=sum(accurate(name, args, task, db) for name, args in calls),
        trajectory_ok=valid_trajectory([name for name, _ in calls], task),
        answer_ok=all(figure in run.answer for figure in task.figures),
        run=run,
    )


# --8<-- [end:grade]


# --8<-- [start:report]
def report(task: Task, trials: list[Trial]) -> str:
    solved = [trial for trial in trials if trial.solved]
    calls = sum(len(trial.calls) for trial in trials)
    hat = " ".join(
        f"pass^{k}={pass_hat_k(len(trials), len(solved), k):.2f}" for k in (1, 2, 4)
    )
    per_solve = per_solved(solved, trials, lambda trial: trial.run.steps)
    tokens = per_solved(solved, trials, lambda trial: trial.run.tokens)
    return (
        f"{task.name}: solved {len(solved)}/{len(trials)}, "
        f"trajectory {sum(t.trajectory_ok for t in trials)}/{len(trials)}, "
        f"arguments {sum(t.accurate_calls for t in trials)}/{calls}, {hat}, "
        f"steps/solved={per_solve} tokens/solved={tokens}"
    )


def per_solved(
    solved: list[Trial], trials: list[Trial], measure: Callable[[Trial], int]
) -> str:
    """What every run cost, divided by the runs that solved the task."""
    if not solved:
        return "n/a (none solved)"
    return f"{sum(measure(trial) for trial in trials) / len(solved):.1f}"


# --8<-- [end:report]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "shop.db"
        sql_agent.build_shop_db(db)
        for task in TASKS:
            trials = [run_task(task, db) for _ in range(RUNS)]
            print(report(task, trials))


if __name__ == "__main__":
    main()
