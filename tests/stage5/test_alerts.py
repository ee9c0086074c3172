"""Alerts: the recorded windows, and each rule on both sides of its threshold."""

import runpy
from datetime import UTC, datetime

import pytest

from snippets.stage5 import alerts, live_traffic
from tests.docs_blocks import assert_page_shows
from tests.stage5 import AFTER_LAUNCH_PAGE

ALERTS = """\
2026-11-30 09:00 UTC, 30 requests
  refusal rate             0.0%  (above 5.0%)  ok
  step-budget endings      3.3%  (above 5.0%)  ok
  cost per task         $0.0031  (above $0.0050)  ok
  cache hit rate          93.4%  (below 80.0%)  ok
2026-11-30 10:00 UTC, 30 requests
  refusal rate            10.0%  (above 5.0%)  ALERT
  step-budget endings     10.0%  (above 5.0%)  ALERT
  cost per task         $0.0032  (above $0.0050)  ok
  cache hit rate          95.9%  (below 80.0%)  ok
"""


def test_alerts_print_the_recorded_windows(capsys):
    runpy.run_module("snippets.stage5.alerts", run_name="__main__")
    out = capsys.readouterr().out
    assert out == ALERTS
    assert_page_shows(AFTER_LAUNCH_PAGE, "the recorded log, hour by hour", out)


def run(n: int, **fields) -> live_traffic.RunRecord:
    base = live_traffic.load_traffic()[1].model_dump()  # answered, read from cache
    at = datetime(2026, 11, 30, 12, n % 60, tzinfo=UTC)
    return live_traffic.RunRecord(**{**base, "id": f"x{n}", "at": at, **fields})


def window(bad: int, **fields) -> list[live_traffic.RunRecord]:
    """20 runs, the first `bad` of them with `fields`."""
    return [run(n, **(fields if n < bad else {})) for n in range(20)]


def fired(runs: list[live_traffic.RunRecord]) -> list[str]:
    start = datetime(2026, 11, 30, 12, tzinfo=UTC)
    return [alert.rule.name for alert in alerts.check_window(start, runs)]


@pytest.mark.parametrize(
    ("name", "quiet", "beyond"),
    [
        ("refusal rate", window(1, ending="refused"), window(2, ending="refused")),
        (
            "step-budget endings",
            window(1, ending="step_budget"),
            window(2, ending="step_budget"),
        ),
        ("cost per task", window(20, usd=0.0049), window(20, usd=0.0051)),
        (
            "cache hit rate",
            window(20, uncached_tokens=20, cache_write_tokens=0, cache_read_tokens=80),
            window(20, uncached_tokens=21, cache_write_tokens=0, cache_read_tokens=79),
        ),
    ],
)
def test_each_alert_fires_beyond_its_threshold_and_not_short_of_it(name, quiet, beyond):
    assert fired(quiet) == []
    assert fired(beyond) == [name]


def test_a_window_too_small_raises_no_alert():
    assert fired([run(n, ending="refused") for n in range(19)]) == []
