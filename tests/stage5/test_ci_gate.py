import hashlib
import json
import runpy
import sys

import pytest

from snippets.stage5 import ci_gate
from snippets.stage5.eval_runner import Classifier, load_cases, run_eval
from tests.stage5 import STAGE_PAGE, assert_page_shows


def test_quality_gate(double):
    """The gate itself, as CI runs it: the classifier against the committed baseline."""
    ci_gate.check(run_eval(load_cases(), Classifier()).metrics())


def test_the_gate_fails_on_the_trimmed_prompt(double):
    degraded = run_eval(load_cases(), Classifier(system=ci_gate.TRIMMED_SYSTEM))
    with pytest.raises(ci_gate.GateFailed) as failure:
        ci_gate.check(degraded.metrics())
    message = str(failure.value)
    assert "exact_match: 0.656 < baseline 0.906 - tolerance 0.03" in message
    assert "pass[deadline]: 0.000 < baseline 1.000 - tolerance 0.10" in message
    assert "record a new baseline with --record" in message


def test_tolerances_allow_noise_but_not_a_drop():
    base = {"exact_match": 0.90, "pass[deadline]": 1.0}
    assert ci_gate.compare({"exact_match": 0.88, "pass[deadline]": 0.95}, base) == []
    assert ci_gate.compare({"exact_match": 0.99, "pass[deadline]": 1.0}, base) == []
    (regression,) = ci_gate.compare({"exact_match": 0.86, "pass[deadline]": 1.0}, base)
    assert regression.metric == "exact_match"
    (missing,) = ci_gate.compare({"exact_match": 0.90}, base)
    assert str(missing) == "pass[deadline]: 0.000 < baseline 1.000 - tolerance 0.10"


def test_the_committed_baseline_names_the_prompt_it_came_from():
    saved = json.loads(ci_gate.BASELINE.read_text())
    classifier = Classifier()
    assert saved["system"]["model"] == classifier.model
    assert (
        saved["system"]["prompt_sha256"]
        == (hashlib.sha256(classifier.system.encode()).hexdigest()[:12])
    )


def test_main_passes_on_the_baseline(capsys, monkeypatch, double):
    monkeypatch.setattr(sys, "argv", ["ci_gate"])
    runpy.run_module("snippets.stage5.ci_gate", run_name="__main__")
    assert "quality gate passed against baseline.json" in capsys.readouterr().out


def test_main_exits_non_zero_on_the_trimmed_prompt(double):
    with pytest.raises(SystemExit, match="quality gate failed") as failed:
        ci_gate.main(["--trimmed"])
    assert_page_shows(
        str(failed.value.code), STAGE_PAGE, "`python -m snippets.stage5.ci_gate --trim"
    )


def test_main_records_a_baseline_the_gate_then_accepts(double, tmp_path, capsys):
    path = tmp_path / "b.json"
    ci_gate.main(["--record", "--trimmed", "--baseline", str(path)])
    assert f"recorded {path}" in capsys.readouterr().out
    saved = json.loads(path.read_text())
    assert saved["system"]["model"] == "claude-haiku-5-5"
    prompt = hashlib.sha256(ci_gate.TRIMMED_SYSTEM.encode()).hexdigest()[:12]
    assert saved["system"]["prompt_sha256"] == prompt
    assert saved["metrics"]["exact_match"] == 0.6562
    ci_gate.check(saved["metrics"], path)
