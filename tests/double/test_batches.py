"""Message Batches through the real SDK: create, poll, results, cancel, list, delete."""

import socket
from datetime import timedelta
from typing import Any

import anthropic
import pytest

from tests.double.conftest import MODEL, assert_error, reply, request

ERROR = {"status": 529, "type": "overloaded_error", "message": "Busy, try later."}
SCRIPT = [
    {"match": {"user": "double-selftest: batch one"}, "reply": reply("One.")},
    {"match": {"user": "double-selftest: batch two"}, "reply": reply("Two.")},
    {"match": {"user": "double-selftest: batch busy"}, "error": ERROR},
]


def item(custom_id: str, text: str, **fields: Any) -> dict[str, Any]:
    return {"custom_id": custom_id, "params": request(text, **fields)}


def two_items() -> list[dict[str, Any]]:
    return [
        item("first", "double-selftest: batch one"),
        item("second", "double-selftest: batch two"),
    ]


@pytest.fixture
def scripted(double):
    with double.script(SCRIPT):
        yield double


def test_a_batch_starts_in_progress_and_ends_on_the_first_retrieve(client, scripted):
    created = client.messages.batches.create(requests=two_items())
    assert created.id.startswith("msgbatch_01")
    assert created.type == "message_batch"
    assert created.processing_status == "in_progress"
    assert created.request_counts.processing == 2
    assert created.request_counts.succeeded == 0  # zero until the batch has ended
    assert created.results_url is None
    assert created.ended_at is None and created.cancel_initiated_at is None
    assert created.archived_at is None
    assert created.expires_at - created.created_at == timedelta(hours=24)

    ended = client.messages.batches.retrieve(created.id)
    assert ended.processing_status == "ended"
    assert ended.request_counts.succeeded == 2
    assert ended.request_counts.processing == 0
    assert ended.ended_at >= ended.created_at
    assert ended.results_url == (
        f"{scripted.base_url}/v1/messages/batches/{created.id}/results"
    )
    assert client.messages.batches.retrieve(created.id) == ended


def test_results_are_jsonl_lines_with_each_custom_id(client, scripted):
    batch = client.messages.batches.create(requests=two_items())
    results = client.messages.batches.results(batch.id)
    response = results.http_response
    assert response.headers["content-type"] == "application/x-jsonl"
    assert response.request.headers["accept"] == "application/binary"
    by_id = {line.custom_id: line.result for line in results}
    assert set(by_id) == {"first", "second"}
    assert by_id["first"].type == "succeeded"
    message = by_id["first"].message
    assert message.content[-1].text == "One."
    assert message.model == MODEL
    assert message.usage.service_tier == "batch"
    counted = client.messages.count_tokens(
        model=MODEL, messages=request("double-selftest: batch one")["messages"]
    )
    assert message.usage.input_tokens == counted.input_tokens
    assert by_id["second"].message.content[-1].text == "Two."


def test_a_scripted_error_becomes_an_errored_result(client, scripted):
    items = [
        item("fine", "double-selftest: batch one"),
        item("busy", "double-selftest: batch busy"),
        item("gone", "double-selftest: batch one", model="claude-nope"),
    ]
    batch = client.messages.batches.create(requests=items)
    assert client.messages.batches.retrieve(batch.id).request_counts.errored == 2
    by_id = {
        line.custom_id: line.result
        for line in client.messages.batches.results(batch.id)
    }
    busy, gone = by_id["busy"], by_id["gone"]
    assert busy.type == "errored"
    assert busy.error.type == "error"
    assert busy.error.error.type == "overloaded_error"
    assert busy.error.error.message == "Busy, try later."
    assert busy.error.request_id.startswith("req_")
    # An unknown model is no 400: the batch is accepted and the request errors.
    assert gone.type == "errored"
    assert gone.error.error.type == "not_found_error"
    assert by_id["fine"].type == "succeeded"


