"""MCP client: the agent finds its tools on an MCP server instead of importing them.

The agent connects to the server (in the same process, or as a subprocess over stdio),
lists its tools, and wraps each one with the SDK's `async_mcp_tool`, which forwards a
call to the server and turns a result with `isError` into a `tool_result` with
`is_error: true`. The async tool runner drives the loop. Swapping the server for
another one changes what the agent can do without changing this file, which is why
`pinned` exists: given the reviewed pins of the server's tools, the agent refuses a
changed tool list before the model sees a single description.

A remote server is reached over Streamable HTTP with a bearer token (`OverHttp`). When
the server refuses the token, the MCP session only reports "Server returned an error
response"; `OverHttp` keeps the HTTP status and the `WWW-Authenticate` error, and the
agent raises `NotAuthorised` with them and the fix.
"""

import re
import sys
import tempfile
from contextlib import AsyncExitStack
from pathlib import Path
from types import TracebackType

import anthropic
import anyio
from anthropic.lib.tools.mcp import async_mcp_tool
from anthropic.types.beta import BetaMessage
from httpx2 import Response
from mcp import Client, StdioServerParameters
from mcp.client._transport import TransportStreams
from mcp.client.streamable_http import streamable_http_client
from mcp.server.mcpserver import MCPServer
from mcp.shared._httpx_utils import create_mcp_http_client
from mcp.types import Tool

from snippets.stage1.replies import reply_text
from snippets.stage4 import sql_agent
from snippets.stage4.agent_loop import EFFORT
from snippets.stage4.tool_pinning import ToolsChanged, changes

MODEL = "claude-sonnet-5-5"

SYSTEM = f"{sql_agent.SYSTEM} Your tools are served over MCP."

ROOT = Path(__file__).resolve().parents[2]  # where `python -m snippets...` resolves


# --8<-- [start:stdio]
def over_stdio(db_path: Path) -> StdioServerParameters:
    """Launch the server as a subprocess that speaks MCP on stdin and stdout."""
    return StdioServerParameters(
        command=sys.executable,
        args=["-m", "snippets.stage4.mcp_server", str(db_path)],
        cwd=ROOT,
    )


# --8<-- [end:stdio]


# --8<-- [start:http]
class NotAuthorised(Exception):
    """The MCP server refused the bearer token: 401 (no valid token) or 403 (scope)."""

    def __init__(self, url: str, status: int, challenge: str) -> None:
        self.status = status
        self.error = field_of(challenge, "error")
        fix = (
            "ask the authorisation server for a token with that scope"
            if status == 403
            else "send a valid, unexpired token issued for this server"
        )
        super().__init__(
            f"{url} answered {status} {self.error}: "
            f"{field_of(challenge, 'error_description')}; {fix}"
        )


class OverHttp:
    """Streamable HTTP with `Authorization: Bearer <token>` on every request."""

    def __init__(self, url: str, token: str | None) -> None:
        self.url = url
        self.headers = {} if token is None else {"Authorization": f"Bearer {token}"}
        self.refusal: NotAuthorised | None = None
        self._stack = AsyncExitStack()

    async def __aenter__(self) -> TransportStreams:
        http = create_mcp_http_client(headers=self.headers)
        http.event_hooks = {"response": [self._note_refusal]}
        await self._stack.enter_async_context(http)
        return await self._stack.enter_async_context(
            streamable_http_client(self.url, http_client=http)
        )

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> bool | None:
        return await self._stack.__aexit__(kind, error, trace)

    async def _note_refusal(self, response: Response) -> None:
        if response.status_code in (401, 403) and self.refusal is None:
            challenge = response.headers.get("www-authenticate", "")
            self.refusal = NotAuthorised(self.url, response.status_code, challenge)


def field_of(challenge: str, name: str) -> str:
    """One parameter of a `WWW-Authenticate: Bearer error="...", ...` header."""
    found = re.search(rf'\b{name}="([^"]*)"', challenge)
    return found.group(1) if found else "(not given)"


# --8<-- [end:http]


# --8<-- [start:agent]
async def ask(
    question: str,
    server: MCPServer | StdioServerParameters | OverHttp,
    max_steps: int = 10,
    pinned: dict[str, str] | None = None,  # from tool_pinning.pin_all, after review
) -> str:
    try:
        final, changed = await connect_and_run(server, question, max_steps, pinned)
    except Exception:
        if isinstance(server, OverHttp) and server.refusal is not None:
            raise server.refusal from None  # the cause, not the session's wrapper
        raise
    if final is None:  # raised out here: the MCP session would wrap it in a group
        raise ToolsChanged(changed)
    if final.stop_reason == "tool_use":
        raise StepBudgetExceeded(f"no answer after {max_steps} model calls")
    return reply_text(final)  # raises IncompleteReply unless the model finished


async def connect_and_run(
    server: MCPServer | StdioServerParameters | OverHttp,
    question: str,
    max_steps: int,
    pinned: dict[str, str] | None,
) -> tuple[BetaMessage | None, list[str]]:
    """List the server's tools; run the agent on them unless they changed."""
    async with (
        anthropic.AsyncAnthropic() as client,  # an async client serves one event loop
        Client(server, read_timeout_seconds=30) as mcp,
    ):
        listed = await mcp.list_tools()
        changed = [] if pinned is None else changes(listed.tools, pinned)
        final = (
            None
            if changed
            else await run_with(client, mcp, listed.tools, question, max_steps)
        )
    return final, changed


async def run_with(
    client: anthropic.AsyncAnthropic,
    mcp: Client,
    listed: list[Tool],
    question: str,
    max_steps: int,
) -> BetaMessage:
    """The tool runner over the server's tools, until the model stops asking."""
    runner = client.beta.messages.tool_runner(
        model=MODEL,
        max_tokens=4096,  # thinking at EFFORT, the tool calls, a short answer
        output_config={"effort": EFFORT},  # set, not inherited: see agent_loop
        system=SYSTEM,
        tools=[async_mcp_tool(tool, mcp.session) for tool in listed],
        messages=[{"role": "user", "content": question}],
        max_iterations=max_steps,
    )
    return await runner.until_done()


class StepBudgetExceeded(Exception):
    """The model was still calling tools when the step budget ran out."""


# --8<-- [end:agent]


async def demo() -> None:
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "shop.db"
        sql_agent.build_shop_db(db_path)
        answer = await ask(
            "How many orders are still processing, and what are they worth?",
            over_stdio(db_path),
        )
        print(answer)


def main() -> None:
    anyio.run(demo)


if __name__ == "__main__":
    main()
