"""Cache diagnostics: the reply says where a request stopped matching the last one."""

import pytest

from tests.double import tokens
from tests.double.conftest import MODEL, WEATHER, assert_error, reply, request, user
from tests.model_lifecycle import pick_model

CACHE = {"type": "ephemeral"}
POLICY = " ".join(["policy"] * 750)  # about 1,500 tokens: over the 512 minimum
SHORT = " ".join(["policy"] * 150)  # about 300 tokens: under it
QUESTION = "double-selftest: diagnostics, what changed?"
FOLLOW_UP = "double-selftest: diagnostics, and then?"
FIRST_TURN = {"previous_message_id": None}


@pytest.fixture(autouse=True)
def scripted(double):
    entries = [
        {"match": {"user": "double-selftest: diagnostics"}, "reply": reply("Ok")}
    ]
    with double.script(entries):
        yield


def system(text: str = POLICY) -> list[dict]:
    return [{"type": "text", "text": text, "cache_control": CACHE}]


def ask(client, diagnostics, **fields):
    fields.setdefault("model", MODEL)
    fields.setdefault("system", system())
    fields.setdefault("messages", user(QUESTION))
    return client.messages.create(max_tokens=1000, diagnostics=diagnostics, **fields)


def after(message) -> dict:
    return {"previous_message_id": message.id}


def counted(client, **fields) -> int:
    fields.setdefault("model", MODEL)
    fields.setdefault("system", system())
    fields.setdefault("messages", user(QUESTION))
    return client.messages.count_tokens(**fields).input_tokens


def test_the_first_turn_opts_in_and_its_reply_has_null_diagnostics(client):
    raw = client.messages.with_raw_response.create(
        model=MODEL,
        max_tokens=1000,
        system=system(),
        messages=user(QUESTION),
        diagnostics=FIRST_TURN,
    )
    assert raw.http_response.json()["diagnostics"] is None
    assert raw.parse().diagnostics is None


def test_a_request_without_the_field_gets_a_reply_without_it(client):
    raw = client.messages.with_raw_response.create(
        model=MODEL, max_tokens=1000, messages=user(QUESTION)
    )
    assert "diagnostics" not in raw.http_response.json()


def test_a_turn_that_only_appends_messages_reports_nothing_and_reads_the_cache(client):
    first = ask(client, FIRST_TURN)
    history = [
        *user(QUESTION),
        {"role": "assistant", "content": first.content},
        *user(FOLLOW_UP),
    ]
    second = ask(client, after(first), messages=history)
    assert second.diagnostics is None
    assert second.usage.cache_read_input_tokens == (
        first.usage.cache_creation_input_tokens
    )


def test_a_changed_system_prompt_is_named_with_the_input_it_cost(client):
    first = ask(client, FIRST_TURN)
    changed = system(POLICY + " Today is 2 December.")
    second = ask(client, after(first), system=changed)
    reason = second.diagnostics.cache_miss_reason
    assert reason.type == "system_changed"
    # No tools: the system prompt starts after the start-of-prompt tokens.
    missed = counted(client, system=changed) - tokens.REQUEST_OVERHEAD
    assert reason.cache_missed_input_tokens == missed
    assert second.usage.cache_read_input_tokens == 0


def test_a_changed_model_is_named_before_anything_else(client):
    other = pick_model(lambda m: m != MODEL, "a model other than the default")
    first = ask(client, FIRST_TURN)
    changed = system(POLICY + " amended")
    second = ask(client, after(first), model=other, system=changed)
    reason = second.diagnostics.cache_miss_reason
    assert reason.type == "model_changed"
    assert reason.cache_missed_input_tokens == counted(
        client, model=other, system=changed
    )


def test_reordered_tools_are_named(client):
    lookup = {**WEATHER, "name": "lookup_policy"}
    first = ask(client, FIRST_TURN, tools=[WEATHER, lookup])
    second = ask(client, after(first), tools=[lookup, WEATHER])
    reason = second.diagnostics.cache_miss_reason
    assert reason.type == "tools_changed"
    missed = counted(client, tools=[lookup, WEATHER]) - tokens.REQUEST_OVERHEAD
    assert reason.cache_missed_input_tokens == missed


def test_an_edited_earlier_message_is_named_from_that_message_on(client):
    first = ask(client, FIRST_TURN)
    edited = [
        *user(QUESTION + " (edited)"),
        {"role": "assistant", "content": "Ok"},
        *user(FOLLOW_UP),
    ]
    second = ask(client, after(first), messages=edited)
    reason = second.diagnostics.cache_miss_reason
    assert reason.type == "messages_changed"
    system_tokens = tokens.count_block(system()[0])
    missed = counted(client, messages=edited) - tokens.REQUEST_OVERHEAD - system_tokens
    assert reason.cache_missed_input_tokens == missed


def test_another_prompt_affecting_parameter_makes_it_unavailable(client):
    first = ask(client, FIRST_TURN, output_config={"effort": "low"})
    second = ask(client, after(first), output_config={"effort": "high"})
    assert second.diagnostics.cache_miss_reason.to_dict() == {"type": "unavailable"}


def test_a_previous_request_that_did_not_opt_in_is_not_found(client):
    first = client.messages.create(
        model=MODEL, max_tokens=1000, system=system(), messages=user(QUESTION)
    )
    second = ask(client, after(first))
    assert second.diagnostics.to_dict() == {
        "cache_miss_reason": {"type": "previous_message_not_found"}
    }


def test_a_prefix_under_the_minimum_changes_nothing_and_is_never_cached(client):
    # The comparison is of structure: the silent miss of a short prefix is not in it.
    first = ask(client, FIRST_TURN, system=system(SHORT))
    second = ask(client, after(first), system=system(SHORT))
    assert second.diagnostics is None
    for message in (first, second):
        assert message.usage.cache_creation_input_tokens == 0
        assert message.usage.cache_read_input_tokens == 0


def test_reset_forgets_the_fingerprints(client, double):
    first = ask(client, FIRST_TURN)
    double.reset()
    reason = ask(client, after(first)).diagnostics.cache_miss_reason
    assert reason.type == "previous_message_not_found"


def test_a_stream_carries_diagnostics_from_message_start(client):
    first = ask(client, FIRST_TURN)
    with client.messages.stream(
        model=MODEL,
        max_tokens=1000,
        system=system(POLICY + " amended"),
        messages=user(QUESTION),
        diagnostics=after(first),
    ) as stream:
        events = list(stream)
        final = stream.get_final_message()
    start = events[0]
    assert start.type == "message_start"
    assert start.message.diagnostics.cache_miss_reason.type == "system_changed"
    assert final.diagnostics == start.message.diagnostics


def test_the_diagnostics_object_takes_only_previous_message_id(post):
    response = post(request(diagnostics={"previous_message_id": None, "since": 1}))
    assert_error(
        response,
        400,
        "invalid_request_error",
        "diagnostics.since: Extra inputs are not permitted",
    )


def test_previous_message_id_is_a_string_or_null(post):
    response = post(request(diagnostics={"previous_message_id": 7}))
    assert_error(
        response,
        400,
        "invalid_request_error",
        "diagnostics.previous_message_id: Input should be a valid string",
    )


def test_count_tokens_takes_no_diagnostics(post):
    body = request(diagnostics=FIRST_TURN)
    del body["max_tokens"]
    response = post(body, path="/v1/messages/count_tokens")
    assert_error(
        response,
        400,
        "invalid_request_error",
        "diagnostics: Extra inputs are not permitted",
    )
