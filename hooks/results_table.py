"""MkDocs hook: measured tables rendered from benchmark output at build time.

A page line such as

    <!-- results-table data/stage3/retrieval_results.json#retrieval -->

is replaced by a Markdown table built from `tables.retrieval` in that JSON file
(path relative to mkdocs.yml): `{"columns": [...], "rows": [[...], ...]}`.
Floats print with three decimals, integers with thousands separators. Two
kinds of cell carry uncertainty: `{"value", "low", "high"}` is an estimate
with its interval, printed `0.852 [0.759, 0.926]`, and `{"p"}` is a p-value,
printed with three decimals or as `< 0.001`. The benchmark script is the only
writer of the file, so a number on the page is never typed by hand. A missing
file or table stops the build with its name.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

MARKER = re.compile(r"^<!-- results-table (?P<path>[^#\s]+)#(?P<table>\w+) -->$", re.M)


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
        raise PluginError(
            f"results-table: cannot read table {name!r} from {path} ({error!r}); "
            "run the benchmark that writes it"
        ) from error
    lines = [
        "| " + " | ".join(columns) + " |",
        "| " + " | ".join(["---"] + ["--:"] * (len(columns) - 1)) + " |",
    ]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def on_page_markdown(markdown: str, *, page, config, files) -> str:
    root = Path(config.config_file_path).parent
    return MARKER.sub(lambda m: render(root, m["path"], m["table"]), markdown)
