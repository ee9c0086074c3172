"""Voice: give text-to-speech one sentence at a time, as soon as each is written.

A voice pipeline runs speech-to-text, then the model, then text-to-speech. The
caller hears nothing until the first sentence has been synthesised, so waiting for
the whole reply wastes most of the latency budget. Stream the reply, cut it into
sentences as they complete, hand each one to the speech engine at once, and
measure the time to the first sentence: that is the model's share of the budget.
Thinking comes before the first word, so a voice turn turns it off. Write the
system prompt for the ear: short sentences, nothing that only works on a screen.
"""

import re
import time
from collections.abc import Iterable, Iterator

import anthropic

from snippets.stage1.replies import IncompleteReply, check_complete

MODEL = "claude-haiku-5-5"  # small and fast: a voice turn has no time to spare

client = anthropic.Anthropic()

# --8<-- [start:prompt]
SPOKEN_STYLE = (
    "You answer phone calls for Lindenblatt Bikes, a bicycle repair shop. "
    "Reply in at most three short sentences of plain speech. "
    "No lists, no markdown, no links, no emoji. "
    "Say times and numbers the way a person says them aloud."
)
# --8<-- [end:prompt]


# --8<-- [start:sentences]
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")  # "3.5" stays whole: no space after


def sentences(chunks: Iterable[str]) -> Iterator[str]:
    """Regroup streamed text chunks into sentences, each as soon as it is complete."""
    pending = ""
    for chunk in chunks:
        pending += chunk
        *complete, pending = SENTENCE_END.split(pending)
        yield from (sentence.strip() for sentence in complete)
    if pending.strip():
        yield pending.strip()


# --8<-- [end:sentences]


# --8<-- [start:answer]
def speak(sentence: str) -> None:
    """Where a streaming text-to-speech engine would start talking; here it prints."""
    print(f"tts <- {sentence}")


def answer_caller(transcript: str) -> float | None:
    """Stream the reply to speech sentence by sentence.

    Returns the seconds until the first sentence was ready, or None if the model
    said nothing. Raises IncompleteReply if the reply was cut off or declined,
    after whatever was spoken: speech cannot be taken back, so hand over.
    """
    started = time.perf_counter()
    first_sentence_at = None
    with client.messages.stream(
        model=MODEL,
        max_tokens=200,  # three short sentences, and no thinking to pay for
        # The caller hears silence while the model thinks, so turn thinking off.
        # Haiku 5.5 allows it at effort high or below; on Sonnet 5.5 send
        # {"type": "between_tools"} instead, and Opus 5.5 always thinks.
        thinking={"type": "disabled"},
        output_config={"effort": "low"},  # short, direct replies
        system=SPOKEN_STYLE,
        messages=[{"role": "user", "content": transcript}],
    ) as stream:
        for sentence in sentences(stream.text_stream):
            if first_sentence_at is None:
                first_sentence_at = time.perf_counter() - started
            speak(sentence)
        check_complete(stream.get_final_message())
    return first_sentence_at


# --8<-- [end:answer]

# What a speech-to-text engine hands over: no capitals, no punctuation, fillers kept.
TRANSCRIPT = (
    "uh hi are you open on sunday and can i just bring my bike in for a repair "
    "without booking"
)


def main() -> None:
    try:
        seconds = answer_caller(TRANSCRIPT)
    except IncompleteReply as error:
        print(f"reply stopped early, hand the call to a person: {error}")
        return
    if seconds is None:
        print("no reply: hand the call to a person")
    else:
        print(f"first sentence ready after {seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main()
