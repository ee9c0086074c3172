import runpy

from snippets.stage3 import contextual
from snippets.stage3.chunking import Chunk
from snippets.stage3.contextual import (
    PREFIX_TOKENS,
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
    chunk = Chunk("stage3-double: a chunk about nothing in particular")
    prefix = claude_prefix(DOCUMENT, chunk)
    assert prefix.startswith("This chunk comes from a long test document")
    [request] = double.requests
    body = request.body
    assert body["model"] == contextual.MODEL
    document_block, chunk_block = body["messages"][0]["content"]
    assert document_block["text"] == f"<document>\n{DOCUMENT.text}\n</document>"
    assert document_block["cache_control"] == {"type": "ephemeral"}
    assert chunk_block["text"].startswith(f"<chunk>\n{chunk.text}\n</chunk>")
    assert "cache_control" not in chunk_block


def test_a_long_prefix_is_trimmed_to_its_budget(double, embedder):
    prefix = claude_prefix(
        DOCUMENT, Chunk("stage3-double: a chunk about nothing in particular")
    )
    assert embedder.count_tokens(prefix) > PREFIX_TOKENS
    fitted = fit_prefix(prefix, embedder)
    assert embedder.count_tokens(fitted) <= PREFIX_TOKENS
    assert prefix.startswith(fitted)
    assert fit_prefix("Basic customization", embedder) == "Basic customization"


def test_main_shows_both_prefixes(capsys):
    runpy.run_module("snippets.stage3.contextual", run_name="__main__")
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "structural: Basic customization"
    assert out[1].startswith("by Claude:  ")
    assert "__bool__" in out[1]
    assert out[2] == "embedded and keyword-indexed as:"
    assert out[3] == out[1].removeprefix("by Claude:  ")
    assert out[4] == ""  # a blank line between the prefix and the chunk
    assert out[5].startswith("Called to implement truth value testing")
