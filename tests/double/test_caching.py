"""Prompt caching: first sight of a prefix writes it, an identical prefix reads it."""

import pytest

from tests.double import models
from tests.double.conftest import MODEL, reply, user
from tests.model_lifecycle import pick_model

CACHE = {"type": "ephemeral"}


def words(count: int, word: str = "policy") -> str:
    """About two tokens per word with the double's counter."""
    return " ".join([word] * count)


MANUAL = words(750)  # about 1,500 tokens: over the 5.5 models' minimum of 512
SHORT = words(150)  # about 300 tokens: under every model's minimum


@pytest.fixture(autouse=True)
def scripted(double):
    entries = [{"match": {"user": "double-selftest: cache"}, "reply": reply("Noted.")}]
    with double.script(entries):
        yield


def ask(client, system_text: str, model: str = MODEL, **fields):
    system = [{"type": "text", "text": system_text, "cache_control": CACHE}]
    fields.setdefault("messages", user("double-selftest: cache, what changed?"))
    return client.messages.create(model=model, max_tokens=1000, system=system, **fields)


def total_input(message) -> int:
    usage = message.usage
    return (
        usage.input_tokens
        + usage.cache_creation_input_tokens
        + usage.cache_read_input_tokens
    )


def test_first_request_writes_and_the_second_reads(client):
    first = ask(client, MANUAL).usage
    second = ask(client, MANUAL).usage
    assert first.cache_creation_input_tokens > 1024
    assert first.cache_read_input_tokens == 0
    assert first.cache_creation.ephemeral_5m_input_tokens == (
        first.cache_creation_input_tokens
    )
    assert second.cache_read_input_tokens == first.cache_creation_input_tokens
    assert second.cache_creation_input_tokens == 0
    assert second.input_tokens == first.input_tokens > 0


def test_input_tokens_count_only_the_uncached_remainder(client):
    message = ask(client, MANUAL)
    counted = client.messages.count_tokens(
        model=MODEL,
        system=[{"type": "text", "text": MANUAL, "cache_control": CACHE}],
        messages=user("double-selftest: cache, what changed?"),
    )
    assert total_input(message) == counted.input_tokens
    assert message.usage.input_tokens < 50


def test_a_prefix_under_the_minimum_is_never_cached(client):
    for _ in range(2):
        usage = ask(client, SHORT).usage
        assert usage.cache_creation_input_tokens == 0
        assert usage.cache_read_input_tokens == 0


def test_the_minimum_depends_on_the_model(client):
    higher = pick_model(lambda m: models.cache_minimum(m) >= 2048, "a minimum of 2,048")
    assert models.cache_minimum(MODEL) == 512
    written = ask(client, MANUAL, model=MODEL).usage.cache_creation_input_tokens
    assert 512 <= written < 2048
    assert ask(client, MANUAL, model=higher).usage.cache_creation_input_tokens == 0


def test_the_cache_belongs_to_one_model(client):
    ask(client, MANUAL, model="claude-sonnet-5-5")
    usage = ask(client, MANUAL, model="claude-opus-5-5").usage
    assert usage.cache_read_input_tokens == 0
    assert usage.cache_creation_input_tokens > 0


def test_a_changed_prefix_misses(client):
    ask(client, MANUAL)
    usage = ask(client, MANUAL + " amended").usage
    assert usage.cache_read_input_tokens == 0
    assert usage.cache_creation_input_tokens > 0


def test_a_later_breakpoint_reads_the_earlier_one_and_writes_the_rest(client):
    first = ask(client, MANUAL).usage
    longer = [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": words(600, "ledger"), "cache_control": CACHE},
                {"type": "text", "text": "double-selftest: cache, summarise."},
            ],
        }
    ]
    second = ask(client, MANUAL, messages=longer).usage
    assert second.cache_read_input_tokens == first.cache_creation_input_tokens
    assert 1100 < second.cache_creation_input_tokens < 1400


def test_automatic_caching_follows_a_growing_conversation(client):
    history = user(f"double-selftest: cache this manual: {words(700)}")
    first = client.messages.create(
        model=MODEL, max_tokens=1000, cache_control=CACHE, messages=history
    )
    history += [
        {"role": "assistant", "content": first.content},
        *user("double-selftest: cache, and what changed?"),
    ]
    second = client.messages.create(
        model=MODEL, max_tokens=1000, cache_control=CACHE, messages=history
    )
    assert first.usage.cache_creation_input_tokens > 1024
    assert (
        second.usage.cache_read_input_tokens == first.usage.cache_creation_input_tokens
    )
    assert 0 < second.usage.cache_creation_input_tokens < 50
    assert second.usage.input_tokens == first.usage.input_tokens


def test_tool_definitions_can_be_cached(client):
    tool = {
        "name": "lookup_policy",
        "description": MANUAL,
        "input_schema": {"type": "object", "properties": {}},
        "cache_control": CACHE,
    }
    fields = {"tools": [tool], "messages": user("double-selftest: cache, look it up")}
    first = client.messages.create(model=MODEL, max_tokens=1000, **fields).usage
    second = client.messages.create(model=MODEL, max_tokens=1000, **fields).usage
    assert first.cache_creation_input_tokens > 1024
    assert second.cache_read_input_tokens == first.cache_creation_input_tokens


def test_one_hour_ttl_is_reported_separately(client):
    system = [{"type": "text", "text": MANUAL, "cache_control": {**CACHE, "ttl": "1h"}}]
    usage = client.messages.create(
        model=MODEL,
        max_tokens=1000,
        system=system,
        messages=user("double-selftest: cache, an hour"),
    ).usage
    assert usage.cache_creation.ephemeral_1h_input_tokens == (
        usage.cache_creation_input_tokens
    )
    assert usage.cache_creation.ephemeral_5m_input_tokens == 0


def test_reset_empties_the_cache(client, double):
    ask(client, MANUAL)
    double.reset()
    assert ask(client, MANUAL).usage.cache_read_input_tokens == 0


def test_streaming_reports_the_cache_too(client):
    written = ask(client, MANUAL).usage.cache_creation_input_tokens
    system = [{"type": "text", "text": MANUAL, "cache_control": CACHE}]
    with client.messages.stream(
        model=MODEL,
        max_tokens=1000,
        system=system,
        messages=user("double-selftest: cache, what changed?"),
    ) as stream:
        assert stream.get_final_message().usage.cache_read_input_tokens == written
