import runpy
import sys
from collections import Counter

import pytest

from snippets.stage5 import judge_calibration as jc
from tests.docs_blocks import assert_page_shows
from tests.stage5 import JUDGE_PAGE


def test_the_labelled_set_has_fifty_drafts_and_pairs_of_one_good_one_bad():
    drafts = jc.load_labels()
    assert len(drafts) >= 50
    assert len({d.id for d in drafts}) == len(drafts)
    humans = Counter(d.human for d in drafts)
    assert humans["pass"] >= 20 and humans["fail"] >= 20
    pairs: dict[str, list[str]] = {}
    for draft in drafts:
        if draft.pair:
            pairs.setdefault(draft.pair, []).append(draft.human)
    assert len(pairs) >= 10
    assert all(sorted(labels) == ["fail", "pass"] for labels in pairs.values())


def test_kappa_is_one_for_perfect_agreement_and_zero_at_chance():
    assert jc.cohens_kappa(tp=10, fn=0, fp=0, tn=10) == 1.0
    assert jc.cohens_kappa(tp=25, fn=25, fp=25, tn=25) == 0.0
    assert jc.cohens_kappa(tp=20, fn=5, fp=10, tn=15) == pytest.approx(0.4)
    assert jc.cohens_kappa(tp=8, fn=0, fp=0, tn=0) == 1.0  # one class only


def test_the_committed_verdicts_give_the_figures_on_the_page():
    result = jc.calibrate(jc.load_labels(), jc.load_verdicts())
    assert (result.tp, result.fn, result.fp, result.tn) == (29, 2, 3, 22)
    assert result.agreement == pytest.approx(51 / 56)
    assert result.tpr == pytest.approx(29 / 31)
    assert result.tnr == pytest.approx(22 / 25)
    assert result.kappa == pytest.approx(0.8186, abs=1e-4)
    assert [line.split(":")[0] for line in result.disagreements] == [
        "p05b",
        "s04",
        "s14",
        "s17",
        "s24",
    ]


def test_a_draft_without_a_verdict_is_an_error():
    drafts = jc.load_labels()[:1]
    with pytest.raises(ValueError, match="no recorded verdict for p01a"):
        jc.calibrate(drafts, {})


def test_swapping_the_order_exposes_position_bias(double):
    checks = jc.check_position_bias(jc.load_labels())
    assert len(checks) == 16
    biased = [c.pair for c in checks if not c.consistent]
    assert biased == ["p03", "p10", "p13"]
    assert all(c.winner is None for c in checks if not c.consistent)
    assert all(c.winner.human == "pass" for c in checks if c.consistent)
    first = checks[0]
    assert first.first.id == "p01a" and first.second.id == "p01b"
    assert (first.in_order, first.swapped) == ("A", "B")


def test_main_records_verdicts_and_prints_the_figures(
    capsys, monkeypatch, tmp_path, live
):
    recorded = tmp_path / "verdicts.jsonl"
    argv = ["judge_calibration", "--record", "--verdicts", str(recorded)]
    monkeypatch.setattr(sys, "argv", argv)
    runpy.run_module("snippets.stage5.judge_calibration", run_name="__main__")
    out = capsys.readouterr().out
    assert out.startswith("drafts: 56 (31 passed by people, 25 failed)\n")
    assert "\nCohen's kappa:      " in out
    if live:
        return
    # Recording again reproduces the committed file: that is where it came from.
    assert recorded.read_text() == jc.VERDICTS.read_text()
    assert_page_shows(JUDGE_PAGE, "`python -m snippets.stage5.judge_calibration`:", out)
