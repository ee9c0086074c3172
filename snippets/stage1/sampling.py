"""Sampling parameters: what temperature changes, and when to leave it alone.

Temperature reshapes the probability of the next token. Lower values make the
model pick likely tokens more often; higher values spread the choice. It does
not make a reply correct, and 0 does not promise identical output on every call.
Most tasks should keep the default. Lower it for labelling and extraction, where
variety is a bug; raise it only when you want several different drafts to pick
from. Set temperature or top_p, never both.
"""

import anthropic

MODEL = "claude-haiku-5-5"

client = anthropic.Anthropic()


# --8<-- [start:label]
def label_sentiment(review: str) -> str:
    """A labelling task: one right answer, so ask for the likeliest token."""
    message = client.messages.create(
        model=MODEL,
        max_tokens=5,
        temperature=0.0,
        system="Label the review. Reply with exactly one word: positive, negative "
        "or mixed.",
        messages=[{"role": "user", "content": review}],
    )
    label = message.content[0].text.strip().lower()
    if label not in {"positive", "negative", "mixed"}:
        raise ValueError(f"unexpected label {label!r} for review {review[:40]!r}")
    return label


# --8<-- [end:label]


# --8<-- [start:drafts]
def draft_subject_lines(announcement: str, count: int = 3) -> list[str]:
    """A generative task: several different drafts, so keep some randomness."""
    drafts = []
    for _ in range(count):
        message = client.messages.create(
            model=MODEL,
            max_tokens=40,
            temperature=1.0,
            system="Write one email subject line for the announcement. "
            "Reply with the subject line only.",
            messages=[{"role": "user", "content": announcement}],
        )
        drafts.append(message.content[0].text.strip())
    return drafts


# --8<-- [end:drafts]


def main() -> None:
    print(label_sentiment("Setup took five minutes, but the docs skip the hard part."))
    for line in draft_subject_lines("Our API now streams responses by default."):
        print("-", line)


if __name__ == "__main__":
    main()
