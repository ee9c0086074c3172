import runpy

import pytest

from snippets.stage1.fence import fence
from snippets.stage1.replies import IncompleteReply
from snippets.stage3 import contextual
from snippets.stage3.chunking import Chunk
from snippets.stage3.contextual import (
    claude_prefix,
    fit_prefix,
    indexed_text,
    structural_prefix,
)
from snippets.stage3.corpus import Document

DOCUMENT = Document(
    source="pydoc:test",
    collection="pydoc",
    title="Special method names",
    text="# Special method names\n\n" + "Filler sentence for the test. " * 400,
)
SHORT_DOCUMENT = Document(
    source="pydoc:short",
    collection="pydoc",
    title="Short",
    text="# Short\n\n" + "Filler sentence for the test. " * 20,
)
FILLER_CHUNK = Chunk("stage3-double: a chunk about nothing in particular")
TRUTH_CHUNK = Chunk("Called to implement truth value testing and the built-in bool().")


@pytest.fixture
def replies(monkeypatch):
    """The messages `claude_prefix` received, to read their `usage`."""
    received = []
    create = contextual.client.messages.create

    def recording(**kwargs):
        received.append(create(**kwargs))
        return received[-1]

    monkeypatch.setattr(contextual.client.messages, "create", recording)
    return received


def test_the_structural_prefix_is_the_title_and_heading_path():
    chunk = Chunk("text", ("Special method names", "Basic customization"))
    assert structural_prefix(DOCUMENT, chunk) == (
        "Special method names > Basic customization"
    )
    other_title = Chunk("text", ("Emulating numeric types",))
    assert structural_prefix(DOCUMENT, other_title) == (
        "Special method names > Emulating numeric types"
    )


def test_indexed_text_puts_the_prefix_first_and_skips_an_empty_one():
    chunk = Chunk("Called to implement truth value testing.")
    assert indexed_text("Basic customization", chunk) == (
        "Basic customization\n\nCalled to implement truth value testing."
    )
    assert indexed_text("", chunk) == chunk.text


def test_claude_prefix_sends_the_document_once_as_a_cached_block(double):
    chunk = FILLER_CHUNK
    prefix = claude_prefix(DOCUMENT, chunk)
    assert prefix.startswith("This chunk comes from a long test document")
    [request] = double.requests
    body = request.body
    assert body["model"] == "claude-haiku-5-5"
    assert body["max_tokens"] == 400
    assert body["output_config"] == {"effort": "low"}
    document_block, chunk_block = body["messages"][0]["content"]
    assert document_block["text"] == fence(DOCUMENT.text, "document")
    assert document_block["cache_control"] == {"type": "ephemeral"}
    assert chunk_block["text"].startswith(fence(chunk.text, "chunk") + "\n")
    assert "cache_control" not in chunk_block


def test_every_chunk_after_the_first_reads_the_document_from_the_cache(double, replies):
    claude_prefix(DOCUMENT, FILLER_CHUNK)
    claude_prefix(DOCUMENT, TRUTH_CHUNK)
    first, second = (message.usage for message in replies)
    assert first.cache_creation_input_tokens > 512
    assert not first.cache_read_input_tokens
    assert second.cache_read_input_tokens == first.cache_creation_input_tokens
    assert not second.cache_creation_input_tokens


def test_a_document_under_512_tokens_is_not_cached(double, replies):
    claude_prefix(SHORT_DOCUMENT, FILLER_CHUNK)
    claude_prefix(SHORT_DOCUMENT, TRUTH_CHUNK)
    for message in replies:
        assert 0 < message.usage.input_tokens < 512
        assert not message.usage.cache_creation_input_tokens
        assert not message.usage.cache_read_input_tokens


def test_a_prefix_cut_off_at_max_tokens_is_an_error(double):
    rambling = {
        "match": {
            "user": 'source="chunk">\nstage3-double: a chunk that sets Claude off'
        },
        "reply": {"content": [{"type": "text", "text": "This chunk says. " * 200}]},
    }
    with double.script([rambling]), pytest.raises(IncompleteReply) as cut_off:
        claude_prefix(DOCUMENT, Chunk("stage3-double: a chunk that sets Claude off"))
    assert cut_off.value.stop_reason == "max_tokens"


def test_a_long_prefix_is_trimmed_to_its_budget(double, embedder):
    prefix = claude_prefix(DOCUMENT, FILLER_CHUNK)
    # The page: 190 tokens of chunk leave 64 of the model's 254 for the prefix.
    assert embedder.count_tokens(prefix) > 64
    fitted = fit_prefix(prefix, embedder)
    assert embedder.count_tokens(fitted) <= 64
    assert prefix.startswith(fitted)
    assert fit_prefix("Basic customization", embedder) == "Basic customization"


def test_main_shows_both_prefixes(capsys):
    runpy.run_module("snippets.stage3.contextual", run_name="__main__")
    prefix = (
        "From the Python reference on basic customization: this chunk describes "
        "object.__bool__(), the special method that decides an instance's truth "
        "value, and the fallback to __len__() when it is missing."
    )
    assert capsys.readouterr().out == (
        "structural: Basic customization\n"
        f"by Claude:  {prefix}\n"
        "embedded and keyword-indexed as:\n"
        f"{prefix}\n"
        "\n"  # a blank line between the prefix and the chunk
        "Called to implement truth value testing and the built-in operation\n"
        "  ...\n"
    )
