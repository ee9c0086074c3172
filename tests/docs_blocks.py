"""Find the Python code blocks on the site's pages and say how each one is tested.

A block is tested in one of two ways:
- it only includes code from a `snippets/` module (`--8<-- "snippets/..."`), and that
  module has its own test module under `tests/`;
- it is an inline block, which `tests/test_docs_examples.py` runs with pytest-examples.

A page also shows what an example prints, in a ```text block in a labelled note;
`assert_page_shows` is the one check that the block and the code's output agree.
"""

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PYTHON_LANGUAGES = {"python", "py", "python3", "py3", "pycon", "ipython", "pyi"}
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>.*)$")
INCLUDE = re.compile(r'^-{1,2}8<-{1,2}\s+"(?P<target>[^"]+)"\s*$')


@dataclass(frozen=True)
class Block:
    path: Path
    line: int  # 1-based line of the opening fence
    language: str
    info: str
    body: str

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"

    @property
    def includes(self) -> list[str]:
        """The files (with :section) this block includes, if it only includes."""
        lines = [line.strip() for line in self.body.splitlines() if line.strip()]
        matches = [INCLUDE.match(line) for line in lines]
        if lines and all(matches):
            return [m["target"] for m in matches if m]
        return []

    @property
    def has_include_lines(self) -> bool:
        return any(INCLUDE.match(line.strip()) for line in self.body.splitlines())


def language_of(info: str) -> str:
    info = info.strip()
    if info.startswith("{"):
        match = re.search(r"\.([\w+-]+)", info)
        return match.group(1).lower() if match else ""
    return info.split(maxsplit=1)[0].lower() if info else ""


def code_blocks(path: Path) -> list[Block]:
    """Every fenced block in a Markdown file, nested ones (admonitions, tabs) too."""
    blocks = []
    lines = path.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        fence, indent = opening["fence"], len(opening["indent"])
        body = []
        end = index + 1
        while end < len(lines):
            closing = FENCE.match(lines[end])
            if (
                closing
                and closing["fence"][0] == fence[0]
                and len(closing["fence"]) >= len(fence)
                and not closing["info"].strip()
            ):
                break
            body.append(lines[end][indent:])
            end += 1
        blocks.append(
            Block(
                path=path,
                line=index + 1,
                language=language_of(opening["info"]),
                info=opening["info"],
                body="\n".join(body),
            )
        )
        index = end + 1
    return blocks


def python_blocks(docs: Path = DOCS) -> list[Block]:
    return [
        block
        for page in sorted(docs.rglob("*.md"))
        for block in code_blocks(page)
        if block.language in PYTHON_LANGUAGES
    ]


def covering_test(snippet: str) -> Path:
    """`snippets/stage1/x.py` is tested by `tests/stage1/test_x.py`."""
    relative = Path(snippet).relative_to("snippets")
    return ROOT / "tests" / relative.parent / f"test_{relative.name}"


DOUBLE_LABEL = '!!! note "Output from the local API double'
LEFT_OUT = "..."  # a line of its own in an output block: lines left out here
TEXT_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,})text[ \t]*$")


def _opening_line(lines: list[str], fence_line: int) -> str:
    """The line that opens the indented block a fence sits in (1-based line)."""
    for line in reversed(lines[: fence_line - 1]):
        if line.strip() and not line.startswith((" ", "\t")):
            return line.strip()
    return ""


def _where(page: Path) -> Path:
    return page.relative_to(ROOT) if page.is_relative_to(ROOT) else page


def shown_block(
    page: Path, after: str, label: str = DOUBLE_LABEL
) -> tuple[int, list[str]]:
    """The first ```text block after the first `after` on the page: the line of
    its opening fence (1-based) and its lines, without the fence's indent.
    It must sit in a note whose heading line starts with `label`."""
    where = _where(page)
    text = page.read_text(encoding="utf-8")
    start = text.find(after)
    assert start >= 0, f"{where} no longer contains {after!r}"
    lines = text.splitlines()
    below = text.count("\n", 0, start) + 1  # 0-based, the line after `after`'s
    for index in range(below, len(lines)):
        opening = TEXT_FENCE.match(lines[index])
        if not opening:
            continue
        assert _opening_line(lines, index + 1).startswith(label), (
            f"{where}:{index + 1}, the text block after {after!r}, is not in a "
            f"note headed {label}..."
        )
        indent, fence = len(opening["indent"]), opening["fence"]
        for end in range(index + 1, len(lines)):
            if lines[end].strip() == fence:
                return index + 1, [line[indent:] for line in lines[index + 1 : end]]
        raise AssertionError(f"{where}:{index + 1}: the text block never closes")
    raise AssertionError(f"{where}: no text block after {after!r}")


def _matches(shown: list[str], printed: list[str]) -> bool:
    """Whether `printed` is `shown`, with each `...` line standing for any lines."""
    segments: list[list[str]] = [[]]
    for line in shown:
        if line == LEFT_OUT:
            segments.append([])
        else:
            segments[-1].append(line)
    if len(segments) == 1:  # no `...`: every line
        return printed == shown
    head, *middle, tail = segments
    if printed[: len(head)] != head or len(printed) < len(head) + len(tail):
        return False
    rest = printed[len(head) : len(printed) - len(tail)]
    if tail and printed[-len(tail) :] != tail:
        return False
    position = 0
    for segment in middle:  # in order, each as early as it fits
        found = next(
            (
                i
                for i in range(position, len(rest) - len(segment) + 1)
                if rest[i : i + len(segment)] == segment
            ),
            None,
        )
        if found is None:
            return False
        position = found + len(segment)
    return True


def assert_page_shows(
    page: Path, after: str, output: str, label: str = DOUBLE_LABEL
) -> None:
    """The page shows what the code printed: the first ```text block after the
    first `after` on the page (a command, an included file, a phrase of the
    prose), in a note whose heading starts with `label` (by default, the label
    of output from the local API double; output from elsewhere names its own).

    Lines are compared whole, trailing spaces ignored (a page cannot be relied on
    to keep them), the last newline too (a block cannot show it). A line `...`
    on its own stands for lines the page leaves out, none or many: the lines
    before the first `...` are the first lines printed, the lines after the last
    one the last lines printed, and each run of lines between two `...` appears,
    whole, after the previous run. A block without `...` is every line printed.
    """
    line, shown = shown_block(page, after, label)
    shown = [text.rstrip() for text in shown]
    printed = [text.rstrip() for text in output.splitlines()]
    assert _matches(shown, printed), (
        f"{_where(page)}:{line}, the text block after {after!r}, is not "
        "what the code printed. The page shows:\n"
        + "\n".join(shown)
        + "\n--- the code printed ---\n"
        + "\n".join(printed)
        + "\n--- copy the output (run against the double) into the page's block"
    )