def test_the_create_and_each_request_in_it_are_recorded(client, scripted):
    items = [*two_items(), item("busy", "double-selftest: batch busy")]
    client.messages.batches.create(requests=items)
    create, *inner = scripted.requests
    assert create.path == "/v1/messages/batches"
    assert [r["custom_id"] for r in create.body["requests"]] == [
        "first",
        "second",
        "busy",
    ]
    assert [(r.path, r.status) for r in inner] == [
        ("/v1/messages/batches#first", 200),
        ("/v1/messages/batches#second", 200),
        ("/v1/messages/batches#busy", 529),
    ]
    assert inner[0].body == items[0]["params"]
    assert inner[0].headers["anthropic-version"] == create.headers["anthropic-version"]


INVALID = [
    (
        "params checked like messages.create",
        [
            item("a", "double-selftest: batch one"),
            item("b", "x", messages=[]),
        ],
        "requests.1.params.messages: at least one message is required",
    ),
    (
        "unknown param",
        [item("a", "x", colour="blue")],
        "requests.0.params.colour: Extra inputs are not permitted",
    ),
    (
        "message without a field name",
        [item("a", "x", tool_choice={"type": "any"})],
        "requests.0.params: tool_choice may only be specified while providing tools.",
    ),
    (
        "streaming",
        [item("a", "x", stream=True)],
        "requests.0.params.stream: Input should be False",
    ),
    (
        "cache pre-warming",
        [item("a", "x", max_tokens=0)],
        "requests.0.params.max_tokens: Input should be greater than or equal to 1",
    ),
    (
        "duplicate custom_id",
        [item("same", "x"), item("same", "y")],
        "requests.1.custom_id: Duplicate custom_id 'same'",
    ),
    (
        "custom_id pattern",
        [item("not ok", "x")],
        "requests.0.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'",
    ),
    (
        "custom_id length",
        [item("x" * 65, "x")],
        "requests.0.custom_id: String should match pattern",
    ),
    ("no requests", [], "requests: List should have between 1 and 100000 items"),
    (
        "params missing",
        [{"custom_id": "a"}],
        "requests.0.params: Field required",
    ),
    (
        "params not an object",
        [{"custom_id": "a", "params": "hi"}],
        "requests.0.params: Input should be a valid dictionary",
    ),
    (
        "extra request field",
        [{**item("a", "x"), "priority": 1}],
        "requests.0.priority: Extra inputs are not permitted",
    ),
]


@pytest.mark.parametrize(
    ("requests", "message"),
    [pytest.param(requests, message, id=name) for name, requests, message in INVALID],
)
def test_an_invalid_request_refuses_the_whole_batch(
    client, scripted, requests, message
):
    with pytest.raises(anthropic.BadRequestError) as raised:
        client.messages.batches.create(requests=requests)
    assert raised.value.type == "invalid_request_error"
    assert message in raised.value.api_message
    # Nothing was answered: only the refused create is recorded.
    assert [(r.path, r.status) for r in scripted.requests] == [
        ("/v1/messages/batches", 400)
    ]
    assert all(entry.served == 0 for entry in scripted.scripts.pushed)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"requests": [], "metadata": {}}, "metadata: Extra inputs are not permitted"),
        ({}, "requests: Field required"),
        ({"requests": {}}, "requests: Input should be a valid list"),
        ([], "Input should be a valid dictionary"),
    ],
)
def test_the_batch_body_itself_is_checked(post, body, message):
    response = post(body, path="/v1/messages/batches")
    assert_error(response, 400, "invalid_request_error", message)


def test_a_batch_needs_the_same_headers_as_a_message(post):
    response = post(
        {"requests": two_items()},
        path="/v1/messages/batches",
        headers={"x-api-key": None},
    )
    assert_error(response, 401, "authentication_error", "x-api-key")


def test_no_scripted_reply_fails_the_create_loudly(client, double):
    with pytest.raises(anthropic.InternalServerError) as raised:
        client.messages.batches.create(
            requests=[item("lost", "double-selftest: nobody scripted this")]
        )
    assert "batch request 'lost': the double has no scripted reply" in (
        raised.value.api_message
    )
    assert raised.value.response.headers["x-should-retry"] == "false"


