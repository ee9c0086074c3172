import runpy

import pytest

from snippets.stage1 import count_tokens
from snippets.stage1.pricing import PRICES


def test_main_estimates_then_refuses(capsys):
    runpy.run_module("snippets.stage1.count_tokens", run_name="__main__")
    out = capsys.readouterr().out
    assert "worst-case cost: $" in out
    assert "refused: prompt is" in out


def test_worst_case_cost_uses_the_counted_tokens_and_the_output_ceiling(double):
    messages = [{"role": "user", "content": "Summarise: the cache hit rate fell."}]
    cost = count_tokens.check_budget(
        messages, "Be brief.", max_input_tokens=1_000, max_output_tokens=300
    )
    counted = count_tokens.client.messages.count_tokens(
        model=count_tokens.MODEL, system="Be brief.", messages=messages
    ).input_tokens
    price = PRICES[count_tokens.MODEL].standard
    assert cost == pytest.approx((counted * price.input + 300 * price.output) / 1e6)
    assert all(r.path == "/v1/messages/count_tokens" for r in double.requests)


def test_an_oversized_prompt_is_refused_before_it_is_sent(double):
    messages = [{"role": "user", "content": "word " * 500}]
    with pytest.raises(count_tokens.OverBudget, match="budget is 100"):
        count_tokens.check_budget(
            messages, "Be brief.", max_input_tokens=100, max_output_tokens=10
        )
    assert not [r for r in double.requests if r.path == "/v1/messages"]
