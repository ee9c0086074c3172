"""Python-Markdown extension: the double's behaviour table and live conformance.

Three markers, replaced before the page is parsed, so nothing is typed twice:

    <!-- behaviour-table -->       one row per fact in tests/double/behaviour.yml:
                                   the fact, models, API versions, basis, source
                                   with the date read, and the last live verdict
    <!-- conformance-summary -->   one sentence: when the probes last ran against
                                   the real API, with which SDK, and how many agreed,
                                   or that they never have
    <!-- lifecycle-table -->       data/model_lifecycle.yml: each model's status,
                                   deprecation and retirement dates, and source

The table is read with the double's own loader (the same checks, the same errors).
The live verdicts come from data/conformance/live.json, which only a run of
`pytest tests/double --live` writes.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import yaml
from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

ROOT = Path(__file__).resolve().parents[1]
TABLE_MARKER = "<!-- behaviour-table -->"
SUMMARY_MARKER = "<!-- conformance-summary -->"
LIFECYCLE_MARKER = "<!-- lifecycle-table -->"
MARKERS = (TABLE_MARKER, SUMMARY_MARKER, LIFECYCLE_MARKER)
PRIORITY = 26  # before html_block (20), which would stash the markers as raw HTML
LIFECYCLES = ROOT / "data" / "model_lifecycle.yml"
LIVE = ROOT / "data" / "conformance" / "live.json"
NEVER = (
    "The probes have **never been run against the real API**: every verdict below "
    "is the double's own reading of the docs. A run of "
    "`pytest tests/double/test_conformance.py --live` with a key fills the last "
    "column."
)


def _behaviour():
    """tests/double/behaviour.py, loaded alone (not the whole double package)."""
    path = ROOT / "tests" / "double" / "behaviour.py"
    spec = importlib.util.spec_from_file_location("double_behaviour", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_live_run(path: Path) -> dict | None:
    """A recorded `--live` run, or None if there was none. The one reader of the
    file: site_markdown/stage_meta.py uses it too."""
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def last_live_run() -> dict | None:
    return read_live_run(LIVE)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _names(values: tuple[str, ...] | None, every: str) -> str:
    return every if values is None else ", ".join(f"`{v}`" for v in values)


def table(rows, run: dict | None) -> str:
    verdicts = (run or {}).get("rows", {})
    lines = [
        "| Fact | Models | API version | Basis | Source (read) | Live |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        if row.probe is None:
            live = "no probe"
        else:
            live = verdicts.get(row.id, {}).get("verdict", "not run")
        basis = row.basis if not row.note else f"{row.basis}: {row.note}"
        lines.append(
            "| "
            + " | ".join(
                [
                    _cell(row.fact),
                    _names(row.models, "any other"),
                    _names(row.api, "all"),
                    _cell(basis),
                    f"[{row.source.removeprefix('https://')}]({row.source}) "
                    f"({row.read})",
                    live,
                ]
            )
            + " |"
        )
    return "\n".join(lines)


def summary(rows, run: dict | None) -> str:
    probed = [row for row in rows if row.probe is not None]
    if run is None:
        return NEVER
    agreed = sum(
        1 for row in probed if run["rows"].get(row.id, {}).get("verdict") == "agree"
    )
    return (
        f"Last run against the real API on {run['date']}, with anthropic "
        f"{run['sdk']} (API version {run['api_version']}): {agreed} of "
        f"{len(probed)} probes agreed with the double."
    )


def lifecycle_table(path: Path = LIFECYCLES) -> str:
    lines = [
        "| Model | Status | Deprecated | Retires | Replacement | Source (read) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in yaml.safe_load(path.read_text(encoding="utf-8")):
        retires = row["retires"] or (
            f"not before {row['not_before']}" if row["not_before"] else "none announced"
        )
        replacement = f"`{row['replacement']}`" if row["replacement"] else ""
        source = f"[{row['source'].removeprefix('https://')}]({row['source']})"
        lines.append(
            f"| `{row['model']}` | {row['status']} | {row['deprecated'] or ''} | "
            f"{retires} | {replacement} | {source} ({row['read']}) |"
        )
    return "\n".join(lines)


def expand(markdown: str) -> str:
    """The Markdown with each of the three markers replaced by what it stands for."""
    if not any(marker in markdown for marker in MARKERS):
        return markdown
    rows = _behaviour().load()
    run = last_live_run()
    markdown = markdown.replace(TABLE_MARKER, table(rows, run))
    markdown = markdown.replace(LIFECYCLE_MARKER, lifecycle_table())
    return markdown.replace(SUMMARY_MARKER, summary(rows, run))


class BehaviourTablePreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if not any(marker in text for marker in MARKERS):
            return lines
        return expand(text).split("\n")


class BehaviourTableExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(
            BehaviourTablePreprocessor(md), "behaviour_table", PRIORITY
        )


def makeExtension(**kwargs) -> BehaviourTableExtension:
    return BehaviourTableExtension(**kwargs)
