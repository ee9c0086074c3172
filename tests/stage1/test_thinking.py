import runpy

import pytest

from snippets.stage1 import thinking
from snippets.stage1.pricing import PRICES
from tests.docs_blocks import DOCS, assert_page_shows

PAGE = DOCS / "stages" / "01-model-as-component.md"
ANSWER = "A hit, as long as each request refreshes the entry."


def test_the_page_shows_what_main_prints_against_the_double(capsys, double):
    runpy.run_module("snippets.stage1.thinking", run_name="__main__")
    out = capsys.readouterr().out
    assert_page_shows(PAGE, '"snippets/stage1/thinking.py"', out)
    assert out == (
        f"   low:   40 of   56 output tokens were thinking, $0.000031: {ANSWER}\n"
        f"medium:  120 of  136 output tokens were thinking, $0.000071: {ANSWER}\n"
        f"  high:  320 of  336 output tokens were thinking, $0.000171: {ANSWER}\n"
    )


def test_each_call_sets_its_effort_and_leaves_room_to_think(double):
    thinking.spend(thinking.QUESTION, "medium")
    body = double.requests[-1].body
    assert body == {
        "model": "claude-haiku-5-5",
        "max_tokens": 8000,
        "output_config": {"effort": "medium"},
        "messages": [{"role": "user", "content": thinking.QUESTION}],
    }


def test_thinking_is_billed_as_output(double):
    result = thinking.spend(thinking.QUESTION, "high")
    assert result.effort == "high"
    price = PRICES["claude-haiku-5-5"].standard
    answer_tokens = result.output_tokens - result.thinking_tokens
    assert (result.thinking_tokens, answer_tokens) == (320, 16)
    counted = thinking.client.messages.count_tokens(
        model="claude-haiku-5-5",
        messages=[{"role": "user", "content": thinking.QUESTION}],
    ).input_tokens
    assert result.cost_usd == pytest.approx(
        (counted * price.input + 336 * price.output) / 1_000_000, rel=1e-12
    )


def test_a_model_that_did_not_think_reports_zero(double):
    exact = {
        "match": {"user": "double-stage1: no thought"},
        "reply": {"content": [{"type": "text", "text": "Yes."}], "exact": True},
    }
    with double.script([exact]):
        result = thinking.spend("double-stage1: no thought", "low")
    assert (result.answer, result.thinking_tokens) == ("Yes.", 0)
