import runpy

import anthropic
import pytest

from snippets.stage1 import pricing


def test_main_prints_the_dated_table(capsys):
    runpy.run_module("snippets.stage1.pricing", run_name="__main__")
    out = capsys.readouterr().out
    assert pricing.PRICES_CHECKED_ON in out
    assert "claude-sonnet-5-5: $2.00 in / $10.00 out" in out


def test_cost_counts_every_kind_of_token():
    usage = anthropic.types.Usage(
        input_tokens=1_000_000,
        output_tokens=1_000_000,
        cache_creation_input_tokens=1_000_000,
        cache_read_input_tokens=1_000_000,
    )
    # 2.00 input + 10.00 output + 2.50 cache write + 0.10 cache read
    assert pricing.cost_usd("claude-sonnet-5-5", usage) == pytest.approx(14.60)


def test_long_prompts_pay_the_higher_band():
    short = anthropic.types.Usage(input_tokens=100_000, output_tokens=0)
    long = anthropic.types.Usage(input_tokens=100_001, output_tokens=0)
    assert pricing.cost_usd("claude-haiku-5-5", short) == pytest.approx(0.01)
    assert pricing.cost_usd("claude-haiku-5-5", long) == pytest.approx(0.0500005)


def test_one_hour_cache_writes_cost_more_than_five_minute_ones():
    usage = anthropic.types.Usage(
        input_tokens=0,
        output_tokens=0,
        cache_creation_input_tokens=3_000_000,
        cache_creation=anthropic.types.CacheCreation(
            ephemeral_5m_input_tokens=2_000_000, ephemeral_1h_input_tokens=1_000_000
        ),
    )
    # 2 x 2.50 for five-minute writes + 1 x 4.00 for the one-hour write
    assert pricing.cost_usd("claude-sonnet-5-5", usage) == pytest.approx(9.00)


def test_a_model_without_a_price_fails_instead_of_costing_nothing():
    usage = anthropic.types.Usage(input_tokens=10, output_tokens=10)
    with pytest.raises(pricing.UnknownPrice, match="claude-fable-5-2"):
        pricing.cost_usd("claude-fable-5-2", usage)


def test_every_priced_model_is_current():
    from anthropic._data.deprecated_models import DEPRECATED_MODELS

    assert not set(pricing.PRICES) & set(DEPRECATED_MODELS)
