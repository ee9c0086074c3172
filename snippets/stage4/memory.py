"""Memory: conversation state that fits, a running summary, and a long-term store.

The model remembers nothing between calls; memory is what you send. Conversation state
is the message list, and it grows every turn, so it is kept under a token budget by
dropping whole exchanges from the oldest end (a `tool_use` never loses its
`tool_result`). What is dropped is first folded into a running summary by a small
model, and the summary travels in the system prompt. Facts worth keeping across
sessions go into a SQLite long-term store through a `remember` tool the model calls,
and the ones that match the user's message are recalled into the next system prompt.

That system prompt changes from one message to the next, and a thinking block sent
back after the conversation before it changed is a 400. So the session keeps thinking
blocks only while their own tool loop runs, and drops them once an exchange is over.
"""

import re
import sqlite3
import tempfile
from contextlib import closing
from functools import partial
from pathlib import Path

import anthropic
from anthropic.types import MessageParam

from snippets.stage1.replies import reply_text
from snippets.stage4.agent_loop import run_agent
from snippets.stage4.tool_design import Tool, ToolBox, ask_operator

MODEL = "claude-sonnet-5-5"
SUMMARY_MODEL = "claude-haiku-5-5"  # summarising is a small, cheap job

client = anthropic.Anthropic()

SYSTEM = (
    "You are a cooking assistant. Keep answers to three sentences. When the user "
    "tells you something that will matter in future conversations (diet, "
    "allergies, household, equipment), save it with the remember tool."
)


# --8<-- [start:store]
class LongTermStore:
    """Facts per user in SQLite, found again by full-text search (FTS5)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with closing(sqlite3.connect(path)) as con, con:
            con.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS memories "
                "USING fts5(user_id UNINDEXED, fact)"
            )

    def remember(self, user_id: str, fact: str) -> str:
        with closing(sqlite3.connect(self.path)) as con, con:
            known = con.execute(
                "SELECT 1 FROM memories WHERE user_id = ? AND fact = ?",
                (user_id, fact),
            ).fetchone()
            if known:
                return "Already remembered."
            con.execute("INSERT INTO memories VALUES (?, ?)", (user_id, fact))
        return "Remembered."

    def recall(self, user_id: str, text: str, limit: int = 5) -> list[str]:
        """All facts while there are few; past `limit`, the best keyword matches."""
        with closing(sqlite3.connect(self.path)) as con:
            rows = con.execute(
                "SELECT fact FROM memories WHERE user_id = ? LIMIT ?",
                (user_id, limit + 1),
            ).fetchall()
            words = re.findall(r"\w+", text.lower())
            if len(rows) > limit and words:
                query = " OR ".join(f'"{word}"' for word in words)  # no FTS syntax
                rows = con.execute(
                    "SELECT fact FROM memories WHERE memories MATCH ? "
                    "AND user_id = ? ORDER BY rank LIMIT ?",
                    (query, user_id, limit),
                ).fetchall()
        return [fact for (fact,) in rows[:limit]]


# --8<-- [end:store]


class ContextBudgetExceeded(Exception):
    """The newest exchange alone does not fit the budget; nothing is left to drop."""


class ChatSession:
    """One conversation with one user: trimmed, summarised, backed by the store."""

    def __init__(
        self, user_id: str, store: LongTermStore, budget_tokens: int = 4000
    ) -> None:
        self.user_id = user_id
        self.store = store
        self.budget_tokens = budget_tokens
        self.messages: list[MessageParam] = []
        self.summary = ""
        remember = Tool(
            name="remember",
            description=(
                "Save one lasting fact about the user for future conversations, "
                "in one short sentence. Not for things that only matter today."
            ),
            input_schema={
                "type": "object",
                "properties": {"fact": {"type": "string", "maxLength": 300}},
                "required": ["fact"],
                "additionalProperties": False,
            },
            handler=partial(store.remember, user_id),
        )
        self.box = ToolBox([remember], confirm=ask_operator, conversation_id=user_id)

    # --8<-- [start:send]
    def send(self, text: str) -> str:
        # The last exchange is over; its thinking blocks would not survive the
        # new system prompt (see `without_thinking`).
        self.messages[:] = [without_thinking(m) for m in self.messages]
        self.messages.append({"role": "user", "content": text})
        recalled = self.store.recall(self.user_id, text)
        system = self.fit(recalled)
        run = run_agent(
            self.messages,  # extended in place with the model's turns
            system=system,
            tools=self.box.definitions(),
            execute=self.box.execute,
            max_steps=4,
        )
        return run.answer

    def system_prompt(self, recalled: list[str]) -> str:
        parts = [SYSTEM]
        if recalled:
            facts = "\n".join(f"- {fact}" for fact in recalled)
            parts.append(f"<memories>\n{facts}\n</memories>")
        if self.summary:
            summary = f"<earlier_conversation>\n{self.summary}\n</earlier_conversation>"
            parts.append(summary)
        return "\n\n".join(parts)

    # --8<-- [end:send]

    # --8<-- [start:fit]
    def fit(self, recalled: list[str]) -> str:
        """Drop and summarise the oldest exchanges until the request fits the budget."""
        system = self.system_prompt(recalled)
        while self.count_tokens(system) > self.budget_tokens:
            cut = start_of_second_exchange(self.messages)
            if cut is None:
                raise ContextBudgetExceeded(
                    f"the latest message alone is over {self.budget_tokens} tokens"
                )
            dropped, self.messages[:] = self.messages[:cut], self.messages[cut:]
            self.summary = summarise(self.summary, dropped)
            system = self.system_prompt(recalled)
        return system

    def count_tokens(self, system: str) -> int:
        return client.messages.count_tokens(
            model=MODEL,
            system=system,
            tools=self.box.definitions(),
            messages=self.messages,
        ).input_tokens


def start_of_second_exchange(messages: list[MessageParam]) -> int | None:
    """Index of the second user turn that is typed text rather than tool results."""
    starts = [i for i, m in enumerate(messages) if is_typed_by_user(m)]
    return starts[1] if len(starts) > 1 else None


def is_typed_by_user(message: MessageParam) -> bool:
    return message["role"] == "user" and isinstance(message["content"], str)


THINKING = ("thinking", "redacted_thinking")


def without_thinking(message: MessageParam) -> MessageParam:
    """A finished turn as the session keeps it: everything but its thinking blocks.

    A thinking block is valid only with the exact conversation it was written
    after. Here the system prompt changes with every message (recalled facts, the
    summary) and old exchanges are dropped, so a block kept past its exchange would
    be sent back after a change, which the API refuses with a 400.
    """
    content = message["content"]
    if message["role"] == "user" or isinstance(content, str):
        return message
    kept = [block for block in content if block_type(block) not in THINKING]
    return {"role": "assistant", "content": kept}


def block_type(block: object) -> str:
    """The type of a block, whether the SDK's object or a plain dict."""
    return block["type"] if isinstance(block, dict) else block.type


