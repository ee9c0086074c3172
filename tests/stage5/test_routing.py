import runpy

import pytest

from snippets.stage5 import routing


@pytest.mark.parametrize(
    ("ticket", "hard"),
    [
        ("How do I add a second admin?", False),
        ("We need the audit log before our review next week.", True),
        ("Export broken, finance needs it tomorrow.", True),
        (" ".join(["word"] * 26), True),
    ],
)
def test_long_tickets_and_deadlines_count_as_hard(ticket, hard):
    assert routing.is_hard(ticket) is hard


def test_the_stage1_set_is_tagged_by_difficulty():
    cases = routing.stage1_cases()
    assert len(cases) == 24
    assert [c.id for c in cases if c.tags == ["hard"]] == ["t06", "t19", "t23"]


def test_hard_tickets_go_to_the_large_model(double):
    router = routing.Router(
        routing.Classifier(model=routing.SMALL), routing.Classifier(model=routing.LARGE)
    )
    router("How do I add a second admin to our workspace?")
    router(
        "The CSV export drops every row after 10,000. We need the full file "
        "for an audit tomorrow."
    )
    assert [r.body["model"] for r in double.requests] == [routing.SMALL, routing.LARGE]


def test_routing_costs_a_fraction_of_the_large_model(double):
    small, routed, large = routing.compare_strategies(routing.stage1_cases())
    assert [s.name for s in (small, routed, large)] == [
        "small only",
        "routed",
        "large only",
    ]
    assert small.usd_per_ticket < routed.usd_per_ticket < large.usd_per_ticket
    assert routed.usd_per_ticket < 0.25 * large.usd_per_ticket
    models = [r.body["model"] for r in double.requests]
    assert models.count(routing.LARGE) == 3 + 24  # routed, then large only


def test_routing_buys_back_most_of_the_accuracy(double):
    # The Stage 1 replies play the small model, wrong on t19 and t24; the routing
    # replies play the large model, right on every ticket: a scripted assumption,
    # not a measurement.
    small, routed, large = routing.compare_strategies(routing.stage1_cases())
    assert (small.exact_match, routed.exact_match, large.exact_match) == (
        22 / 24,
        23 / 24,
        1.0,
    )


def test_main_compares_three_strategies(capsys, live):
    runpy.run_module("snippets.stage5.routing", run_name="__main__")
    out = capsys.readouterr().out
    assert out.startswith("tickets: 24, routed to claude-sonnet-5-5: 3\n")
    for name in ("small only", "routed", "large only"):
        assert f"\n{name:<11} exact match " in out
    if live:
        return
    assert "\nsmall only  exact match 92%  " in out
    assert "\nrouted      exact match 96%  " in out
    assert "\nlarge only  exact match 100%  " in out
