"""Thinking and effort: what the Claude 5.5 models do by default, and what it costs.

Adaptive thinking is on by default on all three 5.5 models: the model decides
whether and how long to reason before it answers, and `output_config.effort`
sets how hard it tries. Sonnet 5.5 defaults to `high`, Opus 5.5 and Haiku 5.5 to
`medium`. Thinking tokens are output tokens: billed at the output price, counted
against `max_tokens`, and reported in `usage.output_tokens_details`. At the
default `display: "omitted"` the reply carries an empty thinking block, so you pay
for text you never see. Set effort for the task, and size `max_tokens` for the
thinking plus the answer.
"""

from dataclasses import dataclass

import anthropic

from snippets.stage1.pricing import cost_usd
from snippets.stage1.replies import reply_text

MODEL = "claude-haiku-5-5"
QUESTION = "A cache holds 5 minutes. A request comes every 4 minutes. Hit or miss?"

client = anthropic.Anthropic()


@dataclass(frozen=True)
class Spend:
    effort: str
    answer: str
    thinking_tokens: int
    output_tokens: int
    cost_usd: float


# --8<-- [start:spend]
def spend(question: str, effort: str) -> Spend:
    """Ask once at `effort`; report what the thinking cost, from `usage`."""
    message = client.messages.create(
        model=MODEL,
        max_tokens=8_000,  # a ceiling for thinking plus answer, not a target
        output_config={"effort": effort},
        messages=[{"role": "user", "content": question}],
    )
    answer = reply_text(message)  # by block type: the thinking block comes first
    details = message.usage.output_tokens_details
    return Spend(
        effort=effort,
        answer=answer,
        thinking_tokens=details.thinking_tokens if details else 0,
        output_tokens=message.usage.output_tokens,
        cost_usd=cost_usd(MODEL, message.usage),
    )


# --8<-- [end:spend]


def main() -> None:
    for effort in ("low", "medium", "high"):
        result = spend(QUESTION, effort)
        print(
            f"{effort:>6}: {result.thinking_tokens:>4} of {result.output_tokens:>4} "
            f"output tokens were thinking, ${result.cost_usd:.6f}: {result.answer}"
        )


if __name__ == "__main__":
    main()
