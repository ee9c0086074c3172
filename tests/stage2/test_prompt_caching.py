import runpy
import uuid

import pytest

from snippets.stage1.replies import IncompleteReply
from snippets.stage2 import prompt_caching as pc
from snippets.stage2.support_policy import load_policy, policy_sections
from tests.docs_blocks import assert_page_shows
from tests.stage2 import STAGE_PAGE

LOST = (
    "A customer's parcel tracking shows no movement for eleven business days. "
    "What can we offer?"
)
KNIFE = "Can a customer return a knife they have already sharpened?"


def test_main_shows_a_cache_write_then_a_cache_read(capsys):
    runpy.run_module("snippets.stage2.prompt_caching", run_name="__main__")
    first, second = capsys.readouterr().out.splitlines()
    assert second.split("read from cache:")[1].split()[0] != "0"
    assert first.startswith("written to cache:")


def test_the_stable_reference_comes_first_and_carries_the_breakpoint():
    reference, instructions = pc.cached_system("REFERENCE", "INSTRUCTIONS")
    assert reference == {
        "type": "text",
        "text": "REFERENCE",
        "cache_control": {"type": "ephemeral"},
    }
    assert instructions == {"type": "text", "text": "INSTRUCTIONS"}


def test_ask_sends_the_policy_first_then_the_instructions_at_low_effort(double):
    pc.ask(LOST, load_policy())
    [request] = [r.body for r in double.requests]
    assert {k: v for k, v in request.items() if k != "messages"} == {
        "model": "claude-sonnet-5-5",
        "max_tokens": 1500,
        "output_config": {"effort": "low"},
        "system": [
            {
                "type": "text",
                "text": load_policy(),
                "cache_control": {"type": "ephemeral"},
            },
            {
                "type": "text",
                "text": "You draft replies for Harbour Lane Kitchenware customer "
                "support, following the policy above exactly. When it does not "
                "cover a case, say an agent will reply.",
            },
        ],
    }
    assert request["messages"] == [{"role": "user", "content": LOST}]


def test_the_second_call_reads_what_the_first_wrote():
    # A prefix no earlier request has sent, so the first call must write it.
    reference = f"{load_policy()}\nPolicy revision {uuid.uuid4()}."
    first = pc.ask(LOST, reference).usage
    second = pc.ask(KNIFE, reference).usage
    assert first.cache_creation_input_tokens > 0
    assert not first.cache_read_input_tokens
    assert second.cache_read_input_tokens == first.cache_creation_input_tokens
    assert not second.cache_creation_input_tokens
    assert second.input_tokens < 200  # only the question is billed at full price


def test_the_cached_call_costs_far_less(double):
    reference = f"{load_policy()}\nPolicy revision {uuid.uuid4()}."
    first = pc.ask(LOST, reference).usage
    second = pc.ask(KNIFE, reference).usage
    cost = [float(pc.cache_line(u).split("$")[1]) for u in (first, second)]
    assert cost[1] < cost[0] / 5


def test_a_prefix_over_the_512_token_minimum_is_cached():
    # Two policy sections: above the 5.5 models' minimum, below the old 1,024.
    sections = policy_sections()
    reference = f"{sections['Returns']}\n{sections['Refunds']}\n({uuid.uuid4()})"
    written = pc.ask(KNIFE, reference).usage.cache_creation_input_tokens
    assert 512 <= written < 1024


def test_a_prefix_below_the_minimum_is_silently_not_cached():
    reference = f"Refunds go back to the original payment method. ({uuid.uuid4()})"
    for question in (LOST, KNIFE):
        usage = pc.ask(question, reference).usage
        assert not usage.cache_creation_input_tokens
        assert not usage.cache_read_input_tokens


def test_an_answer_cut_off_is_an_error_even_when_only_usage_is_read(double):
    cut_off = {
        "match": {"user": "double-stage2: cut-off answer from the cache"},
        "reply": {
            "content": [{"type": "text", "text": "We treat the parcel"}],
            "stop_reason": "max_tokens",
        },
    }
    with double.script([cut_off]), pytest.raises(IncompleteReply, match="max_tokens"):
        pc.ask("double-stage2: cut-off answer from the cache", load_policy())


def test_the_page_shows_the_doubles_output(double, capsys):
    runpy.run_module("snippets.stage2.prompt_caching", run_name="__main__")
    assert_page_shows(
        STAGE_PAGE, '"snippets/stage2/prompt_caching.py"', capsys.readouterr().out
    )
