"""Beta requests and message threads, as the SDK's thread helper and tool runner use
them: the double holds the conversation and the client sends only new messages."""

import anthropic
import pytest
from anthropic import beta_tool

from tests.double.conftest import MODEL, assert_error, reply, request, user

THREADS = {"anthropic-beta": "message-threads-2026-08-12"}


@beta_tool
def get_weather(city: str) -> str:
    """Current weather for a city.

    Args:
        city: The city's name.
    """
    return f"18 C in {city}"


def test_the_tool_runner_continues_a_thread(client, double):
    entries = [
        {
            "match": {"user": "double-selftest: runner"},
            "reply": {
                "content": [
                    {
                        "type": "tool_use",
                        "name": "get_weather",
                        "input": {"city": "Oslo"},
                    }
                ]
            },
        },
        {"match": {"tool_result": "get_weather"}, "reply": reply("It is 18 C.")},
    ]
    with double.script(entries):
        runner = client.beta.messages.tool_runner(
            model=MODEL,
            max_tokens=1000,
            system="Answer with the tools.",
            tools=[get_weather],
            messages=user("double-selftest: runner, weather in Oslo?"),
        )
        final = runner.until_done()
    assert final.content[-1].text == "It is 18 C."
    first, second = (r.body for r in double.requests)
    assert first["thread"] == {"type": "create"}
    assert first["system"] == "Answer with the tools."
    assert second["thread"]["type"] == "continue"
    assert "system" not in second and "tools" not in second
    (sent,) = second["messages"]
    assert sent["content"][0]["type"] == "tool_result"


def test_a_lost_thread_is_a_404_and_the_sdk_replays_it(client, double):
    entries = [
        {"match": {"user": "double-selftest: first"}, "reply": reply("One.")},
        {"match": {"user": "double-selftest: second"}, "reply": reply("Two.")},
    ]
    with double.script(entries):
        thread = client.beta.messages.thread(model=MODEL, max_tokens=1000)
        thread.send({"role": "user", "content": "double-selftest: first"})
        double.threads.clear()  # the server lost the thread (it expired)
        answer = thread.send({"role": "user", "content": "double-selftest: second"})
    assert answer.content[-1].text == "Two."
    statuses = [r.status for r in double.requests]
    assert statuses == [200, 404, 200]
    replay = double.requests[-1].body
    assert replay["thread"] == {"type": "create"}
    assert len(replay["messages"]) == 3


def continue_from(post, previous: str, **fields):
    body = request("double-selftest: again", **fields)
    body["thread"] = {"type": "continue", "previous_message_id": previous}
    return post(body, headers=THREADS)


def test_continuing_an_unknown_reply_is_thread_not_found(post):
    response = continue_from(post, "msg_unknown")
    assert_error(response, 404, "not_found_error", "No thread state found")
    assert response.json()["error"]["details"] == {"error_code": "thread_not_found"}


def test_a_reply_is_continued_once(post, double):
    entries = [
        {"match": {"user": "double-selftest: start"}, "reply": reply("Started.")},
        {"match": {"user": "double-selftest: again"}, "reply": reply("Again.")},
    ]
    with double.script(entries):
        created = post(
            request("double-selftest: start", thread={"type": "create"}),
            headers=THREADS,
        ).json()
        assert continue_from(post, created["id"]).status_code == 200
        response = continue_from(post, created["id"])
    assert_error(response, 400, "invalid_request_error", "already been continued")
    details = response.json()["error"]["details"]
    assert details == {"error_code": "thread_already_continued"}


def test_a_continue_leaves_system_out(post, double):
    entry = {"match": {"user": "double-selftest: start"}, "reply": reply("Started.")}
    with double.script([entry]):
        body = request("double-selftest: start", thread={"type": "create"})
        created = post(body, headers=THREADS).json()
    response = continue_from(post, created["id"], system="New rules.")
    assert_error(response, 400, "invalid_request_error", "system: not allowed when")


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "thread: Extra inputs are not permitted"),
        ({"anthropic-beta": "some-other-beta"}, "thread: Extra inputs are not"),
    ],
)
def test_thread_needs_the_threads_beta_header(post, headers, message):
    response = post(request(thread={"type": "create"}), headers=headers)
    assert_error(response, 400, "invalid_request_error", message)


def test_beta_fields_need_a_beta_header(client):
    body = request(context_management={"edits": []})
    with pytest.raises(anthropic.BadRequestError, match="context_management: Extra"):
        client.post("/v1/messages", body=body, cast_to=object)


def test_beta_fields_are_accepted_with_a_beta_header(post, double):
    entry = {"match": {"user": "double-selftest: beta"}, "reply": reply("ok")}
    body = request("double-selftest: beta", context_management={"edits": []})
    with double.script([entry]):
        response = post(
            body, headers={"anthropic-beta": "context-management-2025-06-27"}
        )
    assert response.status_code == 200
