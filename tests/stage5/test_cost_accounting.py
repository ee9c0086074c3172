import runpy

import pytest
from anthropic.types import Usage

from snippets.stage1.pricing import UnknownPrice
from snippets.stage5 import cost_accounting as ca


def test_a_request_is_priced_from_every_kind_of_token():
    usage = Usage(
        input_tokens=1_000,
        cache_creation_input_tokens=2_000,
        cache_read_input_tokens=10_000,
        output_tokens=500,
    )
    cost = ca.request_cost("draft", "claude-sonnet-5-5", usage)
    # 1,000 x $2 + 2,000 x $2.50 + 10,000 x $0.10 + 500 x $10, per million tokens
    assert cost.usd == pytest.approx(0.013)
    assert (cost.cache_write_tokens, cost.cache_read_tokens) == (2_000, 10_000)
    batch = ca.request_cost("draft", "claude-sonnet-5-5", usage, batch=True)
    assert batch.usd == pytest.approx(0.0065)


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
    totals = ledger.by_feature()
    assert totals["cached"] < 0.4 * totals["plain"]
    assert ledger.total_usd == pytest.approx(totals["cached"] + totals["plain"])
    bodies = [r.body for r in double.requests]
    assert "cache_control" not in bodies[0]["system"][0]
    assert bodies[5]["system"][0]["cache_control"] == {"type": "ephemeral"}
    assert bodies[0]["system"][0]["text"] == bodies[5]["system"][0]["text"]


def test_main_prints_before_and_after(capsys, live):
    runpy.run_module("snippets.stage5.cost_accounting", run_name="__main__")
    out = capsys.readouterr().out
    assert "prices checked on 2026-" in out
    assert "\nsaving: " in out
    if not live:
        assert "plain:  $0.04720 for 5 questions" in out
        assert "saving: 68%" in out
