"""Build project: an analyst agent with one job and three tools over a SQLite database.

The job is answering questions about a small shop's sales. The tools are
`describe_schema`, `run_query` (read-only, enforced by SQLite itself) and
`save_report` (the one tool that writes). The agent is then hardened against each
failure in the debugging guide: looping (budgets and a repeated-call guard), the wrong
tool (descriptions that say when, and a precondition), bad arguments (schema checks
that name the field), swallowed errors (SQLite's message goes back with `is_error`) and
context overflow (row and cell caps with a note on what was cut).
"""

import json
import random
import sqlite3
import tempfile
import time
from collections import Counter
from contextlib import closing
from pathlib import Path
from typing import Any

from anthropic.types import ToolResultBlockParam, ToolUseBlock

from snippets.stage4.agent_loop import AgentRun, run_agent, tool_error
from snippets.stage4.tool_design import Tool, ToolBox, ToolFailure, ask_operator

MAX_ROWS = 50  # rows one query result may put into the context
MAX_CELL_CHARS = 200
MAX_REPEATS = 2  # identical calls allowed before the guard answers instead

CATEGORIES = {
    "Desks": [("Standing desk", 42000), ("Writing desk", 18900)],
    "Chairs": [("Task chair", 24900), ("Stool", 6900)],
    "Lighting": [("Desk lamp", 5900), ("Floor lamp", 11900)],
    "Storage": [("Shelf", 8900), ("Drawer unit", 13900)],
}
CITIES = ["Leeds", "Porto", "Lyon", "Graz", "Turin", "Ghent"]


# --8<-- [start:data]
def build_shop_db(path: Path, seed: int = 7) -> None:
    """Create the shop's database: customers, products, orders, order items."""
    rng = random.Random(seed)
    with closing(sqlite3.connect(path)) as con, con:  # close, and commit on success
        con.executescript(
            """
            CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, city TEXT);
            CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT, category TEXT,
                                   price_cents INTEGER);
            CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER
                                 REFERENCES customers, ordered_on TEXT, status TEXT);
            CREATE TABLE order_items (order_id INTEGER REFERENCES orders,
                                      product_id INTEGER REFERENCES products,
                                      quantity INTEGER);
            CREATE TABLE reports (id INTEGER PRIMARY KEY, title TEXT UNIQUE,
                                  body TEXT);
            """
        )
        con.executemany(
            "INSERT INTO customers (name, city) VALUES (?, ?)",
            [(f"Customer {i}", city) for i, city in enumerate(CITIES * 4, 1)],
        )
        con.executemany(
            "INSERT INTO products (name, category, price_cents) VALUES (?, ?, ?)",
            [(n, c, p) for c, items in CATEGORIES.items() for n, p in items],
        )
        for order_id in range(1, 401):
            month, day = rng.randint(1, 10), rng.randint(1, 28)
            status = rng.choice(["delivered"] * 8 + ["cancelled", "processing"])
            con.execute(
                "INSERT INTO orders VALUES (?, ?, ?, ?)",
                (order_id, rng.randint(1, 24), f"2026-{month:02}-{day:02}", status),
            )
            for product_id in rng.sample(range(1, 9), rng.randint(1, 3)):
                con.execute(
                    "INSERT INTO order_items VALUES (?, ?, ?)",
                    (order_id, product_id, rng.randint(1, 4)),
                )


# --8<-- [end:data]


# --8<-- [start:guard]
READ_ONLY_ACTIONS = {
    sqlite3.SQLITE_SELECT,
    sqlite3.SQLITE_READ,
    sqlite3.SQLITE_FUNCTION,
    sqlite3.SQLITE_RECURSIVE,
}


def allow_reads_only(action: int, *_: object) -> int:
    """SQLite asks this before every step of a statement; anything else is denied."""
    return sqlite3.SQLITE_OK if action in READ_ONLY_ACTIONS else sqlite3.SQLITE_DENY


# --8<-- [end:guard]


