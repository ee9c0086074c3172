"""MCP server: the analyst's three tools, served to any MCP client.

The Model Context Protocol separates the tools from the agent that uses them. This
server wraps the same `Analyst` tools as `sql_agent.py`, with the same descriptions,
and the official `mcp` SDK turns each function signature into an input schema. A
`ToolError` reaches the client as a result with `isError: true` and its message; any
other exception is reported without its details. Annotations tell clients which
tools only read and which are safe to repeat. Run it over stdio:
`python -m snippets.stage4.mcp_server shop.db`; `mcp_http.py` serves the same server
over Streamable HTTP behind bearer tokens, by passing `token_verifier` and `auth`.
"""

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

from mcp.server.auth.provider import TokenVerifier
from mcp.server.auth.settings import AuthSettings
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations
from pydantic import BaseModel, Field

from snippets.stage4.sql_agent import Analyst
from snippets.stage4.tool_design import ToolFailure

# Every hint set: a client reads a missing one as the cautious value.
READS = ToolAnnotations(
    read_only_hint=True,
    destructive_hint=False,
    idempotent_hint=True,
    open_world_hint=False,
)
WRITES = ToolAnnotations(  # save_report replaces only a report with the same title
    read_only_hint=False,
    destructive_hint=False,
    idempotent_hint=True,
    open_world_hint=False,
)


class ChartPoint(BaseModel):
    label: str
    value: float


# --8<-- [start:server]
def build_server(
    db_path: Path,
    *,
    token_verifier: TokenVerifier | None = None,  # both or neither: see mcp_http
    auth: AuthSettings | None = None,
) -> MCPServer:
    analyst = Analyst(db_path)
    described = {tool.name: tool.description for tool in analyst.tools()}
    server = MCPServer(
        "shop-analytics",
        instructions="Answer questions about a furniture shop's sales data.",
        token_verifier=token_verifier,
        auth=auth,
    )

    @server.tool(description=described["describe_schema"], annotations=READS)
    def describe_schema() -> str:
        return reported(analyst.describe_schema)

    @server.tool(description=described["run_query"], annotations=READS)
    def run_query(sql: Annotated[str, Field(min_length=1)]) -> str:
        return reported(analyst.run_query, sql)

    @server.tool(description=described["save_report"], annotations=WRITES)
    def save_report(
        title: Annotated[str, Field(min_length=1, max_length=80)],
        summary: Annotated[str, Field(max_length=1000)],
        chart: Annotated[list[ChartPoint], Field(min_length=1, max_length=20)],
    ) -> str:
        points = [point.model_dump() for point in chart]
        return reported(analyst.save_report, title, summary, points)

    return server


def reported(tool: Callable[..., str], *args: object) -> str:
    """Turn the analyst's expected failures into MCP tool errors the model reads."""
    try:
        return tool(*args)
    except ToolFailure as exc:
        raise ToolError(str(exc)) from exc


# --8<-- [end:server]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", type=Path, help="SQLite file made by sql_agent")
    build_server(parser.parse_args().database).run("stdio")


if __name__ == "__main__":
    main()
