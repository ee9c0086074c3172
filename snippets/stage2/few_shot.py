"""Few-shot examples done well, and the pitfall: examples the model copies.

A handful of worked examples teaches what instructions cannot: where the
boundary between two categories lies and what a good summary sounds like. Make
them relevant (real tickets, not toy ones), diverse (every category, short and
long, calm and angry, one ticket with two problems) and clearly fenced in
<example> tags. The pitfall is that the model imitates surface details too:
an example's order number or wording turns up in an answer about a different
ticket. That is checkable: any run of words the answer shares with an example
but not with the ticket it is about was copied, and the answer is rejected.
"""

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel

from snippets.stage1.fence import fence
from snippets.stage2.structured_step import parse_step

MODEL = "claude-haiku-5-5"  # triage is high-volume and simple: the small model
COPY_RUN = 6  # words in a row shared with an example (and not the ticket) = copied


class Triage(BaseModel):
    category: Literal["delivery", "damage", "return", "refund", "warranty", "other"]
    urgency: Literal["low", "normal", "high"]
    summary: str  # one sentence for the agent's queue


class CopiedExample(Exception):
    """The answer reuses wording from an example instead of describing this ticket."""


@dataclass(frozen=True)
class Example:
    ticket: str
    triage: Triage


# --8<-- [start:examples]
EXAMPLES = [
    Example(
        "Where is my order HL-31877? It said Tuesday and it's Thursday.",
        Triage(
            category="delivery",
            urgency="normal",
            summary="Order HL-31877 is two days past its delivery estimate.",
        ),
    ),
    Example(
        "I am FURIOUS. The glass lid of the stockpot shattered on the hob last night "
        "and there is glass all over my kitchen. My daughter was standing right next "
        "to it. What are you going to do about this?",
        Triage(
            category="warranty",
            urgency="high",
            summary="Glass lid shattered during use near a child; safety claim.",
        ),
    ),
    Example(
        "hi, bought the wrong size baking tin (wanted 24cm not 20cm), never opened. "
        "can i swap it? also the 20cm one had a small dent but whatever",
        Triage(
            category="return",
            urgency="low",
            summary="Wants to swap an unopened 20 cm tin for 24 cm; tin also dented.",
        ),
    ),
    Example(
        "Good afternoon. I sent back the chef's knife on the 3rd and your tracking "
        "shows you received it on the 6th, but I have not seen any money yet. Could "
        "you tell me when to expect it?",
        Triage(
            category="refund",
            urgency="normal",
            summary="Returned chef's knife received on the 6th; refund not yet seen.",
        ),
    ),
]

INSTRUCTIONS = (
    "Triage Harbour Lane Kitchenware support tickets for the agents' queue. Choose "
    "the category the agent must act on; when a ticket raises two problems, choose "
    "the one that blocks the customer. Urgency is high for anything that could "
    "hurt someone, normal when the customer is waiting on us, low otherwise. The "
    "summary is one sentence about this ticket only."
)


def system_prompt() -> str:
    """Instructions, then the examples fenced in <examples> tags."""
    blocks = [
        f"<example>\n<ticket>\n{ex.ticket}\n</ticket>\n"
        f"<triage>\n{ex.triage.model_dump_json()}\n</triage>\n</example>"
        for ex in EXAMPLES
    ]
    return f"{INSTRUCTIONS}\n\n<examples>\n" + "\n".join(blocks) + "\n</examples>"


# --8<-- [end:examples]


# --8<-- [start:copy-check]
def word_runs(text: str, length: int) -> set[tuple[str, ...]]:
    words = [w.strip(".,;:!?()\"'").lower() for w in text.split()]
    return {tuple(words[i : i + length]) for i in range(len(words) - length + 1)}


def copied_from_examples(summary: str, ticket: str) -> list[str]:
    """Runs of COPY_RUN words the summary shares with an example but not the ticket."""
    from_examples: set[tuple[str, ...]] = set()
    for example in EXAMPLES:
        text = f"{example.ticket} {example.triage.summary}"
        from_examples |= word_runs(text, COPY_RUN)
    copied = word_runs(summary, COPY_RUN) & (
        from_examples - word_runs(ticket, COPY_RUN)
    )
    return sorted(" ".join(run) for run in copied)


def triage(ticket: str) -> Triage:
    """Triage one ticket; reject an answer that copies an example."""
    result = parse_step(
        model=MODEL,
        system=system_prompt(),
        user=fence(ticket, "ticket"),  # a tag the ticket cannot close
        output_format=Triage,
        effort="low",  # runs on every ticket: a label needs speed, not deep thought
        max_tokens=1_000,
    )
    copied = copied_from_examples(result.summary, ticket)
    if copied:
        raise CopiedExample(f"summary copies example wording: {copied}")
    return result


# --8<-- [end:copy-check]


def main() -> None:
    for ticket in (
        "The handle on my cast iron skillet is fine but the pan has a crack running "
        "from the rim into the base. I only ever use it on gas. Order HL-20998.",
        "Can I still add a gift note to the order I placed twenty minutes ago?",
    ):
        result = triage(ticket)
        print(f"{result.category:<9} {result.urgency:<7} {result.summary}")


if __name__ == "__main__":
    main()
