import json
import runpy

from snippets.stage1 import evaluate_classifier as ev
from tests.docs_blocks import DOCS, assert_page_shows

STAGE_1 = DOCS / "stages" / "01-model-as-component.md"
TICKET_01 = "I was charged twice for the October invoice. Please refund the duplicate."
TICKET_24 = "Is there a discount for registered charities?"


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
    if live:
        assert out.startswith("tickets: 24\n")
        return
    assert_page_shows(STAGE_1, '"snippets/stage1/evaluate_classifier.py"', out)


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
    lines = capsys.readouterr().out.splitlines()
    # After these, pydantic's own validation message (its wording is pydantic's).
    assert lines[:9] == [
        "tickets: 24",
        "category accuracy: 92%",
        "priority accuracy: 92%",
        "both correct:      88%",
        "failures:          1",
        "  miss: t19: expected feature_request/urgent, got feature_request/normal",
        "  miss: t24: expected billing/low, got other/low",
        "  failed: t01: reply did not fit the schema: 1 validation error for "
        "TicketLabel",
        "  Invalid JSON: expected ident at line 1 column 2 [type=json_invalid, "
        "input_value='No.', input_type=str]",
    ]
    assert lines[-1] == "  billing labelled as other: 1"


def test_a_rate_is_a_share_of_the_tickets_and_zero_with_none():
    assert ev.Report(total=24).rate(18) == 0.75
    assert ev.Report().rate(0) == 0.0


def test_the_report_counts_each_confusion_and_every_ticket(double, tmp_path):
    tickets = tmp_path / "tickets.jsonl"
    rows = [  # t24's text twice (the double labels it other/low), then t01's
        {"id": "a", "text": TICKET_24, "category": "billing", "priority": "low"},
        {"id": "b", "text": TICKET_24, "category": "billing", "priority": "low"},
        {"id": "c", "text": TICKET_01, "category": "billing", "priority": "normal"},
    ]
    tickets.write_text("".join(json.dumps(row) + "\n" for row in rows))
    report = ev.evaluate(tickets)
    assert (report.total, report.category_correct, report.both_correct) == (3, 1, 1)
    assert report.confusions == {("billing", "other"): 2}
