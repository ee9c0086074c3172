"""Online evaluation: sampled by id, judged concurrently within its limit."""

import asyncio
import runpy
import threading

import pytest

from snippets.stage5 import live_traffic, online_eval
from snippets.stage5.binary_judges import BinaryVerdict
from tests.docs_blocks import assert_page_shows
from tests.stage5 import AFTER_LAUNCH_PAGE

ONLINE = """\
live requests: 60, sampled: 29, replies judged: 25, no reply: 4 (p034, p045, p052, p056)
failure mode           rate  95% interval   failed
ungranted-remedy      16.0%   4.0%-32.0%   p003, p017, p036, p039
unsupported-promise   12.0%   0.0%-24.0%   p001, p013, p028
missed-handoff         8.0%   0.0%-20.0%   p018, p040
unjudged: none
"""


def test_sampling_is_by_id_and_rejects_a_bad_rate():
    picked = [online_eval.sampled(f"p00{n}") for n in range(1, 5)]
    assert picked == [True, False, True, True]
    with pytest.raises(
        ValueError, match=r"^the sample rate must be in \(0, 1\], got 0$"
    ):
        online_eval.sampled("p001", 0)


def test_online_eval_prints_the_failure_rates(double, capsys):
    runpy.run_module("snippets.stage5.online_eval", run_name="__main__")
    out = capsys.readouterr().out
    assert out == ONLINE
    assert_page_shows(AFTER_LAUNCH_PAGE, "the intervals are real bootstrap", out)
    first = double.requests[0].body
    assert first["system"][-1]["text"].startswith("Failure mode: ungranted-remedy.")


def test_online_eval_never_has_more_judge_calls_in_flight_than_its_limit():
    in_flight, most = 0, 0
    lock = threading.Lock()
    full = threading.Barrier(3, timeout=10)  # breaks loudly if 3 are never in flight

    def judge(mode, trace, ticket):
        nonlocal in_flight, most
        with lock:
            in_flight += 1
            most = max(most, in_flight)
        full.wait()  # hold until three calls are in flight together
        with lock:
            in_flight -= 1
        return BinaryVerdict(reasoning="", verdict="pass")

    records = live_traffic.load_traffic()[:20]
    report = asyncio.run(online_eval.judge_sample(records, 1.0, 3, judge))
    assert most == 3
    assert sum(map(len, report.passed.values())) == 3 * 18  # 18 answered, 3 judges


def test_a_judge_that_gives_no_verdict_is_counted_apart():
    def judge(mode, trace, ticket):
        raise online_eval.JudgeFailed("the judge gave no verdict")

    records = [live_traffic.load_traffic()[0]]
    report = asyncio.run(online_eval.judge_sample(records, 1.0, 1, judge))
    assert report.unjudged == [
        "ungranted-remedy: p001",
        "unsupported-promise: p001",
        "missed-handoff: p001",
    ]
    assert report.failed == report.passed == {}
