"""Feedback: explicit and implicit signals become cases with provenance."""

import runpy
import sys
from datetime import UTC, datetime

import pytest

from snippets.stage5 import feedback, live_traffic
from tests.docs_blocks import assert_page_shows
from tests.stage5 import AFTER_LAUNCH_PAGE

FEEDBACK = """\
fb-p003-thumbs-down          explicit thumbs-down   added
fb-p003-correction           explicit correction    added
fb-p013-retry                implicit retry         added
fb-p017-edit                 implicit edit          added
fb-p040-abandoned            implicit abandoned     added
"""


def test_feedback_becomes_cases_with_provenance(tmp_path, capsys):
    cases = tmp_path / "cases.jsonl"
    feedback.main(["--cases", str(cases)])
    out = capsys.readouterr().out
    assert out == FEEDBACK
    assert_page_shows(
        AFTER_LAUNCH_PAGE,
        "hand-written event log, not from users",
        out,
        label="!!! note \"Output from this project's hand-written event log",
    )
    assert cases.read_text() == feedback.CASES.read_text()
    feedback.main(["--cases", str(cases)])  # again: nothing is added twice
    assert capsys.readouterr().out == FEEDBACK.replace("added", "already in the set")
    correction = feedback.read_jsonl(cases, feedback.FeedbackCase)[1]
    assert correction.better == (
        "Cancelling the subscription is right, but the policy grants no free months. "
        "Remove the credit."
    )
    assert correction.provenance.model_dump() == {
        "request": "p003",
        "prompt": "v1",
        "signal": "correction",
        "at": datetime(2026, 11, 30, 9, 6, 40, tzinfo=UTC),
        "source": "feedback_events.jsonl:2",
    }


def test_feedback_for_an_unknown_request_names_the_line_and_the_fix():
    event = feedback.Event(
        request="p999", at="2026-11-30T09:00:00Z", event="closed", value=""
    )
    with pytest.raises(ValueError) as error:
        feedback.cases_from([event], live_traffic.load_traffic())
    assert str(error.value) == (
        f"{feedback.EVENTS}:1: request: 'p999' is not in the live traffic log; fix "
        "the id or record the traffic again"
    )


def test_runs_as_a_script(capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["feedback"])  # the committed set: adds nothing
    runpy.run_module("snippets.stage5.feedback", run_name="__main__")
    assert capsys.readouterr().out == FEEDBACK.replace("added", "already in the set")
