"""Fixtures for the double's own tests: an SDK client, raw HTTP, error checks."""

import json
from collections.abc import Callable, Iterator
from typing import Any

import anthropic
import httpx2
import pytest

from tests.double import ClaudeDouble

MODEL = "claude-sonnet-5-5"
VERSION = "2026-10-21"  # what the SDK 2.x sends as anthropic-version


# The one tool the double's own tests offer.
WEATHER = {
    "name": "get_weather",
    "description": "Current weather for a city.",
    "input_schema": {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
    },
}


def user(text: str) -> list[dict[str, Any]]:
    return [{"role": "user", "content": text}]


def request(text: str = "double-selftest: hello", **fields: Any) -> dict[str, Any]:
    """A valid `messages.create` body; `fields` replace or add top-level fields."""
    return {"model": MODEL, "max_tokens": 1000, "messages": user(text), **fields}


def reply(text: str, **fields: Any) -> dict[str, Any]:
    return {"content": [{"type": "text", "text": text}], **fields}


@pytest.fixture(scope="session")
def shared_client() -> anthropic.Anthropic:
    # One client for the session: building one loads TLS certificates (~0.1 s).
    return anthropic.Anthropic(max_retries=0)


@pytest.fixture
def client(
    double: ClaudeDouble, shared_client: anthropic.Anthropic
) -> anthropic.Anthropic:
    """The real SDK, configured from the environment the root conftest set."""
    return shared_client


@pytest.fixture(scope="session")
def http() -> Iterator[httpx2.Client]:
    with httpx2.Client() as session:
        yield session


@pytest.fixture
def post(double: ClaudeDouble, http: httpx2.Client) -> Callable[..., httpx2.Response]:
    """Send what the SDK would refuse to send: any bytes, any headers."""

    def send(
        body: Any,
        path: str = "/v1/messages",
        headers: dict[str, str] | None = None,
    ) -> httpx2.Response:
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        sent = {
            "x-api-key": "key-for-the-local-double",
            "anthropic-version": VERSION,
            "content-type": "application/json",
            **(headers or {}),
        }
        sent = {name: value for name, value in sent.items() if value is not None}
        return http.post(double.base_url + path, content=content, headers=sent)

    return send


def assert_error(response: httpx2.Response, status: int, kind: str, text: str) -> None:
    """The real API's error shape, with `text` somewhere in the message."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["type"] == "error"
    assert body["error"]["type"] == kind
    assert text in body["error"]["message"]
    assert body["request_id"].startswith("req_")
    assert response.headers["request-id"] == body["request_id"]
    assert response.headers["content-type"] == "application/json"


def sdk_error(client: anthropic.Anthropic, body: Any, path: str = "/v1/messages"):
    """Send `body` through the SDK's own transport; return the error it raised."""
    with pytest.raises(anthropic.APIStatusError) as raised:
        client.post(path, body=body, cast_to=object)
    return raised.value
