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
    assert all(0 < t.first_token_s <= t.total_s for t in timed)
    assert wall > 0
    assert all(r.body["stream"] is True for r in double.requests)


def refusal(user: str, text: str) -> dict:
    reply = {"content": [{"type": "text", "text": text}], "stop_reason": "refusal"}
    return {"match": {"user": user}, "reply": reply}


def test_a_reply_without_a_label_fails_loudly(double):
    no_json = refusal("double-stage5: latency refusal", "No.")
    refused = refusal(
        "double-stage5: latency json refusal", '{"category": "bug", "priority": "low"}'
    )
    with double.script([refused, no_json]):
        with pytest.raises(ClassificationFailed, match="did not fit"):
            asyncio.run(latency.classify_all(["double-stage5: latency refusal"], 1))
        with pytest.raises(ClassificationFailed, match="stop_reason=refusal"):
            asyncio.run(
                latency.classify_all(["double-stage5: latency json refusal"], 1)
            )


def test_percentiles_use_the_nearest_rank():
    values = [float(v) for v in range(1, 21)]
    assert latency.percentile(values, 0.95) == 20.0
    assert latency.percentile(values, 0.5) == 11.0
    assert latency.percentile([3.0], 0.95) == 3.0


def test_main_measures_one_at_a_time_and_eight_at_a_time(capsys):
    runpy.run_module("snippets.stage5.latency", run_name="__main__")
    out = capsys.readouterr().out
    assert "concurrency 1: 24 tickets in " in out
    assert "concurrency 8: 24 tickets in " in out
    assert "first token p50 " in out
