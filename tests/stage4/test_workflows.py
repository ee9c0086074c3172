import runpy

import pytest

from snippets.stage1.fence import FENCE_RULE, fence
from snippets.stage4 import workflows
from tests.docs_blocks import assert_page_shows
from tests.stage4.script import PAGE

TICKET = "My sofa arrived with a torn cushion. Can I get my money back?"


def bodies(double, system_start: str) -> list[dict]:
    return [
        r.body for r in double.requests if r.body["system"].startswith(system_start)
    ]


def test_main_prints_what_the_page_shows(double, capsys):
    runpy.run_module("snippets.stage4.workflows", run_name="__main__")
    assert_page_shows(
        PAGE, "`python -m snippets.stage4.workflows`", capsys.readouterr().out
    )
    assert len(double.requests) == 16


def test_routing_labels_on_the_small_model_and_answers_on_the_routes_model(double):
    category, _ = workflows.route(TICKET)
    label, answer = (r.body for r in double.requests)
    assert category == "refund"
    assert label["model"] == "claude-haiku-5-5"
    assert label["output_config"]["effort"] == "low"
    assert label["system"] == f"Route furniture-shop support tickets. {FENCE_RULE}"
    assert label["messages"] == [{"role": "user", "content": fence(TICKET, "ticket")}]
    assert {k: answer[k] for k in ("model", "max_tokens", "output_config")} == {
        "model": "claude-sonnet-5-5",
        "max_tokens": 2000,
        "output_config": {"effort": "medium"},
    }
    assert answer["system"] == (
        "You answer refund requests for an online furniture shop. Refunds are "
        "possible within 30 days of delivery; a person approves each one. Say what "
        f"happens next in two sentences. {FENCE_RULE}"
    )


def test_sectioning_runs_every_check_and_one_failure_fails_the_draft(double):
    draft = "Sorry about the cushion! We will refund 120.00 by Friday."
    checks = workflows.review(draft)
    assert {name: (c.passed, c.reason) for name, c in checks.items()} == {
        "tone": (True, "Apologises and blames no one."),
        "promises": (False, "Promises a refund of 120.00 by Friday."),
        "privacy": (True, "No payment or address details."),
    }
    sent = sorted(r.body["system"] for r in double.requests)
    assert sent == sorted(f"{p} {FENCE_RULE}" for p in workflows.CHECKS.values())
    assert {r.body["messages"][0]["content"] for r in double.requests} == {
        fence(draft, "draft reply")
    }


def test_voting_flags_at_the_threshold_and_not_below(double):
    ticket = "Refund 4,000 now or I post everywhere. URGENT!!!"
    assert workflows.vote(ticket) == (True, [True, True, False])
    assert len(bodies(double, "Decide if this refund")) == 3
    with double.script(
        [
            {
                "match": {"system": "Decide if this refund", "user": "lamp"},
                "times": 1,
                "json": {"suspicious": True},
            },
            {
                "match": {"system": "Decide if this refund", "user": "lamp"},
                "json": {"suspicious": False},
            },
        ]
    ):
        assert workflows.vote("Refund my lamp, it flickers.") == (
            False,
            [True, False, False],
        )


def test_the_orchestrator_fans_out_one_worker_per_subtask(double):
    request = (
        "Will the oak desk fit a 120 cm alcove, and can it arrive before the 14th?"
    )
    subtasks, reply = workflows.orchestrate(request)
    assert subtasks == [
        "How wide is the oak desk, in centimetres?",
        "Can an oak desk ordered today arrive before the 14th?",
    ]
    workers = bodies(double, "Answer one question")
    assert sorted(w["messages"][0]["content"] for w in workers) == sorted(
        fence(subtask, "subtask") for subtask in subtasks
    )
    (writer,) = bodies(double, "Write one reply")
    assert writer["messages"][0]["content"] == (
        f"{fence(request, 'customer request')}\n"
        f"{fence('The oak desk is 118 cm wide.', 'answer 1')}\n"
        + fence(
            "Orders ship within 3 working days, so yes if ordered by the 9th.",
            "answer 2",
        )
    )
    assert reply.startswith("The oak desk is 118 cm wide")


def test_an_empty_plan_stops_before_any_worker_runs(double):
    with (
        double.script(
            [
                {
                    "match": {"system": "Split a", "user": "hello"},
                    "json": {"subtasks": []},
                }
            ]
        ),
        pytest.raises(workflows.EmptyPlan) as empty,
    ):
        workflows.orchestrate("hello")
    assert str(empty.value) == "no subtasks for 'hello'; answer it directly"
    assert len(double.requests) == 1


def test_an_empty_plan_names_the_first_80_characters_of_the_request(double):
    request = "hello, " + "x" * 100
    with (
        double.script(
            [
                {
                    "match": {"system": "Split a", "user": "hello"},
                    "json": {"subtasks": []},
                }
            ]
        ),
        pytest.raises(workflows.EmptyPlan) as empty,
    ):
        workflows.orchestrate(request)
    assert str(empty.value) == (
        f"no subtasks for 'hello, {'x' * 73}'; answer it directly"
    )


def test_the_evaluator_sends_its_feedback_to_the_rewrite(double):
    brief = "Oak side table, 45 x 45 x 55 cm, solid oak, oiled finish."
    refined = workflows.refine(brief)
    assert refined == workflows.Refined(
        "A 45 x 45 x 55 cm side table in solid oak, finished with oil.", 2, True
    )
    rewrite = bodies(double, "You write product descriptions")[1]
    assert rewrite["messages"][0]["content"] == (
        f"{fence(brief, 'brief')}\n"
        f"{fence('A handsome side table in solid oak, finished with oil.', 'draft')}\n"
        f"{fence('State the size in centimetres: 45 x 45 x 55 cm.', 'feedback')}\n"
        "Rewrite the draft."
    )


def test_a_draft_that_never_passes_is_returned_marked_unreviewed(double):
    with double.script(
        [
            {
                "match": {"system": "You write product", "user": "Stool"},
                "reply": {
                    "content": [{"type": "text", "text": "A stool."}],
                    "stop_reason": "end_turn",
                },
            },
            {
                "match": {"system": "You review a product", "user": "Stool"},
                "json": {"passed": False, "feedback": "Give the size."},
            },
        ]
    ):
        refined = workflows.refine("Stool, pine.", max_rounds=2)
        assert refined == workflows.Refined("A stool.", 2, False)
        assert len(double.requests) == 4, "draft, review, rewrite, review: no third"
        by_default = workflows.refine("Stool, pine.")
    assert by_default == workflows.Refined("A stool.", 3, False), "three rounds"
    assert len(double.requests) == 4 + 6, "by default: three reviews, two rewrites"
