"""An end-to-end deadline: a bound on the whole call, retries and backoff included.

The SDK's `timeout` applies to each attempt. A caller with a budget (a web request
that must answer in ten seconds) needs a bound on the operation instead: every
attempt, every backoff sleep, and the fallback. `asyncio.timeout` gives exactly
that: when the time is up it cancels whatever is in flight, and the caller gets
one clear exception.
"""

import asyncio

import anthropic

from snippets.stage1.replies import reply_text

MODEL = "claude-haiku-5-5"

client = anthropic.AsyncAnthropic(max_retries=2, timeout=10.0)


class DeadlineExceeded(Exception):
    """The whole operation ran past its budget; nothing usable came back."""


# --8<-- [start:deadline]
async def answer_within(question: str, seconds: float) -> str:
    """Answer, or raise DeadlineExceeded once `seconds` have passed in total."""
    try:
        async with asyncio.timeout(seconds):
            message = await client.messages.create(
                model=MODEL,
                max_tokens=1_000,
                output_config={"effort": "low"},  # a short lookup: little to think
                messages=[{"role": "user", "content": question}],
            )
    except TimeoutError:
        raise DeadlineExceeded(
            f"no answer within {seconds} s (attempts and backoff included)"
        ) from None
    return reply_text(message)


# --8<-- [end:deadline]


def main() -> None:
    try:
        print(asyncio.run(answer_within("Which HTTP status means rate limited?", 10)))
    except DeadlineExceeded as error:
        print(f"gave up: {error}")


if __name__ == "__main__":
    main()
