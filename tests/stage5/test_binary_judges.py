import json
import runpy
import sys

import pytest

from snippets.stage1.fence import fence
from snippets.stage5 import binary_judges as bj
from tests.docs_blocks import assert_page_shows
from tests.stage5 import JUDGE_PAGE

OUTPUT = """\
judge                 agree    TPR           TNR kappa
ungranted-remedy      94.8%  98.0%  75.0%  (6/8)  0.77
  t020: people said pass, judge said fail
  t030: people said fail, judge said pass
  t112: people said fail, judge said pass
unsupported-promise   94.8%  96.2%  83.3%  (5/6)  0.74
  t014: people said pass, judge said fail
  t022: people said pass, judge said fail
  t038: people said fail, judge said pass
missed-handoff        98.3%  98.1% 100.0%  (4/4)  0.88
  t024: people said pass, judge said fail
"""


def test_each_judge_is_calibrated_on_the_held_out_traces():
    results = bj.calibrate_judges()
    cells = {mode: (c.tp, c.fn, c.fp, c.tn) for mode, c in results.items()}
    assert cells == {
        "ungranted-remedy": (49, 1, 2, 6),
        "unsupported-promise": (50, 2, 1, 5),
        "missed-handoff": (53, 1, 0, 4),
    }
    remedy = results["ungranted-remedy"]
    assert remedy.agreement == 55 / 58
    assert remedy.tnr == 6 / 8
    # kappa by hand: p_o = 55/58; p_e = (50/58)(51/58) + (8/58)(7/58) = 2606/3364
    assert remedy.kappa == pytest.approx((55 / 58 - 2606 / 3364) / (1 - 2606 / 3364))


def test_main_prints_the_calibration_on_the_page(capsys):
    bj.main([])
    out = capsys.readouterr().out
    assert out == OUTPUT
    assert_page_shows(JUDGE_PAGE, "`python -m snippets.stage5.binary_judges`:", out)


def test_recording_again_reproduces_the_committed_verdicts(double, tmp_path, capsys):
    recorded = tmp_path / "verdicts.jsonl"
    bj.main(["--record", "--verdicts", str(recorded)])
    assert capsys.readouterr().out == OUTPUT
    assert recorded.read_text() == bj.VERDICTS.read_text()
    first = double.requests[0].body
    assert first["output_config"]["effort"] == "low"
    assert first["system"][-1]["text"].startswith(
        "Failure mode: ungranted-remedy. You check one thing about a draft reply"
    )
    assert first["messages"][0]["content"].endswith(
        fence(
            "Order HL-30074 will arrive on Friday; the carrier has confirmed it is "
            "back on the road.\n\nThe Harbour Lane team",
            "draft t002",
        )
    )


def test_a_missing_verdict_says_which_and_how_to_record(tmp_path):
    path = tmp_path / "verdicts.jsonl"
    row = {"id": "t002", "mode": "ungranted-remedy", "reasoning": "", "verdict": "pass"}
    path.write_text(json.dumps(row) + "\n")
    with pytest.raises(ValueError) as error:
        bj.calibrate_judges(path)
    assert str(error.value) == (
        f"{path}: no ungranted-remedy verdict for t004; run "
        "`python -m snippets.stage5.binary_judges --record`"
    )


def test_runs_as_a_script(capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["binary_judges"])
    runpy.run_module("snippets.stage5.binary_judges", run_name="__main__")
    assert (
        capsys.readouterr().out.splitlines()[0]
        == "judge                 agree    TPR           TNR kappa"
    )
