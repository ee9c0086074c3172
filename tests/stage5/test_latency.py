import asyncio
import json
import runpy

import pytest

from snippets.stage1.evaluate_classifier import LABELLED_SET
from snippets.stage1.ticket_classifier import ClassificationFailed
from snippets.stage5 import latency

ROWS = [json.loads(line) for line in LABELLED_SET.read_text().splitlines()]


def test_concurrent_results_come_back_in_input_order(double):
    tickets = [row["text"] for row in ROWS[:6]]
    timed, wall = asyncio.run(latency.classify_all(tickets, concurrency=3))
    labels = [(t.label.category, t.label.priority) for t in timed]
    assert labels == [(row["category"], row["priority"]) for row in ROWS[:6]]
    assert all(0 < t.first_text_s <= t.total_s for t in timed)
    assert wall > 0
    # Output counts the thinking: 40 tokens at low effort in the double, then the label.
    assert all(t.output_tokens > t.thinking_tokens == 40 for t in timed)
    for request in double.requests:
        assert request.body["stream"] is True
        assert request.body["output_config"]["effort"] == "low"


def stopped(user: str, text: str, stop_reason: str) -> dict:
    reply = {"content": [{"type": "text", "text": text}], "stop_reason": stop_reason}
    return {"match": {"user": user}, "reply": reply}


def test_a_reply_without_a_label_fails_loudly(double):
    refused = stopped(
        "double-stage5: latency refusal",
        '{"category": "bug", "priority": "low"}',
        "refusal",
    )
    cut = stopped("double-stage5: latency cut", '{"category": "b', "max_tokens")
    with double.script([refused, cut]):
        with pytest.raises(
            ClassificationFailed, match=r"^no label: the model declined"
        ):
            asyncio.run(latency.classify_all(["double-stage5: latency refusal"], 1))
        with pytest.raises(
            ClassificationFailed, match=r"^no label: cut off at max_tok"
        ):
            asyncio.run(latency.classify_all(["double-stage5: latency cut"], 1))


def test_percentiles_use_the_nearest_rank():
    values = [float(v) for v in range(1, 21)]
    assert latency.percentile(values, 0.95) == 20.0
    assert latency.percentile(values, 0.5) == 11.0
    assert latency.percentile([3.0], 0.95) == 3.0


def test_main_measures_one_at_a_time_and_eight_at_a_time(capsys, live):
    runpy.run_module("snippets.stage5.latency", run_name="__main__")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    for line, concurrency in zip(lines, (1, 8), strict=False):
        assert line.startswith(f"concurrency {concurrency}: 24 tickets in ")
        assert "; first text p50 " in line
        assert "; whole call p50 " in line
    assert lines[2].startswith("output per call p50: ")
    if not live:  # the double's thinking at low effort, counted as output
        assert lines[2].endswith(" tokens, 40 of them thinking")
