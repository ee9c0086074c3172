import re
import runpy

import pytest

from snippets.stage1 import count_tokens
from snippets.stage1.pricing import PRICES


def test_main_estimates_then_refuses(capsys, live):
    runpy.run_module("snippets.stage1.count_tokens", run_name="__main__")
    out = capsys.readouterr().out
    if live:  # the real count differs from the double's
        assert re.fullmatch(
            r"worst-case cost: \$\d+\.\d{6}\nrefused: prompt is \d+ tokens, budget is "
            r"10; trim or summarise before sending\n",
            out,
        )
        return
    assert out == (
        "worst-case cost: $0.003158\n"
        "refused: prompt is 79 tokens, budget is 10; trim or summarise before sending\n"
    )


def test_a_prompt_exactly_at_the_budget_is_sent(double):
    messages = [{"role": "user", "content": "Summarise: the cache hit rate fell."}]
    counted = count_tokens.client.messages.count_tokens(
        model=count_tokens.MODEL, system="Be brief.", messages=messages
    ).input_tokens
    cost = count_tokens.check_budget(
        messages, "Be brief.", max_input_tokens=counted, max_output_tokens=0
    )
    price = PRICES[count_tokens.MODEL].standard
    assert cost == pytest.approx(counted * price.input / 1e6, rel=1e-12)


def test_worst_case_cost_uses_the_counted_tokens_and_the_output_ceiling(double):
    messages = [{"role": "user", "content": "Summarise: the cache hit rate fell."}]
    cost = count_tokens.check_budget(
        messages, "Be brief.", max_input_tokens=1_000, max_output_tokens=300
    )
    counted = count_tokens.client.messages.count_tokens(
        model=count_tokens.MODEL, system="Be brief.", messages=messages
    ).input_tokens
    price = PRICES[count_tokens.MODEL].standard
    expected = (counted * price.input + 300 * price.output) / 1e6
    assert cost == pytest.approx(expected, rel=1e-12)
    assert all(r.path == "/v1/messages/count_tokens" for r in double.requests)


def test_an_oversized_prompt_is_refused_before_it_is_sent(double):
    messages = [{"role": "user", "content": "word " * 500}]
    with pytest.raises(
        count_tokens.OverBudget,
        match=r"^prompt is \d+ tokens, budget is 100; trim or summarise before "
        r"sending$",
    ):
        count_tokens.check_budget(
            messages, "Be brief.", max_input_tokens=100, max_output_tokens=10
        )
    assert not [r for r in double.requests if r.path == "/v1/messages"]
