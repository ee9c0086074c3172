import runpy

import pytest

from snippets.stage1.replies import IncompleteReply
from snippets.stage4 import memory
from snippets.stage4.memory import ChatSession, LongTermStore
from tests.docs_blocks import assert_page_shows
from tests.stage4.script import PAGE, calls, says, use

HELLO = "Hi, I'm Sam. I'm vegetarian and I usually cook for two."
DINNER = "Any quick dinner ideas for tonight that suit my diet?"


@pytest.fixture
def store(tmp_path):
    return LongTermStore(tmp_path / "memory.db")


def test_main_prints_what_the_page_shows(capsys, live):
    runpy.run_module("snippets.stage4.memory", run_name="__main__")
    out = capsys.readouterr().out
    if live:  # the real model words the fact itself
        assert "vegetarian" in out.split("recalled: ")[1].lower()
    else:
        assert_page_shows(PAGE, "`python -m snippets.stage4.memory`", out)


def test_a_fact_saved_in_one_session_is_in_the_next_sessions_system_prompt(
    double, store
):
    ChatSession("sam", store).send(HELLO)
    assert store.recall("sam", "anything") == [
        "Sam is vegetarian and usually cooks for two."
    ]
    reply = ChatSession("sam", store).send(DINNER)
    assert reply == (
        "Try a chickpea and spinach curry for two: about 25 minutes and fully "
        "vegetarian."
    )
    later = double.requests[-1].body
    assert later["messages"] == [{"role": "user", "content": DINNER}], (
        "a new session starts with an empty conversation"
    )
    assert (
        "<memories>\n- Sam is vegetarian and usually cooks for two.\n</memories>"
        in later["system"]
    )
    assert ChatSession("ana", store).system_prompt([]) == memory.SYSTEM


PADDING = " Please keep it quick and cheap." * 20


def test_over_budget_the_oldest_exchange_is_summarised_and_dropped(double, store):
    summary = "Ana cooks for four and asked for quick, cheap meals."
    with double.script(
        [
            says(summary, user="<dropped_turns>", system="running summary"),
            calls(
                use("remember", fact="Ana cooks for four."),
                user="double-stage4: mem one",
            ),
            says("Noted.", tool_result="remember"),
            says("Try lentils.", user="double-stage4: mem two"),
            says("Try beans.", user="double-stage4: mem three"),
        ]
    ):
        session = ChatSession("ana", store, budget_tokens=100_000)
        session.send("double-stage4: mem one" + PADDING)
        session.send("double-stage4: mem two" + PADDING)
        # The budget now is what two exchanges cost, with the recalled fact and
        # room for a summary; a third exchange cannot fit without dropping one.
        recalled = store.recall("ana", "")
        two_exchanges = session.count_tokens(session.system_prompt(recalled))
        session.budget_tokens = two_exchanges + 40
        assert session.send("double-stage4: mem three" + PADDING) == "Try beans."

    (summarised,) = [r for r in double.requests if r.body["model"] != memory.MODEL]
    assert summarised.body["model"] == "claude-haiku-5-5"
    assert summarised.body["max_tokens"] == 1024
    assert summarised.body["output_config"] == {"effort": "low"}
    assert summarised.body["system"] == (
        "You keep a running summary of a conversation for an assistant that can no "
        "longer see its start. Keep facts, decisions and open questions; drop small "
        "talk. At most 120 words."
    )
    assert summarised.body["messages"] == [
        {
            "role": "user",
            "content": "<summary></summary>\n<dropped_turns>\n"
            f"user: double-stage4: mem one{PADDING}\n"
            "assistant: called remember with {'fact': 'Ana cooks for four.'}\n"
            "user: tool result: Remembered.\n"
            "assistant: Noted.\n"
            "</dropped_turns>\n"
            "Write the updated summary.",
        }
    ]

    last = double.requests[-1].body
    assert last["messages"][0]["content"].startswith("double-stage4: mem two")
    assert last["system"] == (
        f"{memory.SYSTEM}\n\n<memories>\n- Ana cooks for four.\n</memories>\n\n"
        f"<earlier_conversation>\n{summary}\n</earlier_conversation>"
    ), "the recalled fact stays after the trim, and the summary follows it"
    assert session.count_tokens(last["system"]) <= session.budget_tokens


def test_thinking_is_replayed_inside_an_exchange_and_dropped_after_it(double, store):
    session = ChatSession("sam", store)
    session.send(HELLO)
    first, tool_turn = sent(double)
    replayed = tool_turn["messages"][1]
    assert [block["type"] for block in replayed["content"]] == ["thinking", "tool_use"]
    assert replayed["content"][0]["thinking"] == ""
    assert tool_turn["system"] == first["system"], "one system prompt per exchange"

    # The fact saved in the first exchange is recalled into the next system prompt,
    # so the first exchange's thinking blocks would be refused: they are dropped.
    session.send(DINNER)
    *_, later = sent(double)
    assert later["system"] == (
        f"{memory.SYSTEM}\n\n<memories>\n- Sam is vegetarian and usually cooks for "
        "two.\n</memories>"
    )
    assert [
        [block["type"] for block in m["content"]]
        for m in later["messages"]
        if m["role"] == "assistant"
    ] == [["tool_use"], ["text"]]
    assert [r.status for r in double.requests] == [200] * len(double.requests)


