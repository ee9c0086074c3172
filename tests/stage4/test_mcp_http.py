"""The analyst's MCP server over Streamable HTTP on 127.0.0.1, behind bearer tokens.

A real uvicorn server runs in a thread on a free port for each test; the agent
connects to it with `mcp_client.OverHttp` as it would to a remote server.
"""

import hashlib
import json
import socket
import threading
import time
from collections.abc import Iterator

import anyio
import httpx2
import pytest
import uvicorn

from snippets.stage4 import mcp_client, mcp_http, sql_agent
from snippets.stage4.mcp_http import IssuedTokens
from tests.stage4.script import results, text_of

QUESTION = "How many orders are still processing, and what are they worth?"
ANSWER = "34 orders are still processing, worth 26,438.00 euros in total."


@pytest.fixture
def served(tmp_path) -> Iterator[IssuedTokens]:
    """The HTTP server, running; yields its tokens (`resource` is the server URL)."""
    db = tmp_path / "shop.db"
    sql_agent.build_shop_db(db)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))  # a free port, held until uvicorn takes the socket
    tokens = IssuedTokens(resource=f"http://127.0.0.1:{sock.getsockname()[1]}/mcp")
    config = uvicorn.Config(mcp_http.http_app(db, tokens), log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]})
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start within 10 s"
        time.sleep(0.01)
    yield tokens
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


def ask(tokens: IssuedTokens, token: str | None) -> str:
    connection = mcp_client.OverHttp(tokens.resource, token)
    return anyio.run(mcp_client.ask, QUESTION, connection)


def test_a_token_is_32_random_bytes_kept_only_as_its_digest_for_an_hour(monkeypatch):
    monkeypatch.setattr(time, "time", lambda: 1_700_000_000.5)
    tokens = IssuedTokens(resource="http://127.0.0.1:9/mcp")
    token = tokens.issue("analyst-agent", [mcp_http.SCOPE])
    assert len(token) == 43, "32 bytes, URL-safe base64 without padding"
    ((kept, access),) = tokens.issued.items()
    assert kept == access.token == hashlib.sha256(token.encode()).hexdigest()
    assert (access.client_id, access.scopes, access.resource) == (
        "analyst-agent",
        [mcp_http.SCOPE],
        "http://127.0.0.1:9/mcp",
    )
    assert access.expires_at == 1_700_000_000 + 3600


def test_the_agent_answers_over_http_with_a_token_that_has_the_scope(double, served):
    token = served.issue("analyst-agent", [mcp_http.SCOPE])
    assert ask(served, token) == ANSWER
    first, second = double.requests
    assert [tool["name"] for tool in first.body["tools"]] == [
        "describe_schema",
        "run_query",
        "save_report",
    ]
    (result,) = results(second)
    assert json.loads(text_of(result))["rows"] == [[34, 2643800]]


def test_a_request_without_a_token_is_answered_401(double, served):
    with pytest.raises(mcp_client.NotAuthorised) as refused:
        ask(served, None)
    assert refused.value.status == 401
    assert str(refused.value) == (
        f"{served.resource} answered 401 invalid_token: Authentication required; "
        "send a valid, unexpired token issued for this server"
    )
    assert double.requests == [], "no tool list, so no model call"


def test_an_unknown_token_is_answered_401(double, served):
    served.issue("analyst-agent", [mcp_http.SCOPE])
    with pytest.raises(mcp_client.NotAuthorised) as refused:
        ask(served, "not-a-token-this-server-issued")
    assert (refused.value.status, refused.value.error) == (401, "invalid_token")
    assert double.requests == []


def test_a_token_without_the_scope_is_answered_403(double, served):
    token = served.issue("report-viewer", ["reports"])
    with pytest.raises(mcp_client.NotAuthorised) as refused:
        ask(served, token)
    assert refused.value.status == 403
    assert str(refused.value) == (
        f"{served.resource} answered 403 insufficient_scope: Required scope: "
        "analytics; ask the authorisation server for a token with that scope"
    )
    assert double.requests == []


def test_a_token_issued_for_another_server_is_answered_401(double, served):
    elsewhere = IssuedTokens(resource="http://127.0.0.1:1/mcp")
    token = elsewhere.issue("analyst-agent", [mcp_http.SCOPE])
    served.issued.update(elsewhere.issued)  # known here, but for the wrong resource
    with pytest.raises(mcp_client.NotAuthorised) as refused:
        ask(served, token)
    assert (refused.value.status, refused.value.error) == (401, "invalid_token")


def test_an_expired_token_is_answered_401(double, served):
    token = served.issue("analyst-agent", [mcp_http.SCOPE], ttl_s=-1)
    with pytest.raises(mcp_client.NotAuthorised) as refused:
        ask(served, token)
    assert refused.value.status == 401


def test_the_raw_http_answers_name_the_error_and_the_metadata(served):
    bare = httpx2.post(served.resource, json={})
    assert bare.status_code == 401
    assert bare.json() == {
        "error": "invalid_token",
        "error_description": "Authentication required",
    }
    origin = served.resource.removesuffix("/mcp")
    metadata_url = f"{origin}/.well-known/oauth-protected-resource/mcp"
    assert bare.headers["www-authenticate"] == (
        'Bearer error="invalid_token", error_description="Authentication required", '
        f'resource_metadata="{metadata_url}"'
    )
    metadata = httpx2.get(metadata_url).json()
    assert metadata["resource"] == served.resource
    assert metadata["authorization_servers"] == [mcp_http.ISSUER]
    assert metadata["scopes_supported"] == [mcp_http.SCOPE]


def test_tokens_are_kept_as_digests_only(served):
    token = served.issue("analyst-agent", [mcp_http.SCOPE])
    assert token not in served.issued
    assert [access.token for access in served.issued.values()] == [
        mcp_http.digest(token)
    ]


def test_the_bearer_token_goes_in_the_authorization_header_when_there_is_one():
    assert mcp_client.OverHttp("http://127.0.0.1:9/mcp", "abc").headers == {
        "Authorization": "Bearer abc"
    }
    assert mcp_client.OverHttp("http://127.0.0.1:9/mcp", None).headers == {}


def test_only_the_first_401_or_403_is_kept_as_the_refusal():
    connection = mcp_client.OverHttp("http://127.0.0.1:9/mcp", "abc")
    anyio.run(connection._note_refusal, httpx2.Response(200))
    assert connection.refusal is None, "a 200 is not a refusal"
    anyio.run(connection._note_refusal, httpx2.Response(401))  # no challenge header
    first = connection.refusal
    assert str(first) == (
        "http://127.0.0.1:9/mcp answered 401 (not given): (not given); send a "
        "valid, unexpired token issued for this server"
    )
    anyio.run(connection._note_refusal, httpx2.Response(403))
    assert connection.refusal is first


def test_a_failure_that_is_not_a_refusal_is_raised_as_it_came(double):
    connection = mcp_client.OverHttp("http://127.0.0.1:1/mcp", "token")  # nobody there
    with pytest.raises(ExceptionGroup) as failed:
        anyio.run(mcp_client.ask, QUESTION, connection)
    assert failed.group_contains(httpx2.ConnectError, match="^All connection attempts")
    assert connection.refusal is None
    assert double.requests == []
