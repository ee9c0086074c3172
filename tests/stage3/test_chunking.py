import itertools
import runpy

import pytest

from snippets.stage3.chunking import (
    by_markdown_structure,
    fixed_size,
    markdown_sections,
    recursive,
)
from snippets.stage3.corpus import pydoc_documents

MAX = 120


@pytest.fixture(scope="module")
def mapping_text():
    [document] = pydoc_documents(["typesmapping"])
    return document.text


def words(text: str) -> list[str]:
    return text.split()


@pytest.mark.parametrize(
    "chunker",
    [
        lambda text, count: fixed_size(text, MAX, 20, count),
        lambda text, count: recursive(text, MAX, count),
        lambda text, count: by_markdown_structure(text, MAX, count),
    ],
    ids=["fixed", "recursive", "markdown"],
)
def test_every_chunk_fits_the_budget(chunker, mapping_text, embedder):
    chunks = chunker(mapping_text, embedder.count_tokens)
    assert len(chunks) > 5
    assert all(0 < embedder.count_tokens(c.text) <= MAX for c in chunks)


def test_recursive_chunks_lose_no_text(mapping_text, embedder):
    chunks = recursive(mapping_text, MAX, embedder.count_tokens)
    assert words(" ".join(c.text for c in chunks)) == words(mapping_text)
    # Paragraphs stay whole where they fit: most chunks end at a line break.
    ends_at_line = sum(mapping_text.find(c.text + "\n") >= 0 for c in chunks)
    assert ends_at_line >= 0.8 * len(chunks)


def test_fixed_windows_overlap(mapping_text, embedder):
    chunks = fixed_size(mapping_text, MAX, 20, embedder.count_tokens)
    for before, after in itertools.pairwise(chunks):
        shared = [
            k for k in range(1, 40) if words(before.text)[-k:] == words(after.text)[:k]
        ]
        assert shared, "each window starts with the end of the previous one"
        assert embedder.count_tokens(" ".join(words(after.text)[: max(shared)])) <= 20
    without_overlap = fixed_size(mapping_text, MAX, 0, embedder.count_tokens)
    assert words(" ".join(c.text for c in without_overlap)) == words(mapping_text)
    assert len(chunks) > len(without_overlap)


def test_an_unbroken_string_longer_than_the_window_is_split_not_dropped(embedder):
    blob = "ab/" * 3000  # 9,000 characters, 6,000 tokens, no space to split at
    for chunks in (
        fixed_size(blob, MAX, 20, embedder.count_tokens),
        recursive(blob, MAX, embedder.count_tokens),
    ):
        assert "".join(c.text for c in chunks) == blob
        assert all(embedder.count_tokens(c.text) <= MAX for c in chunks)


def test_markdown_chunks_carry_their_heading_path(embedder):
    text = (
        "# Guide\n\nIntro.\n\n## Install\n\n### Linux\n\nUse apt.\n\n"
        "```bash\n# not a heading\napt install x\n```\n\n## Use\n\nRun it.\n"
    )
    sections = markdown_sections(text)
    assert [path for path, _ in sections] == [
        ("Guide",),
        ("Guide", "Install", "Linux"),  # '## Install' alone has no text: no chunk
        ("Guide", "Use"),
    ]
    assert "# not a heading" in sections[1][1]  # a comment in a code fence
    chunks = by_markdown_structure(text, MAX, embedder.count_tokens)
    assert chunks[1].text.startswith("### Linux")
    assert chunks[1].heading_path == ("Guide", "Install", "Linux")


def test_a_long_section_is_split_and_each_piece_keeps_the_path(mapping_text, embedder):
    chunks = by_markdown_structure(mapping_text, MAX, embedder.count_tokens)
    paths = [c.heading_path for c in chunks]
    assert paths[0] == ('Mapping Types — "dict"',)
    assert paths.count(('Mapping Types — "dict"',)) > 3  # one section, many chunks
    assert all(p[0] == 'Mapping Types — "dict"' for p in paths)
    assert any(len(p) == 2 for p in paths)  # 'Dictionary view objects'


def test_main_compares_the_three_chunkers(capsys):
    runpy.run_module("snippets.stage3.chunking", run_name="__main__")
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith('Mapping Types — "dict": ')
    assert [line.split(":")[0] for line in out[1:4]] == [
        "fixed, 200 + 40 overlap",
        "recursive, 200",
        "markdown structure, 200",
    ]
    for line in out[1:4]:
        assert int(line.split("-")[-1].split()[0]) <= 200
    assert (
        out[4] == "last chunk: ('Mapping Types — \"dict\"', 'Dictionary view objects')"
    )
