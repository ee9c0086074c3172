"""Shadow comparison: the candidate on the same live requests, decided by McNemar."""

import runpy

import pytest

from snippets.stage5 import live_traffic, shadow
from tests.docs_blocks import assert_page_shows
from tests.stage5 import AFTER_LAUNCH_PAGE

SHADOW = """\
v1 against v2 on 29 live requests
lost: 1 (p014)
gained: 4 (p003, p017, p036, p039)
two-sided McNemar p = 0.375
decision: no difference shown yet: keep shadowing (about 125 requests)
"""


def test_shadow_decides_with_the_paired_test(double, capsys):
    runpy.run_module("snippets.stage5.shadow", run_name="__main__")
    out = capsys.readouterr().out
    assert out == SHADOW
    assert_page_shows(AFTER_LAUNCH_PAGE, "the candidate on live requests", out)
    system = [str(r.body["system"]) for r in double.requests]
    candidate = [s for s in system if "support writer" in s]
    assert len(candidate) == 29 + 3 * 3  # p034, p045 and p052 make four calls each


@pytest.mark.parametrize(
    ("lost", "gained", "decision"),
    [
        (0, 6, "adopt v2"),
        (6, 0, "keep v1"),
        (2, 2, "no difference shown: keep shadowing"),
    ],
)
def test_shadow_decision_rule(lost, gained, decision):
    result = shadow.Shadow(30, ["a"] * lost, ["b"] * gained, [])
    assert result.decision() == decision


def test_an_unjudged_pair_is_left_out():
    record = live_traffic.load_traffic()[0]
    verdicts = {(mode, "p001"): "pass" for mode in shadow.JUDGES}
    verdicts |= {(mode, "p001-v2"): None for mode in shadow.JUDGES}
    candidate = record.model_copy(update={"prompt": "v2"})
    result = shadow.compare([record], [candidate], verdicts)
    assert (result.pairs, result.unjudged) == (0, ["p001"])
