import json
import runpy
import typing

import anthropic
import pytest

from snippets.stage1.ticket_classifier import (
    Category,
    ClassificationFailed,
    Priority,
    TicketLabel,
)
from snippets.stage5 import eval_runner as er
from tests.docs_blocks import assert_page_shows
from tests.stage5 import EVALS_PAGE, WRITING_EVALS

SOURCES = {"traffic", "edge-case", "regression"}


def test_the_eval_set_is_valid_and_every_case_says_where_it_came_from():
    cases = er.load_cases()
    assert len(cases) >= 30
    for case in cases:
        assert SOURCES & set(case.tags), case.id
        assert case.expected is not None
        for name, allowed in {"category": Category, "priority": Priority}.items():
            wanted = case.expected[name]
            values = wanted if isinstance(wanted, list) else [wanted]
            assert set(values) <= set(typing.get_args(allowed)), case.id


def test_a_bad_line_is_reported_with_file_and_line(tmp_path):
    path = tmp_path / "cases.jsonl"
    good = {"id": "a", "input": "x", "expected": {"category": "bug"}}
    path.write_text(json.dumps(good) + "\n" + json.dumps({"id": "b", "input": "y"}))
    with pytest.raises(ValueError, match=r"cases.jsonl:2: case: .*exactly one of"):
        er.load_cases(path)
    path.write_text(json.dumps(good) + "\n" + json.dumps(good))
    with pytest.raises(ValueError, match=r"cases.jsonl:2: duplicate id 'a'"):
        er.load_cases(path)


def test_field_f1_counts_invented_and_missing_fields():
    # An extractor with optional fields: F1 and exact match tell different stories.
    expected = {"order_id": "HL-1", "coupon": None, "product": ["pan", "skillet"]}
    output = {"order_id": "HL-1", "coupon": "SAVE10", "product": "kettle"}
    assert er.field_counts(output, expected) == (1, 2, 1)
    assert er.f1(1, 2, 1) == pytest.approx(0.4)
    assert er.field_counts(None, expected) == (0, 0, 2)
    assert er.field_counts({"product": "skillet"}, expected) == (1, 0, 1)
    assert er.f1(0, 0, 0) == 0.0


def test_the_baseline_report_counts_misses_failures_and_tags(double):
    report = er.run_eval(er.load_cases(), er.Classifier())
    metrics = report.metrics()
    # The double is scripted to miss e19 and e21 and to refuse e23.
    assert metrics["exact_match"] == 29 / 32
    assert metrics["schema_validity"] == 31 / 32
    assert metrics["field_f1"] == pytest.approx(er.f1(59, 3, 5))
    assert metrics["pass[deadline]"] == 1.0
    assert metrics["pass[edge-case]"] == pytest.approx(6 / 9)
    failures = report.failures()
    assert [line.split(":")[0] for line in failures] == ["e19", "e21", "e23"]
    assert failures[2] == (
        "e23: failed: no label: the model declined (category: none given)"
    )


def test_the_classifier_asks_for_a_label_at_low_effort(double):
    er.Classifier()("The dashboard has taken about 30 seconds to load all week.")
    body = double.requests[-1].body
    assert body["model"] == "claude-haiku-5-5"
    assert body["max_tokens"] == 1024
    assert body["output_config"] == {
        "effort": "low",
        "format": {
            "type": "json_schema",
            "schema": anthropic.transform_schema(TicketLabel),
        },
    }
    assert "temperature" not in body  # the 5.5 models reject sampling parameters
    assert "thinking" not in body  # adaptive thinking, the 5.5 default


def refused_or_cut(user: str, stop_reason: str, text: str) -> dict:
    reply = {"content": [{"type": "text", "text": text}], "stop_reason": stop_reason}
    return {"match": {"user": user}, "reply": reply}


def test_a_label_that_came_with_a_refusal_is_not_trusted(double):
    text = '{"category": "other", "priority": "low"}'
    refusal = refused_or_cut("double-stage5: refused label", "refusal", text)
    with (
        double.script([refusal]),
        pytest.raises(ClassificationFailed) as failed,
    ):
        er.Classifier()("double-stage5: refused label")
    assert str(failed.value) == "no label: the model declined (category: none given)"


def test_a_label_cut_off_at_max_tokens_is_not_parsed(double):
    cut = refused_or_cut("double-stage5: cut label", "max_tokens", '{"category": "bu')
    with (
        double.script([cut]),
        pytest.raises(ClassificationFailed, match=r"^no label: cut off at max_tokens"),
    ):
        er.Classifier()("double-stage5: cut label")


def test_a_label_outside_the_schema_is_a_failure_not_a_guess(double):
    wrong = refused_or_cut(
        "double-stage5: odd label",
        "end_turn",
        '{"category": "sales", "priority": "low"}',
    )
    with (
        double.script([{**wrong, "unchecked": True}]),
        pytest.raises(ClassificationFailed) as failed,
    ):
        er.Classifier()("double-stage5: odd label")
    assert str(failed.value) == "reply did not fit the schema (literal_error)"


def test_rubric_cases_go_to_the_judge():
    cases = [
        er.EvalCase(id="r1", input="a", rubric="is polite", tags=["tone"]),
        er.EvalCase(id="r2", input="b", rubric="is polite", tags=["tone"]),
    ]

    def system(text: str) -> TicketLabel:
        return TicketLabel(category="other", priority="low")

    def judge(case: er.EvalCase, output: TicketLabel) -> bool:
        return case.id == "r1"

    with pytest.raises(ValueError, match="'r1' has a rubric: pass a judge"):
        er.run_eval(cases, system)
    report = er.run_eval(cases, system, judge)
    assert report.metrics()["rubric_pass"] == 0.5
    assert report.metrics()["pass[tone]"] == 0.5
    assert report.failures() == [
        "r2: expected is polite, got {'category': 'other', 'priority': 'low'}"
    ]
    assert er.EvalReport().metrics() == {
        "schema_validity": 0.0,
        "exact_match": 0.0,
        "field_f1": 0.0,
    }


def test_main_prints_metrics_tags_and_failures(capsys, live):
    runpy.run_module("snippets.stage5.eval_runner", run_name="__main__")
    out = capsys.readouterr().out
    assert out.startswith("cases: 32\n")
    assert "by tag:\n" in out
    if live:
        return
    assert_page_shows(EVALS_PAGE, "`python -m snippets.stage5.eval_runner`", out)
    assert_page_shows(WRITING_EVALS, "`python -m snippets.stage5.eval_runner`", out)