class Analyst:
    """One analyst session: the three tools, their guards, and the agent loop."""

    def __init__(self, db_path: Path, query_timeout_s: float = 2.0) -> None:
        self.db_path = db_path
        self.query_timeout_s = query_timeout_s
        self.queries_answered = 0
        self.calls: Counter[str] = Counter()
        self.box = ToolBox(
            self.tools(), confirm=ask_operator, conversation_id="analyst"
        )

    # --8<-- [start:tools]
    def describe_schema(self) -> str:
        with closing(read_only_connection(self.db_path)) as con:
            tables = con.execute(
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'table' AND name != 'reports' ORDER BY name"
            ).fetchall()
            counts = {
                name: con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
                for name, _ in tables
            }
        return "\n".join(
            f"{' '.join(sql.split())}; -- {counts[name]} rows" for name, sql in tables
        )

    def run_query(self, sql: str) -> str:
        deadline = time.monotonic() + self.query_timeout_s
        with closing(read_only_connection(self.db_path)) as con:
            con.set_authorizer(allow_reads_only)  # writes fail inside SQLite itself
            con.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
            try:
                cursor = con.execute(sql)
                columns = [column[0] for column in cursor.description]
                rows = cursor.fetchmany(MAX_ROWS + 1)
            except sqlite3.Error as exc:
                raise ToolFailure(self.explain(exc)) from None
        self.queries_answered += 1
        result: dict[str, object] = {
            "columns": columns,
            "rows": [[cap(value) for value in row] for row in rows[:MAX_ROWS]],
        }
        if len(rows) > MAX_ROWS:
            result["note"] = (
                f"Only the first {MAX_ROWS} rows are shown; the query returned more. "
                "Aggregate (GROUP BY, SUM, COUNT) or add LIMIT instead of paging."
            )
        return json.dumps(result)

    def explain(self, exc: sqlite3.Error) -> str:
        if str(exc) == "not authorized":
            return "run_query is read-only: only SELECT statements are allowed."
        if str(exc) == "interrupted":
            return (
                f"The query ran longer than {self.query_timeout_s:g}s and was "
                "stopped. Filter or aggregate more."
            )
        detail = str(exc).rstrip(".")
        return f"SQLite error: {detail}. Check names with describe_schema."

    def save_report(self, title: str, summary: str, chart: list[dict[str, Any]]) -> str:
        if self.queries_answered == 0:
            raise ToolFailure(
                "save_report needs data: call run_query first and report its rows."
            )
        width = max(abs(point["value"]) for point in chart) or 1
        bars = [
            f"{point['label']:<12} {'#' * round(30 * point['value'] / width)} "
            f"{point['value']:,}"
            for point in chart
        ]
        body = "\n".join([f"# {title}", "", summary, "", "```", *bars, "```"])
        with closing(sqlite3.connect(self.db_path)) as con, con:
            (report_id,) = con.execute(
                "INSERT INTO reports (title, body) VALUES (?, ?) ON CONFLICT (title) "
                "DO UPDATE SET body = excluded.body RETURNING id",
                (title, body),
            ).fetchone()
        return f"Saved report {report_id} '{title}'."

    # --8<-- [end:tools]

    # --8<-- [start:definitions]
    def tools(self) -> list[Tool]:
        return [
            Tool(
                name="describe_schema",
                description=(
                    "List the tables of the shop database with their columns and "
                    "row counts. Call it first when you do not know the exact "
                    "table or column names."
                ),
                input_schema={"type": "object", "properties": {}},
                handler=self.describe_schema,
            ),
            Tool(
                name="run_query",
                description=(
                    "Run one read-only SQLite SELECT statement and return its "
                    f"columns and at most {MAX_ROWS} rows. Use it for every number "
                    "you report. Aggregate in SQL instead of fetching raw rows. "
                    "Money columns are in cents."
                ),
                input_schema={
                    "type": "object",
                    "properties": {"sql": {"type": "string", "minLength": 1}},
                    "required": ["sql"],
                    "additionalProperties": False,
                },
                handler=self.run_query,
                timeout_s=self.query_timeout_s + 1,
            ),
            Tool(
                name="save_report",
                description=(
                    "Save a short report with a bar chart for the user to read "
                    "later. Only when the user asks for a report, and only with "
                    "numbers that run_query returned. Saving the same title again "
                    "replaces that report."
                ),
                input_schema={
                    "type": "object",
                    "properties": {
                        "title": {"type": "string", "minLength": 1, "maxLength": 80},
                        "summary": {"type": "string", "maxLength": 1000},
                        "chart": {
                            "type": "array",
                            "minItems": 1,
                            "maxItems": 20,
                            "items": {
                                "type": "object",
                                "properties": {
                                    "label": {"type": "string"},
                                    "value": {"type": "number"},
                                },
                                "required": ["label", "value"],
                                "additionalProperties": False,
                            },
                        },
                    },
                    "required": ["title", "summary", "chart"],
                    "additionalProperties": False,
                },
                handler=self.save_report,
            ),
        ]

    # --8<-- [end:definitions]

    # --8<-- [start:loop]
    def execute(self, call: ToolUseBlock) -> ToolResultBlockParam:
        signature = f"{call.name}:{json.dumps(call.input, sort_keys=True)}"
        self.calls[signature] += 1
        if self.calls[signature] > MAX_REPEATS:
            return tool_error(
                call,
                f"You already made this exact call {MAX_REPEATS} times and the "
                "result will not change. Try a different query, or answer with "
                "what you have and say what is missing.",
            )
        return self.box.execute(call)

    def ask(
        self, question: str, max_steps: int = 10, max_total_tokens: int = 60_000
    ) -> AgentRun:
        return run_agent(
            [{"role": "user", "content": question}],
            system=SYSTEM,
            tools=self.box.definitions(),
            execute=self.execute,
            max_steps=max_steps,
            max_total_tokens=max_total_tokens,
        )

    # --8<-- [end:loop]


def read_only_connection(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def cap(value: object) -> object:
    """Cut long text cells so one wide row cannot flood the context."""
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        return value[:MAX_CELL_CHARS] + "…"
    return value


SYSTEM = (
    "You answer questions about the sales database of a small furniture shop. "
    "Get every number from run_query; never estimate. Prices are in cents; give "
    "money to the user in euros. If a tool returns an error, read it and adjust. "
    "Answer in at most three sentences."
)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "shop.db"
        build_shop_db(db_path)
        analyst = Analyst(db_path)
        run = analyst.ask(
            "Which product category earned the most revenue from delivered orders "
            "in July to September 2026? Save a report with a chart by category."
        )
        print(run.answer)
        print(f"stop={run.stop} steps={run.steps} tokens={run.tokens}")
        with closing(read_only_connection(db_path)) as con:
            for (body,) in con.execute("SELECT body FROM reports"):
                print(body)


if __name__ == "__main__":
    main()