# --8<-- [end:fit]


# --8<-- [start:summary]
def summarise(summary: str, dropped: list[MessageParam]) -> str:
    """Fold the dropped turns into the running summary with a small model."""
    response = client.messages.create(
        model=SUMMARY_MODEL,
        max_tokens=1024,  # low-effort thinking plus a 120-word summary
        # Set, not inherited (Haiku 5.5 defaults to medium): folding turns into a
        # summary needs little reasoning, and this runs on every trim.
        output_config={"effort": "low"},
        system=(
            "You keep a running summary of a conversation for an assistant that "
            "can no longer see its start. Keep facts, decisions and open questions; "
            "drop small talk. At most 120 words."
        ),
        messages=[
            {
                "role": "user",
                "content": f"<summary>{summary}</summary>\n"
                f"<dropped_turns>\n{transcript(dropped)}\n</dropped_turns>\n"
                "Write the updated summary.",
            }
        ],
    )
    return reply_text(response)  # a cut-off summary raises instead of being kept


def transcript(messages: list[MessageParam]) -> str:
    lines = []
    for message in messages:
        content = message["content"]
        blocks = [content] if isinstance(content, str) else content
        for block in blocks:
            lines.append(f"{message['role']}: {describe(block)}")
    return "\n".join(lines)


def describe(block: object) -> str:
    if isinstance(block, str):
        return block
    data = block if isinstance(block, dict) else block.model_dump()
    if data["type"] == "text":
        return data["text"]
    if data["type"] == "tool_use":
        return f"called {data['name']} with {data['input']}"
    return f"tool result: {data.get('content')}"


# --8<-- [end:summary]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = LongTermStore(Path(folder) / "memory.db")
        first = ChatSession("sam", store)
        print(first.send("Hi, I'm Sam. I'm vegetarian and I usually cook for two."))
        later = ChatSession("sam", store)  # a new conversation, days later
        print(later.send("Any quick dinner ideas for tonight that suit my diet?"))
        print(f"recalled: {store.recall('sam', 'vegetarian diet')}")


if __name__ == "__main__":
    main()
