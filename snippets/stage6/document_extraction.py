"""Documents and images in, typed data out: a receipt read from a PDF or a photo.

Claude reads files sent as base64 content blocks: a PDF goes in a `document` block,
a photo or a scan in an `image` block. Decide the type from the file's first bytes,
not its name; put the file before the question; ask for a JSON schema; check the
stop reason before you parse; and check what no schema can express, here that the
lines add up to the total. Anything that fails goes to a person with the reason
attached.

Run it on the sample receipt, or on your own file:

    python -m snippets.stage6.document_extraction [path/to/receipt.pdf|.png|.jpg]
"""

import base64
import datetime
import sys
from pathlib import Path
from typing import Literal

import anthropic
import pydantic
from anthropic.types import DocumentBlockParam, ImageBlockParam

from snippets.stage1.replies import IncompleteReply, reply_text

MODEL = "claude-sonnet-5-5"
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "stage6" / "receipt.pdf"

client = anthropic.Anthropic()


# --8<-- [start:block]
MAX_REQUEST_BYTES = 32_000_000  # the API's 32 MB limit, for the whole request
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}


class UnsupportedFile(ValueError):
    """The file cannot be sent as it is; the message says what to do instead."""


def media_type_of(data: bytes) -> str:
    """The media type from the file's first bytes: file names lie."""
    for signature, media_type in SIGNATURES.items():
        if data.startswith(signature):
            return media_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    raise UnsupportedFile("not a PDF, PNG, JPEG, GIF or WebP; convert it first")


def file_block(path: Path) -> DocumentBlockParam | ImageBlockParam:
    """A base64 content block for a PDF (document) or an image."""
    data = path.read_bytes()
    media_type = media_type_of(data)
    encoded = base64.standard_b64encode(data).decode("ascii")
    if len(encoded) > MAX_REQUEST_BYTES:
        raise UnsupportedFile(
            f"{len(encoded):,} bytes once base64-encoded, over the request limit; "
            "split the PDF or shrink the image"
        )
    source = {"type": "base64", "media_type": media_type, "data": encoded}
    kind = "document" if media_type == "application/pdf" else "image"
    return {"type": kind, "source": source}


# --8<-- [end:block]


# --8<-- [start:schema]
class ReceiptLine(pydantic.BaseModel):
    description: str
    quantity: int
    amount_eur: float = pydantic.Field(description="price of the whole line")


class Receipt(pydantic.BaseModel):
    merchant: str
    date: datetime.date
    lines: list[ReceiptLine]
    total_eur: float
    paid_by: Literal["cash", "card", "unknown"]

    @pydantic.model_validator(mode="after")
    def lines_add_up(self) -> "Receipt":
        lines = sum(line.amount_eur for line in self.lines)
        if abs(lines - self.total_eur) > 0.005:
            raise ValueError(f"lines add up to {lines:.2f}, not {self.total_eur:.2f}")
        return self


# --8<-- [end:schema]


# --8<-- [start:extract]
PROMPT = (
    "Extract the receipt in this file. Copy every amount exactly as printed. "
    "If the payment method is not printed, use unknown."
)


class UnreadableDocument(Exception):
    """No trustworthy receipt came back; a person should look at the file."""


def extract_receipt(path: Path) -> Receipt:
    """Send the file, then the question, and parse the reply into a Receipt."""
    content = [file_block(path), {"type": "text", "text": PROMPT}]
    message = client.messages.create(
        model=MODEL,
        max_tokens=4096,  # the thinking, then a receipt of a few dozen lines
        output_config={
            # Medium, stated: Sonnet 5.5 defaults to high. Reading every line of a
            # receipt deserves some care; the arithmetic is checked in code anyway.
            "effort": "medium",
            "format": {
                "type": "json_schema",
                "schema": anthropic.transform_schema(Receipt),
            },
        },
        messages=[{"role": "user", "content": content}],
    )
    try:
        return Receipt.model_validate_json(reply_text(message))
    except IncompleteReply as error:  # declined, or cut off at max_tokens
        raise UnreadableDocument(str(error)) from error
    except pydantic.ValidationError as error:
        raise UnreadableDocument(error.errors()[0]["msg"]) from error


# --8<-- [end:extract]


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE
    try:
        receipt = extract_receipt(path)
    except (UnsupportedFile, UnreadableDocument) as error:
        print(f"needs a person: {path.name}: {error}")
        return
    print(f"{receipt.merchant}, {receipt.date:%d %B %Y}")
    for line in receipt.lines:
        print(f"  {line.quantity} x {line.description:<20} {line.amount_eur:>6.2f}")
    print(f"  total {receipt.total_eur:.2f} EUR, paid by {receipt.paid_by}")


if __name__ == "__main__":
    main()
