"""A refusal is an answer, not an error: read `stop_details`, then decide.

A model can decline a request it judges harmful: the API returns a normal 200
reply with `stop_reason: "refusal"` and `stop_details.category` naming the policy
area. Anthropic's advice is to read `stop_details` and retry on a fallback model
where that can help. Their server-side fallback for Sonnet 5.5 retries two
categories (`cyber`, `frontier_llm`) on Sonnet 5 and no others; this module does
the same on the client, which also works where server-side fallback does not
(Haiku 5.5 has none). Any other refusal goes to a person, with its category.
Source: platform.claude.com, "What's new in Claude Sonnet 5.5", read 2026-12-01.
"""

from dataclasses import dataclass

import anthropic

from snippets.stage1.replies import Refused, reply_text

MODEL = "claude-sonnet-5-5"
FALLBACK_MODEL = "claude-sonnet-5"  # the documented fallback for Sonnet 5.5
RETRIED_CATEGORIES = frozenset({"cyber", "frontier_llm"})

client = anthropic.Anthropic()


@dataclass(frozen=True)
class Answer:
    text: str
    model: str  # which model answered: log it, the fallback's quality differs


# --8<-- [start:fallback]
def ask(question: str) -> Answer:
    """Answer with the main model; retry a refusal on the fallback where it helps."""
    message = _create(MODEL, question)
    try:
        return Answer(reply_text(message), MODEL)
    except Refused as refusal:
        details = refusal.stop_details
        if details is None or details.category not in RETRIED_CATEGORIES:
            raise  # bio, reasoning_extraction, general_harms: no retry helps
    # A category the fallback is documented to help with; a second refusal raises.
    return Answer(reply_text(_create(FALLBACK_MODEL, question)), FALLBACK_MODEL)


def _create(model: str, question: str) -> anthropic.types.Message:
    return client.messages.create(
        model=model,
        max_tokens=2_000,
        messages=[{"role": "user", "content": question}],
    )


# --8<-- [end:fallback]


def main() -> None:
    question = "How do I scan my own servers for open ports before an audit?"
    try:
        answer = ask(question)
        print(f"{answer.model}: {answer.text}")
    except Refused as refusal:
        print(f"needs a person: {refusal}")


if __name__ == "__main__":
    main()
