"""No example, test, scripted reply or page uses a model that can disappear under it.

A model may be named only while the installed SDK lists it, does not mark it
deprecated, and the lifecycle table gives no retirement date that has passed. The
tables that record lifecycles and behaviour (and the What-changed posts about a
retirement) are where a retired model may still be named.
"""

import datetime

from tests.model_lifecycle import MODEL_ID, ROOT, why_unusable

SCANNED = ("snippets", "tests", "data", "docs", "benchmarks", "scripts", "hooks")
SUFFIXES = {
    ".py",
    ".yml",
    ".yaml",
    ".json",
    ".jsonl",
    ".md",
    ".ipynb",
    ".toml",
    ".ambr",
}
# Where a retired model may be named: the tables of record, and the posts about it.
ALLOWED = (
    "data/model_lifecycle.yml",
    "tests/double/behaviour.yml",
    "docs/changes/",
)


def stale_uses(today: datetime.date | None = None) -> list[str]:
    found = []
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*")):
            relative = path.relative_to(ROOT).as_posix()
            if path.suffix not in SUFFIXES or relative.startswith(ALLOWED):
                continue
            if relative == "tests/test_models_in_use.py":
                continue
            text = path.read_text(encoding="utf-8", errors="ignore")
            for number, line in enumerate(text.splitlines(), 1):
                for match in MODEL_ID.finditer(line):
                    model = match.group().rstrip(".-")
                    reason = why_unusable(model, today)
                    if reason:
                        found.append(f"{relative}:{number}: {model}: {reason}")
    return found


def test_no_file_uses_a_model_that_is_gone_or_going():
    found = stale_uses()
    assert not found, (
        "These lines use a model that may stop answering; use a current model, or "
        "for a rule of an older generation take one with "
        "tests.model_lifecycle.pick_model:\n" + "\n".join(found)
    )


def test_a_retired_model_is_reported_with_file_line_and_reason(tmp_path, monkeypatch):
    from tests import model_lifecycle, test_models_in_use

    # A retired model the SDK no longer lists, taken from the table, not typed here.
    gone = next(
        m for m in model_lifecycle.LIFECYCLES if m not in model_lifecycle.SDK_MODELS
    )
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "old.py").write_text(
        f'MODEL = "claude-sonnet-5-5"\nOLD = "{gone}"\n'
    )
    monkeypatch.setattr(test_models_in_use, "ROOT", tmp_path)
    monkeypatch.setattr(test_models_in_use, "SCANNED", ("snippets",))
    assert test_models_in_use.stale_uses() == [
        f"snippets/old.py:2: {gone}: not in the installed SDK's model list"
    ]
    assert model_lifecycle.why_unusable("claude-sonnet-5-5") is None


def test_a_listed_model_past_its_retirement_date_is_unusable(monkeypatch):
    from tests import model_lifecycle

    listed = model_lifecycle.SDK_MODELS[0]
    life = model_lifecycle.Lifecycle(
        model=listed,
        status="active",
        deprecated=None,
        retires=datetime.date(2027, 3, 1),
        not_before=None,
        replacement=None,
        source="https://platform.claude.com/docs/en/about-claude/model-deprecations",
        read="2026-12-01",
        line=7,
    )
    monkeypatch.setitem(model_lifecycle.LIFECYCLES, listed, life)
    assert why_unusable(listed, datetime.date(2027, 2, 28)) is None
    assert why_unusable(listed, datetime.date(2027, 3, 1)) == (
        "retired on 2027-03-01 (model_lifecycle.yml:7)"
    )
