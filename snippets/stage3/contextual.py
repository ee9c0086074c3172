"""Contextual retrieval: index each chunk with a short prefix that says where it is.

A chunk cut from the middle of a document loses what the document was about:
"Called to implement truth value testing" does not say "object.__bool__" or
"special method names". Prepending context before embedding and keyword
indexing gives both searches those words back. The prefix is computed once, at
ingestion; the reader is still shown (and cited) the chunk alone.

Two ways to write the prefix:

- `structural_prefix`: free and deterministic, from the document title and the
  chunk's heading path. This is what the pipeline uses by default.
- `claude_prefix`: one or two sentences written by Claude from the whole
  document, one call per chunk, with the document sent as a cached prefix so
  only the first call for a document pays for all of it. A reply that did not
  finish raises `IncompleteReply`: half a sentence is not indexed as context.
"""

import anthropic

from snippets.stage1.fence import fence
from snippets.stage1.replies import reply_text
from snippets.stage3.chunking import Chunk, by_markdown_structure
from snippets.stage3.corpus import Document, pydoc_documents
from snippets.stage3.embeddings import Embedder, load_model

PREFIX_TOKENS = 64  # room kept for the prefix inside the embedding window

client = anthropic.Anthropic()


# --8<-- [start:structural]
def structural_prefix(document: Document, chunk: Chunk) -> str:
    """'Title > Section > Subsection', without repeating the title."""
    headings = [h for h in chunk.heading_path if h != document.title]
    return " > ".join([document.title, *headings])


# --8<-- [end:structural]


# --8<-- [start:claude]
MODEL = "claude-haiku-5-5"  # one call per chunk: the small model


def claude_prefix(document: Document, chunk: Chunk) -> str:
    """One or two sentences situating the chunk in its document, by Claude."""
    message = client.messages.create(
        model=MODEL,
        max_tokens=400,  # thinking counts too; the two sentences need about 100
        # One call per chunk (880 for the pydoc topics): low effort keeps each call
        # cheap and quick, and placing a chunk in its document needs little thought.
        output_config={"effort": "low"},
        system=(
            "You write search context for chunks of documentation. Reply with one "
            "or two sentences and nothing else."
        ),
        messages=[
            {
                "role": "user",
                "content": [
                    {
                        "type": "text",
                        # Retrieved text is untrusted: fenced, so it cannot close
                        # its tag (Stage 2's fence).
                        "text": fence(document.text, "document"),
                        # The same document for every chunk: cache it. A prefix
                        # under the model's minimum is not cached; Anthropic's Haiku
                        # 5.5 pages give no minimum, and the double assumes 512.
                        "cache_control": {"type": "ephemeral"},
                    },
                    {
                        "type": "text",
                        "text": f"{fence(chunk.text, 'chunk')}\nSituate this "
                        "chunk within the document, naming what it is about, "
                        "so that a search for it succeeds.",
                    },
                ],
            }
        ],
    )
    return reply_text(message).strip()  # IncompleteReply if cut off or refused


# --8<-- [end:claude]


# --8<-- [start:fit]
def fit_prefix(prefix: str, embedder: Embedder) -> str:
    """Drop words from the end of the prefix until it fits PREFIX_TOKENS."""
    words = prefix.split()
    while words and embedder.count_tokens(" ".join(words)) > PREFIX_TOKENS:
        words.pop()
    return " ".join(words)


def indexed_text(prefix: str, chunk: Chunk) -> str:
    """What is embedded and keyword-indexed: the prefix, a blank line, the chunk."""
    return f"{prefix}\n\n{chunk.text}" if prefix else chunk.text


# --8<-- [end:fit]


def main() -> None:
    embedder = Embedder(load_model())
    document = next(d for d in pydoc_documents() if d.source == "pydoc:customization")
    chunks = by_markdown_structure(
        document.text, embedder.max_tokens - PREFIX_TOKENS, embedder.count_tokens
    )
    chunk = next(c for c in chunks if "truth value testing" in c.text)
    print("structural:", structural_prefix(document, chunk))
    prefix = fit_prefix(claude_prefix(document, chunk), embedder)
    print("by Claude: ", prefix)
    print("embedded and keyword-indexed as:")
    print(indexed_text(prefix, chunk)[: len(prefix) + 70], "...")


if __name__ == "__main__":
    main()
