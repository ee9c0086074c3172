import runpy

import pytest

from snippets.stage1 import sampling


def test_main_labels_and_drafts(capsys):
    runpy.run_module("snippets.stage1.sampling", run_name="__main__")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] in {"positive", "negative", "mixed"}
    drafts = [line for line in lines[1:] if line.startswith("- ")]
    assert len(drafts) == 3


def test_labelling_runs_at_temperature_zero_and_drafting_does_not(double):
    sampling.label_sentiment("Setup took five minutes, but the docs skip the hard part.")
    assert double.requests[-1].body["temperature"] == 0.0
    drafts = sampling.draft_subject_lines("Our API now streams responses by default.")
    temperatures = [r.body["temperature"] for r in double.requests[1:]]
    assert temperatures == [1.0, 1.0, 1.0]
    assert len(set(drafts)) == 3, "three calls at temperature 1.0 gave three drafts"
    assert not any("top_p" in r.body for r in double.requests)


def test_an_unexpected_label_is_an_error_not_a_guess(double):
    with (
        double.script(
            [
                {
                    "match": {"user": "double-stage1: ambiguous review"},
                    "reply": {
                        "content": [{"type": "text", "text": "Neutral"}],
                        "stop_reason": "end_turn",
                    },
                }
            ]
        ),
        pytest.raises(ValueError, match="unexpected label 'neutral'"),
    ):
        sampling.label_sentiment("double-stage1: ambiguous review")
