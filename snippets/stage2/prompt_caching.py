"""Prompt caching: pay full price for the stable prefix once, then read it cheaply.

A support assistant sends the same 4,000-token policy with every request. Mark
the end of that stable prefix with `cache_control` and the API stores it: the
first request writes the cache (billed a little above the input price), later
requests with a byte-identical prefix read it (billed at a small fraction, and
faster). The usage fields say which happened. Order matters: the cache covers
everything up to the breakpoint, so the shared, stable text goes first and
whatever varies (role instructions, the question) comes after it. A prefix
shorter than the model's minimum is silently not cached; check the usage.
"""

import anthropic

from snippets.stage1.pricing import cost_usd
from snippets.stage1.replies import check_complete
from snippets.stage2.support_policy import load_policy

MODEL = "claude-sonnet-5-5"

client = anthropic.Anthropic()


# --8<-- [start:prefix]
def cached_system(
    reference: str, instructions: str
) -> list[anthropic.types.TextBlockParam]:
    """The reference text first, marked as a cache breakpoint, then the instructions.

    Every caller that sends the same reference to the same model shares one cache
    entry, whatever instructions it puts after the breakpoint.
    """
    return [
        {
            "type": "text",
            "text": reference,
            "cache_control": {"type": "ephemeral"},  # 5 minutes, refreshed on each read
        },
        {"type": "text", "text": instructions},
    ]


# --8<-- [end:prefix]


# --8<-- [start:ask]
DRAFTER = (
    "You draft replies for Harbour Lane Kitchenware customer support, following "
    "the policy above exactly. When it does not cover a case, say an agent will reply."
)


def ask(question: str, reference: str) -> anthropic.types.Message:
    """One question answered from the reference, which is sent as a cached prefix."""
    message = client.messages.create(
        model=MODEL,
        max_tokens=1_500,  # thinking at low effort, plus a short answer
        output_config={"effort": "low"},  # a look-up; thinking is billed as output
        system=cached_system(reference, DRAFTER),
        messages=[{"role": "user", "content": question}],
    )
    return check_complete(message)  # raises IncompleteReply unless it finished


def cache_line(usage: anthropic.types.Usage) -> str:
    """What the usage fields say about the cache, and what the request cost."""
    return (
        f"written to cache: {usage.cache_creation_input_tokens or 0:>5}  "
        f"read from cache: {usage.cache_read_input_tokens or 0:>5}  "
        f"uncached input: {usage.input_tokens:>4}  "
        f"cost: ${cost_usd(MODEL, usage):.5f}"
    )


# --8<-- [end:ask]


def main() -> None:
    for question in (
        "A customer's parcel tracking shows no movement for eleven business days. "
        "What can we offer?",
        "Can a customer return a knife they have already sharpened?",
    ):
        message = ask(question, load_policy())
        print(cache_line(message.usage))


if __name__ == "__main__":
    main()
