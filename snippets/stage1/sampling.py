"""Sampling in 2026: temperature is gone, so constrain the output instead.

For years `temperature` (and `top_p`, `top_k`) was the knob people turned for
consistency or variety. Current Claude models do not accept these parameters,
and the `anthropic` SDK 2.x no longer has them: code copied from an older guide
fails with a TypeError before it sends anything. The levers that replaced them
are better ones:

- consistency: constrain the answer with structured output (an enum leaves the
  model nothing else to say);
- variety: ask for several distinct options in one call, instead of hoping
  randomness spreads repeated calls apart;
- speed and cost against depth: `output_config.effort`.
"""

from typing import Literal

import anthropic
import pydantic

from snippets.stage1.replies import parsed

MODEL = "claude-haiku-5-5"

client = anthropic.Anthropic()


# --8<-- [start:label]
class Sentiment(pydantic.BaseModel):
    label: Literal["positive", "negative", "mixed"]


def label_sentiment(review: str) -> str:
    """Consistency by constraint: the schema allows exactly three answers."""
    message = client.messages.parse(
        model=MODEL,
        max_tokens=1_000,  # a ceiling, not a cost: room for thinking, then the label
        output_config={"effort": "low"},  # a one-word judgement needs little thought
        messages=[{"role": "user", "content": f"Label this review:\n\n{review}"}],
        output_format=Sentiment,
    )
    return parsed(message).label  # raises on a refusal or a reply cut off mid-JSON


# --8<-- [end:label]


# --8<-- [start:drafts]
class SubjectLines(pydantic.BaseModel):
    lines: list[str]


def draft_subject_lines(announcement: str, count: int = 3) -> list[str]:
    """Variety by instruction: one call that asks for distinct options."""
    message = client.messages.parse(
        model=MODEL,
        max_tokens=2_000,  # Haiku 5.5 thinks at medium effort by default
        messages=[
            {
                "role": "user",
                "content": f"Write {count} email subject lines for this announcement. "
                "Each must take a different angle: benefit, change, question.\n\n"
                f"{announcement}",
            }
        ],
        output_format=SubjectLines,
    )
    drafts = parsed(message).lines
    if len(set(drafts)) != count:
        raise ValueError(f"asked for {count} distinct drafts, got {drafts!r}")
    return drafts


# --8<-- [end:drafts]


def main() -> None:
    print(label_sentiment("Setup took five minutes, but the docs skip the hard part."))
    for line in draft_subject_lines("Our API now streams responses by default."):
        print("-", line)


if __name__ == "__main__":
    main()
