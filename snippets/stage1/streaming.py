"""Streaming: show the first words while the rest is still being written.

A non-streamed call returns nothing until the whole reply exists. For a reader
waiting on a screen, what matters is the time to first token (TTFT): stream the
reply and print each piece as it arrives. With adaptive thinking on, the first
*text* arrives only after the model has thought, so effort moves TTFT too.
`text_stream` yields text only; thinking blocks stream as their own events. The
final message, with its usage and stop reason, is still available when the stream
ends, and is checked like any other reply.
"""

import sys
import time
from dataclasses import dataclass

import anthropic

from snippets.stage1.replies import reply_text

MODEL = "claude-sonnet-5-5"

client = anthropic.Anthropic()


@dataclass
class StreamedReply:
    text: str
    stop_reason: str | None
    time_to_first_token_s: float
    total_s: float


# --8<-- [start:stream]
def stream_reply(question: str) -> StreamedReply:
    """Print the reply as it is generated and measure time to first token."""
    started = time.perf_counter()
    first_token_at: float | None = None
    with client.messages.stream(
        model=MODEL,
        max_tokens=2_000,  # thinking at Sonnet 5.5's default effort, then the answer
        messages=[{"role": "user", "content": question}],
    ) as stream:
        for text in stream.text_stream:
            if first_token_at is None:
                first_token_at = time.perf_counter()
            sys.stdout.write(text)
            sys.stdout.flush()
        message = stream.get_final_message()
    finished = time.perf_counter()
    sys.stdout.write("\n")
    return StreamedReply(
        text=reply_text(message),  # raises if the stream ended incomplete
        stop_reason=message.stop_reason,
        time_to_first_token_s=(first_token_at or finished) - started,
        total_s=finished - started,
    )


# --8<-- [end:stream]


def main() -> None:
    reply = stream_reply("Explain in four sentences why streaming helps a chat UI.")
    print(
        f"time to first token: {reply.time_to_first_token_s:.2f}s, "
        f"total: {reply.total_s:.2f}s, stop_reason: {reply.stop_reason}"
    )


if __name__ == "__main__":
    main()
