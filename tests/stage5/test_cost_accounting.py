import runpy

import pytest
from anthropic.types import OutputTokensDetails, Usage

from snippets.stage1.pricing import UnknownPrice
from snippets.stage5 import cost_accounting as ca
from tests.docs_blocks import assert_page_shows
from tests.stage5 import ECONOMICS_PAGE


def test_a_request_is_priced_from_every_kind_of_token():
    usage = Usage(
        input_tokens=1_000,
        cache_creation_input_tokens=2_000,
        cache_read_input_tokens=10_000,
        output_tokens=500,
        output_tokens_details=OutputTokensDetails(thinking_tokens=320),
    )
    cost = ca.request_cost("draft", "claude-sonnet-5-5", usage)
    # 1,000 x $2 + 2,000 x $2.50 + 10,000 x $0.10 + 500 x $10, per million tokens:
    # the 320 thinking tokens are part of the 500 output tokens, at the same price.
    assert cost.usd == pytest.approx(0.013)
    assert (cost.cache_write_tokens, cost.cache_read_tokens) == (2_000, 10_000)
    assert (cost.output_tokens, cost.thinking_tokens) == (500, 320)
    batch = ca.request_cost("draft", "claude-sonnet-5-5", usage, batch=True)
    assert batch.usd == pytest.approx(0.0065)


def test_a_reply_without_thinking_has_no_thinking_tokens():
    usage = Usage(input_tokens=10, output_tokens=5)
    assert ca.request_cost("x", "claude-haiku-5-5", usage).thinking_tokens == 0


def test_an_unpriced_model_fails_instead_of_costing_nothing():
    with pytest.raises(UnknownPrice, match="claude-fable-5-2"):
        ca.request_cost("x", "claude-fable-5-2", Usage(input_tokens=1, output_tokens=1))


def test_caching_the_policy_cuts_the_bill(double):
    ledger = ca.Ledger()
    ca.ask_all(ca.QUESTIONS, cached=False, ledger=ledger)
    ca.ask_all(ca.QUESTIONS, cached=True, ledger=ledger)
    plain, cached = ledger.requests[:5], ledger.requests[5:]
    assert all(r.cache_write_tokens == r.cache_read_tokens == 0 for r in plain)
    assert cached[0].cache_write_tokens > 4_000
    assert cached[0].cache_read_tokens == 0
    for later in cached[1:]:
        assert later.cache_read_tokens == cached[0].cache_write_tokens
        assert later.cache_write_tokens == 0
    # Low effort thinks 40 tokens in the double, and the bill counts them as output.
    assert [r.thinking_tokens for r in ledger.requests] == [40] * 10
    assert all(r.output_tokens > r.thinking_tokens for r in ledger.requests)
    # The page: "every later request ... costs about an eighth", and "more than
    # half of what is left is output".
    plain_usd = sum(r.usd for r in plain) / len(plain)
    later_usd = sum(r.usd for r in cached[1:]) / len(cached[1:])
    assert round(plain_usd / later_usd) == 8
    for later in cached[1:]:
        assert later.output_tokens * 10.00 / 1_000_000 > 0.5 * later.usd
    page = " ".join(ECONOMICS_PAGE.read_text(encoding="utf-8").split())
    assert "lifetime costs about an eighth" in page
    assert "More than half of what is left is output" in page
    totals = ledger.by_feature()
    assert totals["cached"] < 0.4 * totals["plain"]
    assert ledger.total_usd == pytest.approx(totals["cached"] + totals["plain"])
    bodies = [r.body for r in double.requests]
    assert "cache_control" not in bodies[0]["system"][0]
    assert bodies[5]["system"][0]["cache_control"] == {"type": "ephemeral"}
    assert bodies[0]["system"][0]["text"] == bodies[5]["system"][0]["text"]
    for body in bodies:
        assert body["model"] == "claude-sonnet-5-5"
        assert body["max_tokens"] == 1024
        assert body["output_config"] == {"effort": "low"}


def test_main_prints_before_and_after(capsys, live):
    runpy.run_module("snippets.stage5.cost_accounting", run_name="__main__")
    out = capsys.readouterr().out
    assert "prices checked on 2026-" in out
    assert "\nsaving: " in out
    if not live:
        assert_page_shows(ECONOMICS_PAGE, "cost_accounting.py:measure", out)
