"""Which models may be used: the installed SDK's list, its deprecations, and the
dated lifecycle table in `data/model_lifecycle.yml`.

A model is usable when the SDK lists it (`anthropic/types/model.py`), the SDK does
not mark it deprecated (`anthropic/_data/deprecated_models.py`) and the table gives
no retirement date that has passed. Tests that need an older model take one with
`pick_model`, never by typing its id.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import get_args

import pytest
import yaml
from anthropic._data import DEPRECATED_MODELS
from anthropic.types.model import Model

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "data" / "model_lifecycle.yml"
SDK_MODELS: tuple[str, ...] = get_args(get_args(Model)[0])
SDK_DEPRECATED: dict[str, str] = dict(DEPRECATED_MODELS)
STATUSES = ("active", "legacy", "deprecated", "retired")
FIELDS = ("model", "status", "deprecated", "retires", "not_before", "replacement")
# What a model id looks like in code and prose.
MODEL_ID = re.compile(r"\bclaude-(?:opus|sonnet|haiku|fable|mythos|instant)[a-z0-9.-]*")


@dataclass(frozen=True)
class Lifecycle:
    model: str
    status: str
    deprecated: datetime.date | None
    retires: datetime.date | None
    not_before: datetime.date | None
    replacement: str | None
    source: str
    read: str
    line: int


def _date(value: object, where: str) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None


def load(path: Path = TABLE) -> dict[str, Lifecycle]:
    """The table by model id; a bad row names the file, the line and the field."""
    text = path.read_text(encoding="utf-8")
    rows = yaml.safe_load(text)
    lines = [n.start_mark.line + 1 for n in yaml.compose(text).value]
    table: dict[str, Lifecycle] = {}
    for row, line in zip(rows, lines, strict=True):
        where = f"{path.relative_to(ROOT)}:{line}"
        for name in (*FIELDS, "source", "read"):
            if name not in row:
                raise ValueError(f"{where}: {name} is required (null if unknown)")
        if row["status"] not in STATUSES:
            raise ValueError(f"{where}: status must be one of {', '.join(STATUSES)}")
        if row["status"] == "retired" and row["retires"] is None:
            raise ValueError(f"{where}: a retired model needs its `retires` date")
        table[row["model"]] = Lifecycle(
            model=row["model"],
            status=row["status"],
            deprecated=_date(row["deprecated"], f"{where}: deprecated"),
            retires=_date(row["retires"], f"{where}: retires"),
            not_before=_date(row["not_before"], f"{where}: not_before"),
            replacement=row["replacement"],
            source=row["source"],
            read=str(row["read"]),
            line=line,
        )
    return table


LIFECYCLES = load()


def why_unusable(model: str, today: datetime.date | None = None) -> str | None:
    """None when `model` may be used today, else the reason it may not."""
    today = today or datetime.date.today()
    if model not in SDK_MODELS:
        return "not in the installed SDK's model list"
    if model in SDK_DEPRECATED:
        return f"deprecated in the installed SDK (end of life {SDK_DEPRECATED[model]})"
    life = LIFECYCLES.get(model)
    if life is not None and life.retires is not None and life.retires <= today:
        return f"retired on {life.retires} ({TABLE.name}:{life.line})"
    if life is not None and life.status in ("deprecated", "retired"):
        return f"{life.status} ({TABLE.name}:{life.line})"
    return None


def usable_models(today: datetime.date | None = None) -> list[str]:
    return [m for m in SDK_MODELS if why_unusable(m, today) is None]


def first_usable(wanted: Callable[[str], bool]) -> str | None:
    """The first usable model for which `wanted(model)` holds, or None."""
    return next((m for m in usable_models() if wanted(m)), None)


def pick_model(wanted: Callable[[str], bool], what: str) -> str:
    """A usable model for which `wanted(model)` holds, or skip the test saying why.

    For tests of a rule that only older models have: when the last such model
    retires, the rule is history and its test says so instead of failing.
    """
    model = first_usable(wanted)
    if model is None:
        pytest.skip(f"no usable model has {what} any more; the rule is history")
    return model
