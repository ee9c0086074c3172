"""Count tokens before you send, and know what a request will cost.

Tokens are the unit of both limits and price: the context window is measured in
tokens, and you pay per million input and output tokens, output costing several
times more. `messages.count_tokens` estimates a request's input tokens as the model
will see it (system prompt and tools included) without running it, so you can
refuse or trim an oversized request before it fails or costs money. Anthropic's
token-counting page calls the figure an estimate that can differ slightly from
the billed count; leave a margin.
"""

import anthropic

from snippets.stage1.pricing import PRICES

MODEL = "claude-sonnet-5-5"

client = anthropic.Anthropic()


class OverBudget(Exception):
    """The request would use more input tokens than this caller allows."""


# --8<-- [start:count]
def check_budget(
    messages: list[anthropic.types.MessageParam],
    system: str,
    max_input_tokens: int,
    max_output_tokens: int,
) -> float:
    """Count the prompt's tokens; raise if over budget, else return worst-case cost."""
    counted = client.messages.count_tokens(
        model=MODEL, system=system, messages=messages
    )
    if counted.input_tokens > max_input_tokens:
        raise OverBudget(
            f"prompt is {counted.input_tokens} tokens, budget is {max_input_tokens}; "
            "trim or summarise before sending"
        )
    price = PRICES[MODEL].standard
    return (
        counted.input_tokens * price.input + max_output_tokens * price.output
    ) / 1_000_000


# --8<-- [end:count]


def main() -> None:
    system = "Summarise incident reports for an on-call engineer."
    report = (
        "At 02:14 the payments API began returning 503s. The connection pool to the "
        "primary database was exhausted after a deploy doubled worker count. "
        "Rolling back at 02:41 restored service."
    )
    messages: list[anthropic.types.MessageParam] = [{"role": "user", "content": report}]
    worst_case = check_budget(
        messages, system, max_input_tokens=2_000, max_output_tokens=300
    )
    print(f"worst-case cost: ${worst_case:.6f}")
    try:
        check_budget(messages, system, max_input_tokens=10, max_output_tokens=300)
    except OverBudget as error:
        print(f"refused: {error}")


if __name__ == "__main__":
    main()
