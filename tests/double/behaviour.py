"""The behaviour table: every documented fact the double acts on, read from YAML.

`behaviour.yml` has one row per fact (what it says, which models and API versions it
applies to, the page it was read on and when). The double asks `value(key, model,
version)` and gets the value of the first row that matches, so a rule lives in one
place and the "How the examples are tested" page renders the same rows.

A mistake in the file stops the double at start-up with the file, the line, the
field and the fix.
"""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

TABLE = Path(__file__).with_name("behaviour.yml")
ROW_KEYS = {
    "id",
    "key",
    "fact",
    "models",
    "api",
    "value",
    "source",
    "read",
    "basis",
    "note",
    "probe",
}
REQUIRED = ("id", "key", "fact", "models", "api", "value", "source", "read")
BASES = ("documented", "inferred", "assumption")
PROBE_KEYS = {"model", "body", "headers", "expect"}
EXPECT_KEYS = {"status", "error", "first_block", "stop_reason"}
MODEL_NAME = re.compile(r"^claude-[a-z0-9-]+$")
VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ANY = "*"


class BehaviourError(Exception):
    """A row of the behaviour table that the double cannot use."""


@dataclass(frozen=True)
class Row:
    id: str
    key: str
    fact: str
    models: tuple[str, ...] | None  # None: any model
    api: tuple[str, ...] | None  # None: every version
    value: Any
    source: str
    read: str
    line: int
    basis: str = "documented"
    note: str = ""
    probe: dict[str, Any] | None = field(default=None, compare=False)

    def applies(self, model: str, version: str) -> bool:
        return (self.models is None or model in self.models) and (
            self.api is None or version in self.api
        )


def _fail(path: Path, line: int, where: str, fix: str) -> BehaviourError:
    return BehaviourError(f"{path.name}:{line}: {where}: {fix}")


def _lines(path: Path, text: str) -> list[tuple[int, dict[int, int]]]:
    """For each row: its line, and the line of each of its keys."""
    node = yaml.compose(text)
    if node is None or not isinstance(node, yaml.SequenceNode):
        raise _fail(path, 1, "table", "must be a YAML list of rows")
    found = []
    for item in node.value:
        keys = {}
        if isinstance(item, yaml.MappingNode):
            keys = {i: key.start_mark.line + 1 for i, (key, _) in enumerate(item.value)}
        found.append((item.start_mark.line + 1, keys))
    return found


def _names(value: Any, path: Path, line: int, name: str, pattern: re.Pattern) -> Any:
    if value == ANY:
        return None
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(v, str) and pattern.match(v) for v in value)
    ):
        raise _fail(
            path, line, name, f'must be "*" or a non-empty list of {pattern.pattern}'
        )
    return tuple(value)


def _probe(probe: Any, path: Path, line: int) -> dict[str, Any]:
    if not isinstance(probe, dict) or "expect" not in probe:
        raise _fail(path, line, "probe", "must be a mapping with an `expect`")
    for key in probe:
        if key not in PROBE_KEYS:
            allowed = ", ".join(sorted(PROBE_KEYS))
            raise _fail(path, line, f"probe.{key}", f"unknown key (allowed: {allowed})")
    expect = probe["expect"]
    if not isinstance(expect, dict) or not isinstance(expect.get("status"), int):
        raise _fail(path, line, "probe.expect", "needs a `status` (an HTTP status)")
    for key in expect:
        if key not in EXPECT_KEYS:
            allowed = ", ".join(sorted(EXPECT_KEYS))
            raise _fail(
                path, line, f"probe.expect.{key}", f"unknown key (allowed: {allowed})"
            )
    return probe


def _row(item: Any, path: Path, line: int, keys: dict[int, int]) -> Row:
    if not isinstance(item, dict):
        raise _fail(path, line, "row", "must be a mapping")
    for index, key in enumerate(item):
        if key not in ROW_KEYS:
            allowed = ", ".join(sorted(ROW_KEYS))
            raise _fail(
                path, keys.get(index, line), str(key), f"unknown key ({allowed})"
            )
    for key in REQUIRED:
        if key not in item:
            raise _fail(path, line, key, "is required")
    for key in ("id", "key", "fact", "source"):
        if not isinstance(item[key], str) or not item[key].strip():
            raise _fail(path, line, key, "must be a non-empty string")
    if not item["source"].startswith("https://"):
        raise _fail(path, line, "source", "must be the https:// address of the page")
    try:
        datetime.date.fromisoformat(str(item["read"]))
    except ValueError:
        raise _fail(
            path, line, "read", 'must be the date the page was read, "YYYY-MM-DD"'
        ) from None
    basis = item.get("basis", "documented")
    if basis not in BASES:
        raise _fail(path, line, "basis", f"must be one of {', '.join(BASES)}")
    if basis != "documented" and not str(item.get("note", "")).strip():
        raise _fail(path, line, "note", f"a row whose basis is {basis} says why")
    return Row(
        id=item["id"],
        key=item["key"],
        fact=item["fact"].strip(),
        models=_names(item["models"], path, line, "models", MODEL_NAME),
        api=_names(item["api"], path, line, "api", VERSION),
        value=item["value"],
        source=item["source"],
        read=str(item["read"]),
        line=line,
        basis=basis,
        note=str(item.get("note", "")).strip(),
        probe=_probe(item["probe"], path, line) if "probe" in item else None,
    )


def load(path: Path = TABLE) -> tuple[Row, ...]:
    """Read and check the table; raise `BehaviourError` naming file, line and field."""
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
        places = _lines(path, text)
    except yaml.YAMLError as problem:
        raise BehaviourError(f"{path.name}: not valid YAML: {problem}") from None
    rows = tuple(
        _row(item, path, line, keys)
        for item, (line, keys) in zip(data, places, strict=True)
    )
    seen: dict[str, int] = {}
    for row in rows:
        if row.id in seen:
            raise _fail(
                path,
                row.line,
                "id",
                f"{row.id!r} is also the id on line {seen[row.id]}",
            )
        seen[row.id] = row.line
    return rows


ROWS = load()


def row(key: str, model: str, version: str) -> Row:
    """The first row for `key` that applies to `model` at API `version`."""
    for candidate in ROWS:
        if candidate.key == key and candidate.applies(model, version):
            return candidate
    raise BehaviourError(
        f"{TABLE.name}: no row for {key!r} covers {model} at API version {version}; "
        f'add one (or a row with models: "*")'
    )


def value(key: str, model: str, version: str) -> Any:
    return row(key, model, version).value


def has(key: str, model: str, version: str) -> bool:
    """Whether some row for `key` covers `model` at `version`."""
    return any(r.key == key and r.applies(model, version) for r in ROWS)


def by_id(row_id: str) -> Row:
    for candidate in ROWS:
        if candidate.id == row_id:
            return candidate
    raise KeyError(f"{TABLE.name} has no row with id {row_id!r}")
