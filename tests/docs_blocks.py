"""Find the Python code blocks on the site's pages and say how each one is tested.

A block is tested in one of two ways:
- it only includes code from a `snippets/` module (`--8<-- "snippets/..."`), and that
  module has its own test module under `tests/`;
- it is an inline block, which `tests/test_docs_examples.py` runs with pytest-examples.
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


def _opening_line(lines: list[str], fence_line: int) -> str:
    """The line that opens the indented block a fence sits in (1-based line)."""
    for line in reversed(lines[: fence_line - 1]):
        if line.strip() and not line.startswith((" ", "\t")):
            return line.strip()
    return ""


def page_output(page: Path, snippet: str) -> str:
    """The one text block `page` shows as `snippet`'s output: in a note labelled as
    the double's, after the snippet's code and before any other included code."""
    lines = page.read_text(encoding="utf-8").splitlines()
    shown, last_included = [], None
    for block in code_blocks(page):
        if block.includes:
            last_included = block.includes[0].split(":", 1)[0]
        elif (
            block.language == "text"
            and last_included == snippet
            and _opening_line(lines, block.line).startswith(DOUBLE_LABEL)
        ):
            shown.append(block.body + "\n")
    where = page.relative_to(ROOT)
    assert len(shown) == 1, (
        f"{where} should show one text block of {snippet}'s output, in a note "
        f"headed {DOUBLE_LABEL}...\", after the module's code; found {len(shown)}"
    )
    return shown[0]


def assert_page_shows(page: Path, snippet: str, output: str) -> None:
    """The page shows exactly what the module printed: every line, nothing more."""
    module = snippet.removesuffix(".py").replace("/", ".")
    assert output == page_output(page, snippet), (
        f"{page.relative_to(ROOT)} and `python -m {module}` disagree; copy the "
        "module's output (run against the double) into the page's block"
    )
