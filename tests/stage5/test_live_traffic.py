"""The live traffic log: recorded from the double, every ending counted."""

import runpy
import sys

from snippets.stage1.fence import fence
from snippets.stage5 import live_traffic
from tests.docs_blocks import assert_page_shows
from tests.stage5 import AFTER_LAUNCH_PAGE

COUNTED = "60 live requests: answered 52, incomplete 1, refused 3, step_budget 4\n"


def test_recording_the_traffic_again_reproduces_the_committed_log(double, tmp_path):
    path = tmp_path / "traffic.jsonl"
    live_traffic.main(["--record", "--traffic", str(path)])
    assert path.read_text() == live_traffic.TRAFFIC.read_text()
    first = double.requests[0].body
    assert first["system"][0]["cache_control"] == {"type": "ephemeral"}
    assert first["system"][1]["text"] == live_traffic.PROMPTS["v1"]
    assert first["output_config"] == {"effort": "medium"}
    assert first["messages"] == [
        {
            "role": "user",
            "content": fence(
                "I sent back the mixer from order HL-51406 last week. When will I "
                "get my money?\nLeila",
                "email p001",
            )
            + "\nDraft the reply.",
        }
    ]


def test_the_log_counts_every_ending(capsys):
    live_traffic.main([])
    out = capsys.readouterr().out
    assert out == COUNTED
    assert_page_shows(AFTER_LAUNCH_PAGE, "a recorded log, not real users", out)


def test_a_looping_run_ends_on_the_step_budget_with_its_cost(double):
    request = live_traffic.load_requests()["p034"]
    record = live_traffic.serve(request)
    assert (record.ending, record.steps, record.reply) == ("step_budget", 4, "")
    assert record.usd > 0  # the four calls are billed though nothing was answered
    assert [len(r.body["messages"]) for r in double.requests] == [1, 3, 5, 7]


def test_runs_as_a_script(capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["live_traffic"])
    runpy.run_module("snippets.stage5.live_traffic", run_name="__main__")
    assert capsys.readouterr().out == COUNTED
