"""A structured step returns a valid object or stops: never None, never half a result.

Chains, few-shot classifiers and checkers all rely on one call returning data
the next piece of code can trust. `messages.parse` validates the reply against
a Pydantic model, but a refusal or a reply cut off at `max_tokens` still gets
through as an empty result or a validation error deep inside the SDK. Wrap the
call once, turn both into one named exception, and let it stop whatever
depends on the result.
"""

from typing import Literal, TypeVar

import anthropic
import pydantic

MODEL = "claude-haiku-5-5"

client = anthropic.Anthropic()

Parsed = TypeVar("Parsed", bound=pydantic.BaseModel)


class StepFailed(Exception):
    """A step produced nothing usable; nothing that depends on it may run."""


# --8<-- [start:step]
def parse_step(
    *,
    model: str,
    system: str | list[anthropic.types.TextBlockParam],
    user: str,
    output_format: type[Parsed],
    max_tokens: int,
) -> Parsed:
    """One call whose reply must validate against `output_format`."""
    name = output_format.__name__
    try:
        message = client.messages.parse(
            model=model,
            max_tokens=max_tokens,
            system=system,
            messages=[{"role": "user", "content": user}],
            output_format=output_format,
        )
    except pydantic.ValidationError as error:  # truncated JSON, or prose
        raise StepFailed(f"{name}: the reply does not validate: {error}") from error
    if message.parsed_output is None:  # no text at all, e.g. a refusal
        raise StepFailed(
            f"{name}: nothing to parse (stop_reason={message.stop_reason})"
        )
    return message.parsed_output


# --8<-- [end:step]


class Sentiment(pydantic.BaseModel):
    label: Literal["positive", "negative", "mixed"]
    confidence: float


def main() -> None:
    result = parse_step(
        model=MODEL,
        system="Classify the sentiment of customer messages.",
        user="The new pan is lovely, but it took three weeks to arrive.",
        output_format=Sentiment,
        max_tokens=200,
    )
    print(f"{result.label} ({result.confidence:.2f})")


if __name__ == "__main__":
    main()
