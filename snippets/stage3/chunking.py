"""Three ways to cut documents into chunks, measured in the model's own tokens.

- `fixed_size`: windows of whole words up to a token budget, each window
  starting a little before the previous one ended (the overlap).
- `recursive`: split on the coarsest separator that works (blank line, then
  line, then space) and pack neighbouring pieces back together up to the budget.
- `by_markdown_structure`: one chunk per heading section, recursive splitting
  only for sections over the budget; each chunk keeps its heading path.

Every chunker measures length with `count_tokens`, so no chunk is cut off by the
embedding model, and none of them drops text: an oversized word is halved until
it fits.
"""

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from snippets.stage3.corpus import pydoc_documents
from snippets.stage3.embeddings import Embedder, load_model

CountTokens = Callable[[str], int]


@dataclass(frozen=True)
class Chunk:
    text: str
    heading_path: tuple[str, ...] = ()  # ('Title', 'Section', 'Subsection')


def split_to_fit(text: str, max_tokens: int, count_tokens: CountTokens) -> list[str]:
    """Halve a text until every piece fits: the last resort for unbroken strings."""
    if count_tokens(text) <= max_tokens or len(text) == 1:
        return [text]
    middle = len(text) // 2
    return split_to_fit(text[:middle], max_tokens, count_tokens) + split_to_fit(
        text[middle:], max_tokens, count_tokens
    )


# --8<-- [start:fixed]
def fixed_size(
    text: str, max_tokens: int, overlap: int, count_tokens: CountTokens
) -> list[Chunk]:
    """Windows of whole words, up to max_tokens each, overlapping by ~overlap."""
    cost = functools.cache(count_tokens)  # this tokenizer never merges two words
    words = [
        piece
        for word in re.findall(r"\S+\s*", text)
        for piece in split_to_fit(word, max_tokens, cost)
    ]
    chunks: list[Chunk] = []
    start = 0
    while start < len(words):
        end, used = start, 0
        while end < len(words) and used + cost(words[end]) <= max_tokens:
            used += cost(words[end])
            end += 1
        chunks.append(Chunk("".join(words[start:end]).strip()))
        if end == len(words):
            break
        # Step back from the end until `overlap` tokens are repeated.
        next_start, repeated = end, 0
        while (
            next_start - 1 > start and repeated + cost(words[next_start - 1]) <= overlap
        ):
            next_start -= 1
            repeated += cost(words[next_start])
        start = next_start
    return chunks


# --8<-- [end:fixed]


# --8<-- [start:recursive]
SEPARATORS = ("\n\n", "\n", " ")


def recursive_pieces(
    text: str,
    max_tokens: int,
    count_tokens: CountTokens,
    separators: tuple[str, ...] = SEPARATORS,
) -> list[str]:
    """Pieces that each fit, split at the coarsest separator possible, repacked."""
    if count_tokens(text) <= max_tokens:
        return [text]
    if not separators:
        return split_to_fit(text, max_tokens, count_tokens)
    separator, finer = separators[0], separators[1:]
    parts = text.split(separator)
    pieces = [part + separator for part in parts[:-1]] + [parts[-1]]
    small = [
        fitting
        for piece in pieces
        for fitting in recursive_pieces(piece, max_tokens, count_tokens, finer)
    ]
    packed: list[str] = []
    current = ""
    for piece in small:
        if current and count_tokens(current + piece) > max_tokens:
            packed.append(current)
            current = ""
        current += piece
    return [*packed, current]


def recursive(text: str, max_tokens: int, count_tokens: CountTokens) -> list[Chunk]:
    pieces = recursive_pieces(text, max_tokens, count_tokens)
    return [Chunk(piece.strip()) for piece in pieces if piece.strip()]


# --8<-- [end:recursive]


# --8<-- [start:markdown]
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")


def markdown_sections(text: str) -> list[tuple[tuple[str, ...], str]]:
    """Split at headings (not inside code fences): (heading path, section text)."""
    sections: list[tuple[tuple[str, ...], str]] = []
    path: list[tuple[int, str]] = []  # (level, heading) from the top down
    lines: list[str] = []
    in_fence = False

    def flush() -> None:
        body = [line for line in lines if not HEADING.match(line)]
        if "".join(body).strip():  # a heading with no text of its own adds nothing
            sections.append((tuple(h for _, h in path), "\n".join(lines)))

    for line in text.splitlines():
        if FENCE.match(line):
            in_fence = not in_fence
        heading = None if in_fence else HEADING.match(line)
        if heading:
            flush()
            lines = []
            level = len(heading[1])
            path = [(lvl, h) for lvl, h in path if lvl < level]
            path.append((level, heading[2]))
        lines.append(line)
    flush()
    return sections


def by_markdown_structure(
    text: str, max_tokens: int, count_tokens: CountTokens
) -> list[Chunk]:
    return [
        Chunk(piece.strip(), heading_path)
        for heading_path, section in markdown_sections(text)
        for piece in recursive_pieces(section, max_tokens, count_tokens)
        if piece.strip()
    ]


# --8<-- [end:markdown]


def main() -> None:
    embedder = Embedder(load_model())
    document = next(d for d in pydoc_documents() if d.source == "pydoc:typesmapping")
    count = embedder.count_tokens
    print(f"{document.title}: {count(document.text)} tokens")
    structured = by_markdown_structure(document.text, 200, count)
    for name, chunks in [
        ("fixed, 200 + 40 overlap", fixed_size(document.text, 200, 40, count)),
        ("recursive, 200", recursive(document.text, 200, count)),
        ("markdown structure, 200", structured),
    ]:
        sizes = [count(chunk.text) for chunk in chunks]
        print(f"{name}: {len(chunks)} chunks, {min(sizes)}-{max(sizes)} tokens")
    print(f"last chunk: {structured[-1].heading_path}")


if __name__ == "__main__":
    main()
