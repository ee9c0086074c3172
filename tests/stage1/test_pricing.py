import runpy

import anthropic
import pytest

from snippets.stage1 import pricing


def test_main_prints_the_dated_table(capsys):
    runpy.run_module("snippets.stage1.pricing", run_name="__main__")
    assert capsys.readouterr().out == (
        "Prices checked on 2026-11-25: Anthropic's pricing page, "
        "https://platform.claude.com/docs/en/about-claude/pricing.\n"
        "claude-opus-5-5: $4.00 in / $20.00 out per million tokens\n"
        "claude-sonnet-5-5: $2.00 in / $10.00 out per million tokens\n"
        "claude-haiku-5-5: $0.10 in / $0.50 out per million tokens\n"
    )


def test_cache_reads_and_writes_count_toward_the_long_prompt_band():
    # 50,000 new + 25,000 written + 25,001 read: 100,001 prompt tokens, the long band.
    usage = anthropic.types.Usage(
        input_tokens=50_000,
        output_tokens=0,
        cache_creation_input_tokens=25_000,
        cache_read_input_tokens=25_001,
    )
    # 50,000 x 0.50 + 25,000 x 0.625 + 25,001 x 0.05, per million (the long band)
    assert pricing.cost_usd("claude-haiku-5-5", usage) == pytest.approx(
        0.04187505, rel=1e-12
    )


def test_long_prompts_pay_the_higher_band():
    short = anthropic.types.Usage(input_tokens=100_000, output_tokens=0)
    long = anthropic.types.Usage(input_tokens=100_001, output_tokens=0)
    assert pricing.cost_usd("claude-haiku-5-5", short) == pytest.approx(0.01, rel=1e-12)
    assert pricing.cost_usd("claude-haiku-5-5", long) == pytest.approx(
        0.0500005, rel=1e-12
    )


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
    assert pricing.cost_usd("claude-sonnet-5-5", usage) == pytest.approx(
        9.00, rel=1e-12
    )


def test_a_model_without_a_price_fails_instead_of_costing_nothing():
    usage = anthropic.types.Usage(input_tokens=10, output_tokens=10)
    with pytest.raises(pricing.UnknownPrice, match="claude-fable-5-2"):
        pricing.cost_usd("claude-fable-5-2", usage)


def test_every_priced_model_is_current():
    from anthropic._data.deprecated_models import DEPRECATED_MODELS

    assert not set(pricing.PRICES) & set(DEPRECATED_MODELS)
