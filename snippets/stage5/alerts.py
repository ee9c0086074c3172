"""Alerts on the four numbers that move first when a live system goes wrong.

A dashboard is read when someone remembers to; an alert is read when it fires. Each
rule here is one metric over a window of live requests, a threshold, and the side
of the threshold that is bad:

- refusal rate: the share of requests the model declined. A jump means a prompt or
  model change started refusing ordinary customers;
- step-budget endings: the share of runs that ran out of steps without an answer,
  an agent looping on a tool;
- cost per task: dollars per request, thinking and cache writes included;
- cache hit rate: the share of input tokens read from the prompt cache. A fall
  means something changed the cached prefix, and every request pays full price.

Windows are whole hours of the request's time, so an alert names the hour it saw.
A window with fewer requests than `MIN_REQUESTS` raises no alert: two refusals in
three requests is noise, not a rate. The thresholds below are set from the first
week of traffic; every figure printed from the committed log comes from the local
API double.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Literal

from snippets.stage5.live_traffic import RunRecord, load_traffic

MIN_REQUESTS = 20

Metric = Callable[[list[RunRecord]], float]


def share_ending(ending: str) -> Metric:
    return lambda runs: sum(run.ending == ending for run in runs) / len(runs)


def cost_per_task(runs: list[RunRecord]) -> float:
    return sum(run.usd for run in runs) / len(runs)


def cache_hit_rate(runs: list[RunRecord]) -> float:
    read = sum(run.cache_read_tokens for run in runs)
    return read / sum(run.input_tokens for run in runs)


# --8<-- [start:rules]
@dataclass(frozen=True)
class Rule:
    name: str
    metric: Metric
    threshold: float
    bad: Literal["above", "below"]  # which side of the threshold fires
    unit: Literal["share", "usd"]

    def fires(self, value: float) -> bool:
        return value > self.threshold if self.bad == "above" else value < self.threshold

    def show(self, value: float) -> str:
        return f"{value:.1%}" if self.unit == "share" else f"${value:.4f}"


RULES = [
    Rule("refusal rate", share_ending("refused"), 0.05, "above", "share"),
    Rule("step-budget endings", share_ending("step_budget"), 0.05, "above", "share"),
    Rule("cost per task", cost_per_task, 0.005, "above", "usd"),
    Rule("cache hit rate", cache_hit_rate, 0.80, "below", "share"),
]


@dataclass(frozen=True)
class Alert:
    window: datetime  # the start of the hour
    rule: Rule
    value: float


def check_window(start: datetime, runs: list[RunRecord]) -> list[Alert]:
    """Every rule that fires on one window; none if the window is too small."""
    if len(runs) < MIN_REQUESTS:
        return []
    values = [(rule, rule.metric(runs)) for rule in RULES]
    return [Alert(start, rule, value) for rule, value in values if rule.fires(value)]


def hourly_windows(runs: list[RunRecord]) -> dict[datetime, list[RunRecord]]:
    def hour(run: RunRecord) -> datetime:
        return run.at.replace(minute=0, second=0, microsecond=0)

    ordered = sorted(runs, key=lambda run: run.at)
    return {start: list(group) for start, group in groupby(ordered, key=hour)}


# --8<-- [end:rules]


def report(runs: list[RunRecord]) -> str:
    lines = []
    for start, window in hourly_windows(runs).items():
        fired = {alert.rule.name for alert in check_window(start, window)}
        lines.append(f"{start:%Y-%m-%d %H:%M} UTC, {len(window)} requests")
        for rule in RULES:
            state = "ALERT" if rule.name in fired else "ok"
            value = rule.show(rule.metric(window))
            limit = rule.show(rule.threshold)
            lines.append(f"  {rule.name:<20} {value:>8}  ({rule.bad} {limit})  {state}")
    return "\n".join(lines)


def main() -> None:
    print(report(load_traffic()))


if __name__ == "__main__":
    main()
