import runpy
import sys

import anyio
import pytest
from mcp import Client
from mcp.server.mcpserver import MCPServer

from snippets.stage4 import mcp_server, sql_agent
from snippets.stage4.sql_agent import Analyst


@pytest.fixture
def server(tmp_path):
    path = tmp_path / "shop.db"
    sql_agent.build_shop_db(path)
    return mcp_server.build_server(path)


def session(server, *steps):
    """Connect in-process, run each (tool, arguments) call in order, return results."""

    async def run():
        async with Client(server) as client:
            listed = await client.list_tools()
            called = [await client.call_tool(name, args) for name, args in steps]
            return listed.tools, called

    return anyio.run(run)


def text(result) -> str:
    return "".join(block.text for block in result.content)


def test_the_server_lists_the_three_tools_with_the_agents_descriptions(
    server, tmp_path
):
    tools, _ = session(server)
    expected = {tool.name: tool.description for tool in Analyst(tmp_path).tools()}
    assert {tool.name: tool.description for tool in tools} == expected
    by_name = {tool.name: tool for tool in tools}
    assert by_name["run_query"].input_schema["required"] == ["sql"]
    assert by_name["run_query"].annotations.read_only_hint is True
    writes = by_name["save_report"].annotations
    assert (writes.read_only_hint, writes.idempotent_hint) == (False, True)
    assert (writes.destructive_hint, writes.open_world_hint) == (False, False)
    chart = by_name["save_report"].input_schema["properties"]["chart"]
    assert (chart["minItems"], chart["maxItems"]) == (1, 20)


def test_the_server_introduces_itself_with_its_name_and_instructions(server):
    async def run():
        async with Client(server) as client:
            return client.server_info.name, client.instructions

    assert anyio.run(run) == (
        "shop-analytics",
        "Answer questions about a furniture shop's sales data.",
    )


def test_the_schema_tool_describes_the_tables(server):
    _, (result,) = session(server, ("describe_schema", {}))
    assert "CREATE TABLE order_items" in text(result)


def test_a_query_returns_rows_as_json_text(server):
    _, (result,) = session(
        server, ("run_query", {"sql": "SELECT count(*) FROM orders"})
    )
    assert result.is_error is False
    assert text(result) == '{"columns": ["count(*)"], "rows": [[400]]}'


def test_expected_failures_reach_the_client_as_errors_with_their_message(server):
    _, (write, early_report) = session(
        server,
        ("run_query", {"sql": "DELETE FROM orders"}),
        (
            "save_report",
            {"title": "x", "summary": "y", "chart": [{"label": "a", "value": 1}]},
        ),
    )
    assert write.is_error is True
    assert "read-only: only SELECT statements are allowed" in text(write)
    assert early_report.is_error is True
    assert "call run_query first" in text(early_report)


def test_arguments_are_checked_against_the_schema_before_the_tool_runs(server):
    _, (wrong_name, empty) = session(
        server,
        ("run_query", {"query": "SELECT 1"}),
        ("run_query", {"sql": ""}),
    )
    assert wrong_name.is_error is True and "sql\n  Field required" in text(wrong_name)
    assert empty.is_error is True and "at least 1 character" in text(empty)


def test_an_unknown_tool_is_an_error_result_not_a_crash(server):
    _, (result,) = session(server, ("execute_sql", {"sql": "SELECT 1"}))
    assert result.is_error is True
    assert text(result) == "Unknown tool: execute_sql"


def test_a_report_saved_over_mcp_lands_in_the_database(server, tmp_path):
    chart = [{"label": "Desks", "value": 42336.0}]
    _, (_, saved) = session(
        server,
        ("run_query", {"sql": "SELECT 1"}),
        ("save_report", {"title": "Q3", "summary": "Desks lead.", "chart": chart}),
    )
    assert text(saved) == "Saved report 1 'Q3'."


def test_python_m_serves_the_database_named_on_the_command_line(monkeypatch, tmp_path):
    served = []
    monkeypatch.setattr(
        MCPServer, "run", lambda self, transport: served.append((self, transport))
    )
    monkeypatch.setattr(sys, "argv", ["mcp_server", str(tmp_path / "shop.db")])
    sql_agent.build_shop_db(tmp_path / "shop.db")
    runpy.run_module("snippets.stage4.mcp_server", run_name="__main__")
    ((server, transport),) = served
    assert transport == "stdio"
    _, (result,) = session(
        server, ("run_query", {"sql": "SELECT count(*) FROM products"})
    )
    assert text(result).endswith("[[8]]}")
