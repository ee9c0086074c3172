"""Structured output: a schema-constrained reply parsed into a typed object.

With `output_config.format` the API constrains the reply to a JSON schema, so
your code receives data instead of prose to scrape. `messages.parse` does the
whole round trip with a Pydantic model: it sends the model's schema and parses
the reply. A schema guarantees shape, not truth, so keep checking what the
schema cannot express, and decide what happens when the model refuses, runs
out of tokens, or returns something your checks reject.
"""

import anthropic
import pydantic

from snippets.stage1.fence import fence
from snippets.stage1.replies import IncompleteReply, check_complete, text_of

MODEL = "claude-sonnet-5-5"

client = anthropic.Anthropic()


# --8<-- [start:model]
class LineItem(pydantic.BaseModel):
    description: str
    quantity: int
    unit_price_eur: float


class Invoice(pydantic.BaseModel):
    vendor: str
    invoice_number: str
    due_date: str = pydantic.Field(description="ISO 8601 date, e.g. 2026-12-31")
    line_items: list[LineItem]
    total_eur: float

    @pydantic.model_validator(mode="after")
    def total_matches_items(self) -> "Invoice":
        items = sum(item.quantity * item.unit_price_eur for item in self.line_items)
        if abs(items - self.total_eur) > 0.01:
            raise ValueError(f"total {self.total_eur} != sum of items {items:.2f}")
        return self


# --8<-- [end:model]

PROMPT = "Extract the invoice fields from this email.\n\n{email}"


# --8<-- [start:parse]
def parse_invoice(email: str) -> Invoice | None:
    """The short form: send the schema, get a typed object back."""
    message = client.messages.parse(
        model=MODEL,
        max_tokens=4_000,  # room for adaptive thinking, then the JSON
        messages=[
            {"role": "user", "content": PROMPT.format(email=fence(email, "email"))}
        ],
        output_format=Invoice,
    )
    return message.parsed_output


# --8<-- [end:parse]


# --8<-- [start:careful]
class ExtractionFailed(Exception):
    """No trustworthy invoice came back; the reason says why."""


def extract_invoice(email: str) -> Invoice:
    """The careful form: check the stop reason before trusting the JSON."""
    message = client.messages.create(
        model=MODEL,
        max_tokens=4_000,
        messages=[
            {"role": "user", "content": PROMPT.format(email=fence(email, "email"))}
        ],
        output_config={
            "format": {
                "type": "json_schema",
                "schema": anthropic.transform_schema(Invoice),
            }
        },
    )
    try:
        check_complete(message)  # a refusal or a cut-off reply is not an invoice
    except IncompleteReply as error:
        raise ExtractionFailed(f"{error}; route this email to a person") from error
    try:
        return Invoice.model_validate_json(text_of(message))
    except pydantic.ValidationError as error:
        raise ExtractionFailed(f"reply failed validation: {error}") from error


# --8<-- [end:careful]

EMAIL = """Hi, please find our invoice INV-2291 from Nordlicht Hosting.
2 x managed Postgres instance at 120.00 EUR each, 1 x backup storage at 35.50 EUR.
Total due: 275.50 EUR by 15 January 2027. Thanks, Jana"""


def main() -> None:
    invoice = parse_invoice(EMAIL)
    print(invoice)
    try:
        checked = extract_invoice(EMAIL)
        due = f"{checked.total_eur:.2f} EUR due {checked.due_date}"
        print(f"{checked.invoice_number}: {due}")
    except ExtractionFailed as error:
        print(f"needs a person: {error}")


if __name__ == "__main__":
    main()
