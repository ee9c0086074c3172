"""The corpus: real text this project did not write, plus this site's own pages.

`pydoc_data.topics` ships with CPython: the language reference topics that
`help("with")` prints, 79 documents and about 465,000 characters. Their headings
are underlined plain text, so this module turns them into Markdown headings (and
changes nothing else); every chunker then sees one heading syntax.

The second corpus is the Markdown under this site's `docs/`. Files are read as
strict UTF-8: a file in another encoding is reported by name and byte offset and
skipped, and the others still load.
"""

import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from pydoc_data.topics import topics


# --8<-- [start:document]
@dataclass(frozen=True)
class Document:
    source: str  # stable id, e.g. 'pydoc:with' or 'site:guides/how-rag-works.md'
    collection: str  # 'pydoc' or 'site': what metadata filters select on
    title: str
    text: str  # Markdown


# --8<-- [end:document]

# Underline character in the plain-text topics -> Markdown heading level.
UNDERLINES = {"*": "#", "=": "##", "-": "###", "~": "####"}


def underlines_to_markdown(text: str) -> str:
    """Turn 'Title' + '*****' pairs into '# Title' (likewise '=', '-', '~')."""
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        below = lines[i + 1] if i + 1 < len(lines) else ""
        if line.strip() and below[:1] in UNDERLINES and below == below[0] * len(line):
            out.append(f"{UNDERLINES[below[0]]} {line}")
            i += 2
        else:
            out.append(line)
            i += 1
    return "\n".join(out) + "\n"


class UnknownTopic(ValueError):
    """A topic name that this Python's pydoc_data does not have."""


def pydoc_documents(names: Collection[str] | None = None) -> list[Document]:
    """The CPython topic documents (or only the named ones), one per topic."""
    unknown = set(names or ()) - topics.keys()
    if unknown:
        raise UnknownTopic(
            f"no pydoc topic named {', '.join(sorted(unknown))}; "
            "pydoc_data.topics.topics.keys() lists them"
        )
    return [
        Document(
            source=f"pydoc:{key}",
            collection="pydoc",
            title=text.splitlines()[0],
            text=underlines_to_markdown(text),
        )
        for key, text in sorted(topics.items())
        if names is None or key in names
    ]


# --8<-- [start:read]
class NotUtf8(ValueError):
    """A file that is not valid UTF-8; decoding it with a guess would corrupt it."""


def read_utf8(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise NotUtf8(
            f"{path}: byte {data[error.start]:#04x} at offset {error.start} is not "
            "UTF-8; convert the file (e.g. iconv -f latin1 -t utf-8) and ingest again"
        ) from error


# --8<-- [end:read]

FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


def markdown_document(path: Path, root: Path) -> Document:
    """One site page: front matter removed, title from it or the first heading."""
    text = read_utf8(path)
    title = path.stem
    if match := FRONT_MATTER.match(text):
        text = text[match.end() :]
        if found := re.search(r"^title:\s*\"?(.*?)\"?\s*$", match[1], re.MULTILINE):
            title = found[1]
    elif heading := re.search(r"^# (.+)$", text, re.MULTILINE):
        title = heading[1].strip()
    return Document(
        source=f"site:{path.relative_to(root).as_posix()}",
        collection="site",
        title=title,
        text=text,
    )


def site_documents(docs_dir: Path) -> tuple[list[Document], list[str]]:
    """Every Markdown page under docs_dir, and one message per file that failed."""
    documents, problems = [], []
    for path in sorted(docs_dir.rglob("*.md")):
        try:
            documents.append(markdown_document(path, docs_dir))
        except NotUtf8 as error:
            problems.append(str(error))
    return documents, problems


def main() -> None:
    documents = pydoc_documents()
    characters = sum(len(document.text) for document in documents)
    print(f"{len(documents)} pydoc topics, {characters:,} characters")
    with_statement = next(d for d in documents if d.source == "pydoc:with")
    print(with_statement.text[:300])


if __name__ == "__main__":
    main()
