"""Prompt chaining: step one's structured output, parsed, feeds step two.

One prompt that extracts, decides and writes at once fails in ways you cannot
see. Split it: step one extracts the facts of a customer email into a Pydantic
model (`messages.parse`, on the small model); your code then uses those facts to
choose which policy sections step two needs; step two drafts the reply from the
facts, the email and only those sections. Each step can be tested, logged and
retried on its own, and a bad extraction fails loudly at the parse instead of
quietly producing a wrong reply.
"""

from typing import Literal

import anthropic
from pydantic import BaseModel

from snippets.stage1.fence import fence
from snippets.stage1.replies import reply_text
from snippets.stage2.ordering_and_structure import Document, user_turn
from snippets.stage2.structured_step import parse_step
from snippets.stage2.support_policy import policy_sections

EXTRACT_MODEL = "claude-haiku-5-5"  # extraction: small, fast, cheap
MODEL = "claude-sonnet-5-5"  # writing to a customer: the capable default

client = anthropic.Anthropic()

SYSTEM = "You draft replies for Harbour Lane Kitchenware customer support."


# --8<-- [start:step1]
class TicketFacts(BaseModel):
    customer_name: str | None
    order_number: str | None  # exactly as written, e.g. HL-20417
    items: list[str]
    issue: Literal["late_or_lost", "damaged", "return", "refund", "warranty", "other"]
    customer_wants: str
    mentions_safety_risk: bool


def extract_facts(email: str) -> TicketFacts:
    """Step one: the facts of the email, validated against TicketFacts."""
    return parse_step(
        model=EXTRACT_MODEL,
        system="Extract facts from customer emails. Use null for anything not stated.",
        user=fence(email, "customer email"),  # a tag the email cannot close
        output_format=TicketFacts,
        effort="low",  # copying facts out of an email needs little thought
        max_tokens=1_500,
    )


# --8<-- [end:step1]


# --8<-- [start:step2]
SECTIONS_FOR_ISSUE = {
    "late_or_lost": ["Shipping and delivery", "Lost, late and damaged parcels"],
    "damaged": ["Lost, late and damaged parcels", "Returns"],
    "return": ["Returns", "Refunds"],
    "refund": ["Refunds"],
    "warranty": ["Warranty", "Product care and safety"],
    "other": ["When to escalate to a human"],
}
ALWAYS = ["Voice and tone", "Formatting replies"]


def documents_for(facts: TicketFacts, email: str) -> list[Document]:
    """Only the policy sections this issue needs, then the facts and the email."""
    sections = policy_sections()
    titles = ALWAYS + SECTIONS_FOR_ISSUE[facts.issue]
    if facts.mentions_safety_risk and "Product care and safety" not in titles:
        titles.append("Product care and safety")
    return [
        *(
            Document(source=f"policy: {title}", text=sections[title])
            for title in titles
        ),
        Document(
            source="facts extracted from the email",
            text=facts.model_dump_json(indent=2),
        ),
        Document(source="customer email", text=fence(email, "customer email")),
    ]


def draft_reply(facts: TicketFacts, email: str) -> str:
    """Step two: a reply drafted from step one's facts and the chosen sections."""
    message = client.messages.create(
        model=MODEL,
        max_tokens=5_000,  # thinking at high effort, plus a reply of about 200 words
        output_config={"effort": "high"},  # a customer reads it: worth the thought
        system=SYSTEM,
        messages=[
            {
                "role": "user",
                "content": user_turn(
                    documents_for(facts, email),
                    "Draft the reply to this customer email. Use the facts as given.",
                ),
            }
        ],
    )
    return reply_text(message)  # raises IncompleteReply unless it finished


def run_chain(email: str) -> tuple[TicketFacts, str]:
    """Both steps; if step one fails, StepFailed stops the chain before step two."""
    facts = extract_facts(email)
    return facts, draft_reply(facts, email)


# --8<-- [end:step2]


EMAIL = (
    "Hi, this is Priya. My order HL-20417 arrived today: the 24 cm frying pan is "
    "fine but the enamelled casserole has a chip on the lid, and the box was "
    "dented. I'd like a replacement casserole please, not a refund. Photos attached."
)


def main() -> None:
    facts, draft = run_chain(EMAIL)
    print(facts.model_dump_json(indent=2))
    print(draft)


if __name__ == "__main__":
    main()
