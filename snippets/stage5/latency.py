"""Latency: stream to cut the wait for the first token, run independent calls at once.

Two numbers describe a model call's latency: time to first token (TTFT), which is
what a person watching a screen feels, and total time, which is what a pipeline
waiting for the whole answer feels. Streaming lowers the first and not the second.
On the 5.5 models the reply starts with thinking, so the first text waits for it:
the effort you set moves both numbers. For many independent calls (a batch of
tickets, the judge over a test set) the lever is concurrency: send them together,
with a limit so that you stay inside your rate limits, and the wall-clock time
drops towards that of the slowest call. Report percentiles, not averages: users
remember the slow ones.
"""

import asyncio
import json
import statistics
import time
from dataclasses import dataclass

import anthropic

from snippets.stage1.evaluate_classifier import LABELLED_SET
from snippets.stage1.ticket_classifier import TicketLabel
from snippets.stage5.eval_runner import Classifier, label_from


@dataclass(frozen=True)
class Timed:
    label: TicketLabel
    first_text_s: float  # until the first piece of text arrived, after the thinking
    total_s: float
    output_tokens: int  # thinking included, as the API counts and bills them
    thinking_tokens: int


# --8<-- [start:timed]
async def classify_streamed(
    client: anthropic.AsyncAnthropic, ticket: str, limit: asyncio.Semaphore
) -> Timed:
    """One streamed classification, timed to its first text and to its end."""
    async with limit:  # at most N calls in flight
        started = time.perf_counter()
        first: float | None = None
        async with client.messages.stream(**Classifier().request(ticket)) as stream:
            async for _ in stream.text_stream:  # text only: thinking comes before it
                first = first or time.perf_counter()
            message = await stream.get_final_message()
        finished = time.perf_counter()
    label = label_from(message)  # ClassificationFailed if cut off or refused
    usage, details = message.usage, message.usage.output_tokens_details
    return Timed(
        label,
        (first or finished) - started,
        finished - started,
        usage.output_tokens,
        details.thinking_tokens if details else 0,
    )


async def classify_all(
    tickets: list[str], concurrency: int
) -> tuple[list[Timed], float]:
    """All tickets, `concurrency` at a time; results in input order, and wall time."""
    limit = asyncio.Semaphore(concurrency)
    # An async client belongs to one event loop: open it inside the loop that uses it.
    async with anthropic.AsyncAnthropic() as client:
        started = time.perf_counter()
        calls = (classify_streamed(client, ticket, limit) for ticket in tickets)
        results = await asyncio.gather(*calls)
        return list(results), time.perf_counter() - started


# --8<-- [end:timed]


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def measure() -> None:
    rows = [json.loads(line) for line in LABELLED_SET.read_text().splitlines()]
    tickets = [row["text"] for row in rows]
    for concurrency in (1, 8):
        timed, wall = await classify_all(tickets, concurrency)
        first_text = [t.first_text_s for t in timed]
        total = [t.total_s for t in timed]
        print(
            f"concurrency {concurrency}: {len(timed)} tickets in {wall:.2f}s; "
            f"first text p50 {statistics.median(first_text):.3f}s "
            f"p95 {percentile(first_text, 0.95):.3f}s; "
            f"whole call p50 {statistics.median(total):.3f}s "
            f"p95 {percentile(total, 0.95):.3f}s"
        )
    output = statistics.median(t.output_tokens for t in timed)
    thinking = statistics.median(t.thinking_tokens for t in timed)
    print(f"output per call p50: {output:.0f} tokens, {thinking:.0f} of them thinking")


def main() -> None:
    asyncio.run(measure())


if __name__ == "__main__":
    main()
