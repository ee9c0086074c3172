"""A structured step returns a valid object or stops: never None, never half a result.

Chains, few-shot classifiers and checkers all rely on one call returning data
the next piece of code can trust. `messages.parse` validates the reply against
a Pydantic model, but it cannot tell you whether the model finished. JSON cut
off at `max_tokens` fails validation deep inside the SDK; a refusal, or a reply
whose whole `max_tokens` went on thinking, comes back with no JSON at all. Wrap
the call once: check the stop reason with the Stage 1 helper, turn every
failure into one named exception, and let it stop whatever depends on the
result.

On the Claude 5.5 models thinking is on by default and comes out of
`max_tokens`, so each step states its effort and leaves room for the thinking
as well as the answer.
"""

from typing import Literal, TypeVar

import anthropic
import pydantic

from snippets.stage1.replies import IncompleteReply, check_complete

MODEL = "claude-haiku-5-5"

client = anthropic.Anthropic()

Parsed = TypeVar("Parsed", bound=pydantic.BaseModel)
Effort = Literal["low", "medium", "high", "xhigh", "max"]


class StepFailed(Exception):
    """A step produced nothing usable; nothing that depends on it may run."""


# --8<-- [start:step]
def parse_step(
    *,
    model: str,
    system: str | list[anthropic.types.TextBlockParam],
    user: str,
    output_format: type[Parsed],
    effort: Effort,
    max_tokens: int,  # thinking at this effort, plus the longest answer you accept
) -> Parsed:
    """One call whose reply must be finished and validate against `output_format`."""
    name = output_format.__name__
    try:
        message = client.messages.parse(
            model=model,
            max_tokens=max_tokens,
            output_config={"effort": effort},
            system=system,
            messages=[{"role": "user", "content": user}],
            output_format=output_format,
        )
    except pydantic.ValidationError as error:  # JSON cut off mid-way, or prose
        raise StepFailed(f"{name}: the reply does not validate: {error}") from error
    try:
        check_complete(message)  # a refusal, or max_tokens spent before any JSON
    except IncompleteReply as error:
        raise StepFailed(f"{name}: {error}") from error
    if message.parsed_output is None:  # finished, but wrote no JSON
        raise StepFailed(f"{name}: the reply has no JSON to parse")
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
        effort="low",  # a one-word judgement needs little thought
        max_tokens=1_000,
    )
    print(f"{result.label} ({result.confidence:.2f})")


if __name__ == "__main__":
    main()
