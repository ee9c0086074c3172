"""The Stage 1 project: a support-ticket classifier that is boringly reliable.

Boring means: the output is always one of the allowed labels (a schema makes
anything else impossible), the label definitions live in the prompt rather than
in the model's guesses, effort is set low because choosing a label needs
little deliberation, and every failure is an exception with a reason, never a silent
default. Whether it is also *right* is measured separately, on a labelled set:
see `evaluate_classifier`.
"""

from typing import Literal

import anthropic
import pydantic

from snippets.stage1.fence import fence
from snippets.stage1.replies import IncompleteReply, parsed

MODEL = "claude-haiku-5-5"

client = anthropic.Anthropic()

# --8<-- [start:labels]
Category = Literal["billing", "bug", "feature_request", "account", "other"]
Priority = Literal["low", "normal", "urgent"]


class TicketLabel(pydantic.BaseModel):
    category: Category
    priority: Priority


SYSTEM = """You triage support tickets for a B2B software company.

Categories:
- billing: charges, refunds, invoices, plans and prices
- bug: the product behaves wrongly or is down
- feature_request: asks for something the product does not do yet
- account: login, users, permissions, data deletion, ownership
- other: anything else

Priorities:
- urgent: production is broken, someone is locked out, or a stated deadline is days away
- normal: a real problem with a workaround or no deadline
- low: questions, wishes and cosmetic issues"""
# --8<-- [end:labels]


class ClassificationFailed(Exception):
    """The ticket could not be labelled; send it to the human queue."""


# --8<-- [start:classify]
def classify(ticket: str) -> TicketLabel:
    """Label one ticket, or raise ClassificationFailed with the reason."""
    try:
        message = client.messages.parse(
            model=MODEL,
            max_tokens=1_000,  # a ceiling: low-effort thinking, then a short JSON
            output_config={"effort": "low"},
            system=SYSTEM,
            # The ticket is a customer's text: fenced, so it cannot close its tag.
            messages=[{"role": "user", "content": fence(ticket, "ticket")}],
            output_format=TicketLabel,
        )
    except pydantic.ValidationError as error:
        # A refusal, or JSON cut off by max_tokens, does not fit the schema.
        raise ClassificationFailed(f"reply did not fit the schema: {error}") from error
    try:
        return parsed(message)
    except (IncompleteReply, ValueError) as error:
        raise ClassificationFailed(f"no label: {error}") from error


# --8<-- [end:classify]


def main() -> None:
    label = classify("Checkout fails for every customer with a 502 since 09:00.")
    print(f"{label.category} / {label.priority}")


if __name__ == "__main__":
    main()
