"""The context window is a budget: measure the parts, trim history, summarise the rest.

Every request is assembled from parts: the system prompt, reference documents,
earlier turns and the new question. Count them with `messages.count_tokens`
before you send, so you know which part is eating the budget. When a request is
over budget, cut the cheapest signal first: the oldest turns of the
conversation, replaced by a short summary from a small model. The system prompt,
the documents the answer depends on and the question itself are never cut; if
they alone do not fit, that is an error to fix upstream, not something to trim.
"""

from dataclasses import dataclass, field, replace

import anthropic

from snippets.stage1.fence import fence
from snippets.stage1.replies import reply_text
from snippets.stage2.ordering_and_structure import Document, user_turn
from snippets.stage2.support_policy import policy_sections, section_tokens

MODEL = "claude-sonnet-5-5"

client = anthropic.Anthropic()


class OverBudget(Exception):
    """The parts that must not be cut are already larger than the budget."""


@dataclass(frozen=True)
class Context:
    system: str
    documents: list[Document]
    question: str
    history: list[anthropic.types.MessageParam] = field(default_factory=list)

    def messages(self) -> list[anthropic.types.MessageParam]:
        """Earlier turns, then one user turn: documents first, question last."""
        final = user_turn(self.documents, self.question)
        return [*self.history, {"role": "user", "content": final}]


# --8<-- [start:measure]
def render(turns: list[anthropic.types.MessageParam]) -> str:
    """Plain-text transcript of string-content turns, one line per turn."""
    names = {"user": "customer", "assistant": "agent"}
    return "\n".join(f"{names[turn['role']]}: {turn['content']}" for turn in turns)


def count(context: Context) -> int:
    """Input tokens of the whole request, counted by the API without running it."""
    counted = client.messages.count_tokens(
        model=MODEL, system=context.system, messages=context.messages()
    )
    return counted.input_tokens


def cost_by_part(context: Context) -> dict[str, int]:
    """Tokens of each part measured on its own, plus the whole request."""
    costs = {"system": section_tokens(context.system)}
    for document in context.documents:
        costs[document.source] = section_tokens(document.text)
    if context.history:
        costs[f"history ({len(context.history)} turns)"] = section_tokens(
            render(context.history)
        )
    costs["question"] = section_tokens(context.question)
    costs["whole request"] = count(context)
    return costs


# --8<-- [end:measure]


# --8<-- [start:fit]
SUMMARY_MODEL = "claude-haiku-5-5"  # summarising is easy work: use the small model
SUMMARY_RESERVE = 200  # budget kept for the summary (80 words) and its tags


def fit_to_budget(context: Context, budget: int) -> Context:
    """Return a context of at most `budget` input tokens, trimming history first."""
    fixed = count(replace(context, history=[]))
    if fixed > budget:
        raise OverBudget(
            f"system, documents and question alone are {fixed} tokens, budget is "
            f"{budget}: load fewer or shorter documents"
        )
    if count(context) <= budget:
        return context
    kept = list(context.history)
    dropped: list[anthropic.types.MessageParam] = []
    while kept and count(replace(context, history=kept)) > budget - SUMMARY_RESERVE:
        dropped += kept[:2]  # one customer turn and the reply to it
        kept = kept[2:]
    summary = Document(
        source="summary of the earlier conversation", text=summarise(dropped)
    )
    trimmed = replace(context, history=kept, documents=[summary, *context.documents])
    if count(trimmed) > budget:
        raise OverBudget(
            f"no room for a summary of the dropped turns within {budget} tokens: "
            "raise the budget or load fewer documents"
        )
    return trimmed


def summarise(turns: list[anthropic.types.MessageParam]) -> str:
    """Condense dropped turns into the facts and open questions worth keeping."""
    message = client.messages.create(
        model=SUMMARY_MODEL,
        max_tokens=1_200,  # low-effort thinking, plus the 80-word summary
        output_config={"effort": "low"},  # condensing a transcript is simple work
        system="You condense support conversations for the agent who takes over.",
        messages=[
            {
                "role": "user",
                "content": f"{fence(render(turns), 'conversation')}\n\n"
                "In at most 80 words, list the facts established, what was "
                "promised, and what is still open. Leave out greetings and thanks.",
            }
        ],
    )
    return reply_text(message)  # raises IncompleteReply if it was cut off


# --8<-- [end:fit]


HISTORY: list[anthropic.types.MessageParam] = [
    {
        "role": "user",
        "content": "Hello, I ordered the 28 cm enamelled casserole on 2 November, "
        "order HL-20417. Tracking said it would arrive by the 7th and it is now the "
        "12th. It was meant to be a birthday present for my mother and the party is "
        "on Saturday, so I am getting worried.",
    },
    {
        "role": "assistant",
        "content": "Thanks for the order number. The tracking for HL-20417 last moved "
        "on 10 November, when it reached the regional depot, so the parcel is still "
        "moving. Please give it until Friday 14 November. If it has not arrived by "
        "then, write back and we will send a new one by express at no charge or "
        "refund the order, whichever you prefer.",
    },
    {
        "role": "user",
        "content": "OK. Can you also tell me whether the casserole can go in the oven "
        "with the lid on, and up to what temperature? My mother mostly bakes bread "
        "in hers. And is it fine on her induction hob?",
    },
    {
        "role": "assistant",
        "content": "Yes to both. The casserole and its lid are oven safe up to 250 "
        "degrees, and the base works on induction, gas, electric and ceramic hobs. "
        "For bread, preheat it empty in the oven rather than on the hob, and avoid "
        "putting it into cold water while it is hot.",
    },
    {
        "role": "user",
        "content": "The parcel arrived this morning, thank you. Unfortunately the lid "
        "has a chip in the enamel on the rim, about the size of a lentil, and the "
        "outer box has a dent in the same corner. I took photos of both.",
    },
    {
        "role": "assistant",
        "content": "I'm sorry it arrived chipped. Chipped enamel on arrival counts as "
        "damage, so we will send a new casserole or refund it in full, your choice. "
        "Please reply with the photos of the chip and the box.",
    },
]


def main() -> None:
    sections = policy_sections()
    context = Context(
        system="You draft replies for Harbour Lane Kitchenware customer support.",
        documents=[
            Document(
                source="policy: damaged parcels",
                text=sections["Lost, late and damaged parcels"],
            ),
            Document(source="policy: voice and tone", text=sections["Voice and tone"]),
        ],
        history=HISTORY,
        question="Photos attached. I'd like a new one rather than a refund, please. "
        "Do I need to send the chipped one back?",
    )
    budget = count(context) - 100  # as if the window were 100 tokens too small
    print(f"budget: {budget} tokens")
    for part, tokens in cost_by_part(context).items():
        print(f"  before  {tokens:>5}  {part}")
    trimmed = fit_to_budget(context, budget)
    for part, tokens in cost_by_part(trimmed).items():
        print(f"  after   {tokens:>5}  {part}")


if __name__ == "__main__":
    main()