def sent(double) -> list[dict]:
    """The bodies of the `messages.create` requests, without the token counts."""
    return [r.body for r in double.requests if r.path == "/v1/messages"]


def test_a_finished_turn_keeps_everything_but_its_thinking():
    turn = {
        "role": "assistant",
        "content": [
            {"type": "thinking", "thinking": "", "signature": "sig"},
            {"type": "redacted_thinking", "data": "opaque"},
            {"type": "text", "text": "Noted."},
        ],
    }
    assert memory.without_thinking(turn) == {
        "role": "assistant",
        "content": [{"type": "text", "text": "Noted."}],
    }
    typed = {"role": "user", "content": "Hello"}
    assert memory.without_thinking(typed) is typed


def test_a_summary_cut_off_raises_instead_of_replacing_the_old_one(double):
    with (
        double.script(
            [says("Ana cooks", stop_reason="max_tokens", user="<dropped_turns>")]
        ),
        pytest.raises(IncompleteReply, match=r"^cut off at max_tokens") as cut,
    ):
        memory.summarise("Ana cooks for four.", [{"role": "user", "content": "Hi"}])
    assert cut.value.stop_reason == "max_tokens"


def test_a_message_too_large_for_the_budget_is_a_defined_error(double, store):
    session = ChatSession("ana", store, budget_tokens=10)
    with pytest.raises(memory.ContextBudgetExceeded, match="over 10 tokens"):
        session.send("double-stage4: mem huge" + PADDING)
    assert all(r.path.endswith("/count_tokens") for r in double.requests)


def test_trimming_never_separates_a_tool_use_from_its_result():
    messages = [
        {"role": "user", "content": "first question"},
        {"role": "assistant", "content": [{"type": "tool_use", "id": "t1"}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1"}]},
        {"role": "assistant", "content": [{"type": "text", "text": "answer"}]},
        {"role": "user", "content": "second question"},
    ]
    assert memory.start_of_second_exchange(messages) == 4
    assert memory.start_of_second_exchange(messages[:4]) is None


def test_the_store_keeps_one_copy_per_fact_and_one_list_per_user(store):
    assert store.remember("sam", "Sam is vegetarian.") == "Remembered."
    assert store.remember("sam", "Sam is vegetarian.") == "Already remembered."
    assert store.recall("ana", "vegetarian") == []
    assert store.recall("sam", "") == ["Sam is vegetarian."]


def test_recall_returns_up_to_five_facts_whatever_the_message(store):
    facts = [f"Sam owns {n} pans." for n in range(4)] + ["Sam is allergic to nuts."]
    for fact in facts:
        store.remember("sam", fact)
    assert store.recall("sam", "What's for dinner?") == facts, "five: all of them"
    store.remember("sam", "Sam lives alone.")
    assert store.recall("sam", "Any nuts in this recipe?") == [
        "Sam is allergic to nuts."
    ], "a sixth fact: only the ones that share a word"


def test_recalled_facts_are_one_line_each_in_the_system_prompt(store):
    session = ChatSession("sam", store)
    assert session.system_prompt(["Sam is vegetarian.", "Sam cooks for two."]) == (
        f"{memory.SYSTEM}\n\n<memories>\n- Sam is vegetarian.\n"
        "- Sam cooks for two.\n</memories>"
    )


def test_a_request_exactly_at_the_budget_fits(double, store):
    session = ChatSession("sam", store)
    session.messages.append({"role": "user", "content": HELLO})
    session.budget_tokens = session.count_tokens(memory.SYSTEM)
    assert session.fit([]) == memory.SYSTEM
    assert session.messages == [{"role": "user", "content": HELLO}]


def test_a_session_gives_the_model_four_steps_per_message(double, store):
    again = use("remember", fact="Sam likes soup.")
    forever = [
        calls(again, user="double-stage4: mem loop"),
        calls(again, tool_result="remember"),
    ]
    with double.script(forever):
        reply = ChatSession("sam", store).send("double-stage4: mem loop")
    assert reply == ""
    assert len(sent(double)) == 4


def test_past_the_limit_recall_ranks_facts_by_the_words_they_share(store):
    facts = [f"Sam owns {n} pans." for n in range(6)] + ["Sam is allergic to nuts."]
    for fact in facts:
        store.remember("sam", fact)
    assert store.recall("sam", "Any nuts in this recipe?", limit=2) == [
        "Sam is allergic to nuts."
    ]
    assert len(store.recall("sam", "?!", limit=2)) == 2
