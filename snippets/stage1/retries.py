"""Retries, timeouts and the SDK's error classes.

Rate limits (429) and overload (529) are normal operating weather, not bugs.
The SDK already retries connection errors, 408, 409, 429 and 5xx responses with
exponential backoff and honours the `retry-after` header: configure it on the
client instead of writing your own loop. Then handle what is left by class:
a 400 will fail the same way every time, a 429 that survives the retries means
you are over your limit and the caller should slow down, and a 529 that survives
them is a reason to fall back to another model.

The client's `timeout` bounds one attempt, not the call: with two retries, a call
can take three timeouts plus the backoff between them. `deadline.py` shows a
bound on the whole operation.
"""

import anthropic

from snippets.stage1.replies import reply_text

MODEL = "claude-sonnet-5-5"
FALLBACK_MODEL = "claude-haiku-5-5"

# --8<-- [start:client]
client = anthropic.Anthropic(
    max_retries=2,  # retries after the first attempt, with exponential backoff
    timeout=30.0,  # seconds per attempt; with retries a call can take ~3x this
)
# --8<-- [end:client]


class RateLimited(Exception):
    """Still rate limited after the SDK's retries; the caller should wait."""

    def __init__(self, retry_after_s: float | None) -> None:
        super().__init__(f"rate limited; retry after {retry_after_s} s")
        self.retry_after_s = retry_after_s


# --8<-- [start:handle]
def summarise(text: str) -> str:
    """Summarise text; fall back to a smaller model if the main one is overloaded."""
    messages: list[anthropic.types.MessageParam] = [
        {"role": "user", "content": f"Summarise in one sentence:\n\n{text}"}
    ]
    # A one-sentence summary needs little deliberation; low effort keeps the
    # thinking (which counts toward max_tokens) short on both models.
    request = {"max_tokens": 1_000, "output_config": {"effort": "low"}}
    try:
        message = client.messages.create(model=MODEL, messages=messages, **request)
    except anthropic.OverloadedError:
        # 529 after every retry: the model is busy, not your request wrong.
        message = client.messages.create(
            model=FALLBACK_MODEL, messages=messages, **request
        )
    except anthropic.RateLimitError as error:
        # 429 after every retry: tell the caller how long to wait.
        retry_after = error.response.headers.get("retry-after")
        raise RateLimited(float(retry_after) if retry_after else None) from error
    # BadRequestError (400), AuthenticationError (401) and NotFoundError (404)
    # propagate: retrying cannot fix them, so fail loudly.
    return reply_text(message)


# --8<-- [end:handle]


def main() -> None:
    try:
        print(
            summarise(
                "The nightly export job now writes Parquet instead of CSV, which "
                "cut its output from 40 GB to 6 GB."
            )
        )
    except RateLimited as error:
        print(f"try again in {error.retry_after_s} s")


if __name__ == "__main__":
    main()
