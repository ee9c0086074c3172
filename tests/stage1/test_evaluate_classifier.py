import json
import runpy

from snippets.stage1 import evaluate_classifier as ev


def test_the_labelled_set_is_big_enough_and_covers_every_label():
    rows = [json.loads(line) for line in ev.LABELLED_SET.read_text().splitlines()]
    assert len(rows) >= 20
    assert len({row["id"] for row in rows}) == len(rows)
    assert {row["category"] for row in rows} == {
        "billing",
        "bug",
        "feature_request",
        "account",
        "other",
    }
    assert {row["priority"] for row in rows} == {"low", "normal", "urgent"}


def test_report_counts_hits_misses_and_confusions(double):
    report = ev.evaluate()
    assert report.total == 24
    # The double is scripted to get t19's priority and t24's category wrong.
    assert report.category_correct == 23
    assert report.priority_correct == 23
    assert report.both_correct == 22
    assert report.misses == [
        "t19: expected feature_request/urgent, got feature_request/normal",
        "t24: expected billing/low, got other/low",
    ]
    assert report.confusions == {("billing", "other"): 1}
    assert report.failures == []


def test_failures_are_counted_apart_from_misses(double, tmp_path):
    labelled = tmp_path / "tickets.jsonl"
    labelled.write_text(
        json.dumps(
            {
                "id": "x1",
                "text": "double-stage1: refused",
                "category": "bug",
                "priority": "low",
            }
        )
        + "\n"
    )
    refusal = {
        "match": {"user": "double-stage1: refused"},
        "reply": {
            "content": [{"type": "text", "text": "No."}],
            "stop_reason": "refusal",
        },
    }
    with double.script([refusal]):
        report = ev.evaluate(labelled)
    assert report.total == 1
    assert report.both_correct == 0
    assert report.misses == []
    assert report.failures[0].startswith("x1: ")


def test_main_prints_the_report(capsys, live):
    runpy.run_module("snippets.stage1.evaluate_classifier", run_name="__main__")
    out = capsys.readouterr().out
    assert "tickets: 24" in out
    if live:
        return
    assert "both correct:      92%" in out
    assert "billing labelled as other: 1" in out


def test_main_lists_failures_separately(double, capsys):
    refusal = {
        "match": {"user": "I was charged twice for the October invoice."},
        "reply": {
            "content": [{"type": "text", "text": "No."}],
            "stop_reason": "refusal",
        },
    }
    with double.script([refusal]):
        ev.main()
    out = capsys.readouterr().out
    assert "failures:          1" in out
    assert "  failed: t01: " in out
