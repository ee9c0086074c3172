"""Build project: a support-answer drafter that chains, caches, verifies, then sends.

Each ticket goes through the whole of Stage 2. Step one extracts the email's
facts into a Pydantic model on the small model. Step two drafts a reply on the
capable model, with the full policy as a cached prefix and the parsed facts in
the request. Before anything is sent, the request is counted against a budget,
and the draft is checked against the policy's rubric by a second call. A draft
that fails gets one revision with the checker's findings; if the revision
fails too, it goes to a human review queue instead of the customer.
"""

from dataclasses import dataclass, field
from typing import Literal

import anthropic

from snippets.stage1.fence import fence
from snippets.stage1.pricing import cost_usd
from snippets.stage1.replies import reply_text
from snippets.stage2.ordering_and_structure import Document, user_turn
from snippets.stage2.prompt_caching import DRAFTER, cached_system
from snippets.stage2.prompt_chaining import TicketFacts, extract_facts
from snippets.stage2.support_policy import load_policy
from snippets.stage2.verify_then_act import check, failures

MODEL = "claude-sonnet-5-5"
MAX_INPUT_TOKENS = 8_000  # the policy is about 4,000; a ticket should never need double

client = anthropic.Anthropic()


class OverBudget(Exception):
    """The draft request is larger than MAX_INPUT_TOKENS."""


@dataclass(frozen=True)
class TicketResult:
    status: Literal["sent", "held"]
    draft: str
    failures: list[str]  # what the checker found in the draft that was sent or held
    draft_usage: list[anthropic.types.Usage]  # one per drafting call


@dataclass
class Outbox:
    """Where verified replies go; in production, your helpdesk's API."""

    sent: list[tuple[str | None, str]] = field(default_factory=list)

    def send(self, order_number: str | None, reply: str) -> None:
        self.sent.append((order_number, reply))


@dataclass
class ReviewQueue:
    """Drafts a person must look at, with the reasons they were held."""

    held: list[tuple[str, str, list[str]]] = field(default_factory=list)

    def hold(self, email: str, draft: str, problems: list[str]) -> None:
        self.held.append((email, draft, problems))


# --8<-- [start:draft]
def first_request(facts: TicketFacts, email: str) -> list[anthropic.types.MessageParam]:
    """The drafting turn: parsed facts and the email first, the task last."""
    documents = [
        Document(
            source="facts extracted from the email",
            text=facts.model_dump_json(indent=2),
        ),
        # The customer's words, fenced: the one part here an attacker writes.
        Document(source="customer email", text=fence(email, "customer email")),
    ]
    return [
        {
            "role": "user",
            "content": user_turn(documents, "Draft the reply to this email."),
        }
    ]


def write(messages: list[anthropic.types.MessageParam]) -> anthropic.types.Message:
    """One drafting call with the policy as a cached prefix, refused if over budget."""
    system = cached_system(load_policy(), DRAFTER)
    counted = client.messages.count_tokens(
        model=MODEL, system=system, messages=messages
    )
    if counted.input_tokens > MAX_INPUT_TOKENS:
        raise OverBudget(
            f"draft request is {counted.input_tokens} tokens, budget {MAX_INPUT_TOKENS}"
        )
    return client.messages.create(
        model=MODEL,
        max_tokens=5_000,  # thinking at high effort, plus a reply of about 200 words
        output_config={"effort": "high"},  # a customer reads it: worth the thought
        system=system,
        messages=messages,
    )


# --8<-- [end:draft]


# --8<-- [start:handle]
def handle_ticket(email: str, outbox: Outbox, review: ReviewQueue) -> TicketResult:
    """Extract, draft, check; revise once if needed; send or hold."""
    facts = extract_facts(email)
    messages = first_request(facts, email)
    drafted = write(messages)
    usage = [drafted.usage]
    draft = reply_text(drafted)  # raises IncompleteReply if it was cut off
    problems = failures(check(draft, email))
    if problems:
        findings = "\n".join(f"- {p}" for p in problems)
        messages = [
            *messages,
            {"role": "assistant", "content": draft},
            {
                "role": "user",
                "content": f"A reviewer found these problems:\n{findings}\n\n"
                "Rewrite the reply to fix every one of them. Output only the reply.",
            },
        ]
        revised = write(messages)
        usage.append(revised.usage)
        draft = reply_text(revised)  # a revision cut off is an error too
        problems = failures(check(draft, email))
    if problems:
        review.hold(email, draft, problems)
        return TicketResult("held", draft, problems, usage)
    outbox.send(facts.order_number, draft)
    return TicketResult("sent", draft, [], usage)


# --8<-- [end:handle]


TICKETS = [
    "Hello, my parcel for order HL-41120 was due last Tuesday and the tracking has "
    "not changed for twelve business days. Can you help? Thanks, Tomas",
    "The wooden handle of my new chef's knife came loose while I was cutting onions "
    "and I nearly cut myself. Order HL-41388. I want a refund today.",
]


def main() -> None:
    outbox, review = Outbox(), ReviewQueue()
    for email in TICKETS:
        result = handle_ticket(email, outbox, review)
        usage = result.draft_usage
        written = sum(u.cache_creation_input_tokens or 0 for u in usage)
        read = sum(u.cache_read_input_tokens or 0 for u in usage)
        cost = sum(cost_usd(MODEL, u) for u in usage)
        print(
            f"{result.status} after {len(usage)} draft(s); cache: {written} tokens "
            f"written, {read} read; drafting cost ${cost:.5f}"
        )
        for problem in result.failures:
            print(f"  held because: {problem}")
    print(f"outbox: {len(outbox.sent)} sent, review queue: {len(review.held)} held")


if __name__ == "__main__":
    main()