@pytest.mark.parametrize("call", ["retrieve", "results", "cancel", "delete"])
def test_an_unknown_batch_is_a_404(client, double, call):
    with pytest.raises(anthropic.NotFoundError) as raised:
        getattr(client.messages.batches, call)("msgbatch_01nope")
    assert raised.value.type == "not_found_error"
    assert "msgbatch_01nope" in raised.value.api_message


def test_results_before_the_batch_has_ended_are_refused(client, scripted):
    batch = client.messages.batches.create(requests=two_items())
    with pytest.raises(anthropic.BadRequestError, match="has not ended yet"):
        client.get(f"/v1/messages/batches/{batch.id}/results", cast_to=object)


def test_a_canceled_batch_ends_with_every_request_canceled(client, scripted):
    batch = client.messages.batches.create(requests=two_items())
    canceling = client.messages.batches.cancel(batch.id)
    assert canceling.processing_status == "canceling"
    assert canceling.cancel_initiated_at is not None
    assert client.messages.batches.cancel(batch.id) == canceling
    ended = client.messages.batches.retrieve(batch.id)
    assert ended.processing_status == "ended"
    assert ended.request_counts.canceled == 2
    results = list(client.messages.batches.results(batch.id))
    assert [line.result.type for line in results] == ["canceled", "canceled"]
    with pytest.raises(anthropic.BadRequestError, match="already ended"):
        client.messages.batches.cancel(batch.id)
    assert scripted.requests[-1].path == f"/v1/messages/batches/{batch.id}/cancel"


def test_list_pages_through_the_newest_first(client, scripted):
    ids = [client.messages.batches.create(requests=two_items()).id for _ in range(3)]
    newest_first = ids[::-1]
    assert [b.id for b in client.messages.batches.list()] == newest_first
    page = client.messages.batches.list(limit=2)
    assert [b.id for b in page.data] == newest_first[:2]
    assert page.has_more is True
    assert page.first_id == newest_first[0] and page.last_id == newest_first[1]
    assert [b.id for b in page] == newest_first  # the SDK follows after_id
    before = client.messages.batches.list(before_id=newest_first[2], limit=1)
    assert [b.id for b in before.data] == [newest_first[1]]
    assert before.has_more is True
    with pytest.raises(anthropic.BadRequestError, match="limit"):
        client.messages.batches.list(limit=1001)
    with pytest.raises(anthropic.NotFoundError):
        client.messages.batches.list(after_id="msgbatch_01nope")


def test_only_an_ended_batch_can_be_deleted(client, scripted):
    batch = client.messages.batches.create(requests=two_items())
    with pytest.raises(anthropic.BadRequestError, match="still processing"):
        client.messages.batches.delete(batch.id)
    client.messages.batches.retrieve(batch.id)
    deleted = client.messages.batches.delete(batch.id)
    assert (deleted.id, deleted.type) == (batch.id, "message_batch_deleted")
    with pytest.raises(anthropic.NotFoundError):
        client.messages.batches.retrieve(batch.id)


def test_reset_forgets_batches(client, scripted):
    batch = client.messages.batches.create(requests=two_items())
    scripted.reset()
    with pytest.raises(anthropic.NotFoundError):
        client.messages.batches.retrieve(batch.id)


def test_a_batch_may_be_larger_than_32_mb_but_not_than_256_mb(double, post):
    response = post(b" " * 40_000_000, path="/v1/messages/batches")
    assert_error(response, 400, "invalid_request_error", "not valid JSON")
    host, port = double.base_url.removeprefix("http://").split(":")
    head = "POST /v1/messages/batches HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n"
    with socket.create_connection((host, int(port)), timeout=5) as connection:
        connection.sendall(head.format(300_000_000).encode())
        answer = b""
        while chunk := connection.recv(65536):  # the double closes the connection
            answer += chunk
    assert answer.decode().startswith("HTTP/1.1 413")
