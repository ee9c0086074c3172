"""Python-Markdown extension: measured tables rendered from benchmark output.

A page line such as

    <!-- results-table data/stage3/retrieval_results.json#retrieval -->

is replaced, before the page is parsed, by a Markdown table built from
`tables.retrieval` in that JSON file (path relative to the project root, the cwd of
a build): `{"columns": [...], "rows": [[...], ...]}`. Floats print with three
decimals, integers with thousands separators. Two kinds of cell carry uncertainty:
`{"value", "low", "high"}` is an estimate with its interval, printed
`0.852 [0.759, 0.926]`, and `{"p"}` is a p-value, printed with three decimals or as
`< 0.001`. The benchmark script is the only writer of the file, so a number on the
page is never typed by hand. A missing file or table stops the build with its name.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from site_markdown.page import SiteError

MARKER = re.compile(r"^<!-- results-table (?P<path>[^#\s]+)#(?P<table>\w+) -->$", re.M)
PRIORITY = 27  # before html_block (20), which would stash the marker as raw HTML


def cell(value: object) -> str:
    if isinstance(value, dict) and value.keys() == {"value", "low", "high"}:
        return f"{value['value']:.3f} [{value['low']:.3f}, {value['high']:.3f}]"
    if isinstance(value, dict) and value.keys() == {"p"}:
        return "< 0.001" if value["p"] < 0.001 else f"{value['p']:.3f}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:.3f}"


def render(root: Path, path: str, name: str) -> str:
    source = root / path
    try:
        table = json.loads(source.read_text(encoding="utf-8"))["tables"][name]
        columns, rows = table["columns"], table["rows"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SiteError(
            f"results-table: cannot read table {name!r} from {path} ({error!r}); "
            "run the benchmark that writes it"
        ) from error
    lines = [
        "| " + " | ".join(columns) + " |",
        "| " + " | ".join(["---"] + ["--:"] * (len(columns) - 1)) + " |",
    ]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def expand(markdown: str, root: Path = Path()) -> str:
    """The Markdown with every results-table marker replaced by its table."""
    return MARKER.sub(lambda m: render(root, m["path"], m["table"]), markdown)


class ResultsTablePreprocessor(Preprocessor):
    def __init__(self, md: Markdown, root: Path) -> None:
        super().__init__(md)
        self.root = root

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if "<!-- results-table" not in text:
            return lines
        return expand(text, self.root).split("\n")


class ResultsTableExtension(Extension):
    def __init__(self, **kwargs) -> None:
        self.config = {"root": [".", "where the marker paths start, relative to cwd"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        processor = ResultsTablePreprocessor(md, Path(self.getConfig("root")))
        md.preprocessors.register(processor, "results_table", PRIORITY)


def makeExtension(**kwargs) -> ResultsTableExtension:
    return ResultsTableExtension(**kwargs)
