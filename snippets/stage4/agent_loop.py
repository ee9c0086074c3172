"""The agent loop by hand: decide, act, observe, iterate, with budgets and stops.

An agent is a model called in a loop. Each turn the model decides: answer, or ask for
one or more tool calls. The program acts (runs the tools), sends the results back as
the next user message (the observation), and asks again. Nothing in that loop stops
by itself, so this one names every way out: a finished answer, a step budget, a token
budget, and an exception for every stop reason that means the reply cannot be used.

Each request resends the whole conversation, so the loop asks for automatic prompt
caching (a top-level `cache_control`): step N reads from the cache what step N-1
wrote and pays full price only for the new turn. The token budget counts every input
token however it was billed (uncached, cache write, cache read) plus output, and is
checked before any tool runs, so a run over budget stops before its next side effect.

On the Claude 5.5 models a reply usually starts with a `thinking` block, and notes the
model writes between tool calls can come back as thinking blocks too. The loop reads
replies by block type, through `snippets/stage1/replies.py`, and sends each reply back
exactly as it came, thinking blocks included.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import anthropic
from anthropic.types import MessageParam, ToolParam, ToolResultBlockParam, ToolUseBlock

from snippets.stage1.replies import check_complete, text_of, tool_calls

MODEL = "claude-sonnet-5-5"

client = anthropic.Anthropic()

SYSTEM = (
    "You are the sales assistant of a small hardware shop. Use the tools for stock "
    "levels and prices; never guess a number. Answer in two sentences at most."
)

# --8<-- [start:tools]
CATALOGUE = {
    "KB-101": {"name": "Mechanical keyboard", "unit_price_cents": 8900, "in_stock": 14},
    "MS-220": {"name": "Wireless mouse", "unit_price_cents": 2900, "in_stock": 0},
    "HD-310": {"name": "USB-C hub", "unit_price_cents": 4500, "in_stock": 3},
}


def check_stock(sku: str) -> str:
    """Return how many units of one product the shop has in stock right now.

    Args:
        sku: The product code exactly as printed in the catalogue, such as KB-101.
    """
    item = CATALOGUE.get(sku)
    if item is None:
        raise LookupError(f"unknown SKU {sku!r}; known SKUs: {', '.join(CATALOGUE)}")
    return json.dumps({"sku": sku, "name": item["name"], "in_stock": item["in_stock"]})


def quote_price(sku: str, quantity: int) -> str:
    """Return the total price in cents for a quantity of one product.

    Args:
        sku: The product code exactly as printed in the catalogue, such as KB-101.
        quantity: How many units, at least 1.
    """
    item = CATALOGUE.get(sku)
    if item is None:
        raise LookupError(f"unknown SKU {sku!r}; known SKUs: {', '.join(CATALOGUE)}")
    if quantity < 1:
        raise ValueError(f"quantity must be at least 1, got {quantity}")
    total = item["unit_price_cents"] * quantity
    return json.dumps({"sku": sku, "quantity": quantity, "total_cents": total})


SKU = {"type": "string", "description": "Product code, such as KB-101."}
TOOLS: list[ToolParam] = [
    {
        "name": "check_stock",
        "description": "Return how many units of one product are in stock right now.",
        "input_schema": {
            "type": "object",
            "properties": {"sku": SKU},
            "required": ["sku"],
            "additionalProperties": False,
        },
    },
    {
        "name": "quote_price",
        "description": "Return the total price in cents for a quantity of one product.",
        "input_schema": {
            "type": "object",
            "properties": {
                "sku": SKU,
                "quantity": {"type": "integer", "minimum": 1},
            },
            "required": ["sku", "quantity"],
            "additionalProperties": False,
        },
    },
]
HANDLERS: dict[str, Callable[..., str]] = {
    "check_stock": check_stock,
    "quote_price": quote_price,
}
# --8<-- [end:tools]


# --8<-- [start:act]
def execute_tool(call: ToolUseBlock) -> ToolResultBlockParam:
    """Run one tool call. Every failure becomes an observation, never an exception."""
    handler = HANDLERS.get(call.name)
    if handler is None:
        known = ", ".join(HANDLERS)
        return tool_error(call, f"no tool named {call.name!r}; use one of: {known}")
    try:
        content = handler(**call.input)
    except Exception as exc:  # the model reads the message and can try another way
        return tool_error(call, f"{type(exc).__name__}: {exc}")
    return {"type": "tool_result", "tool_use_id": call.id, "content": content}


def tool_error(call: ToolUseBlock, message: str) -> ToolResultBlockParam:
    return {
        "type": "tool_result",
        "tool_use_id": call.id,
        "content": message,
        "is_error": True,
    }


# --8<-- [end:act]


# --8<-- [start:loop]
# Set, not inherited: the default effort differs by model (high on Sonnet 5.5, medium
# on Opus 5.5), and each step's thinking counts toward max_tokens and the token
# budget. Choosing a lookup tool and reading its result needs little depth.
EFFORT = "medium"
Stop = Literal["answered", "step_budget", "token_budget"]
TOOL_TURN = frozenset({"tool_use"})  # inside the loop, a tool call is not an ending
CACHE = {"type": "ephemeral"}  # breakpoint on the last block: the conversation so far


@dataclass(frozen=True)
class StepUsage:
    """One model call's tokens, split the way they are billed."""

    uncached: int  # input after the last cache breakpoint: full price
    cache_write: int  # input written to the cache: 1.25x for 5 minutes
    cache_read: int  # input read from the cache: 0.05x on Sonnet 5.5
    output: int  # thinking included

    @property
    def total(self) -> int:
        return self.uncached + self.cache_write + self.cache_read + self.output


@dataclass
class AgentRun:
    stop: Stop  # why the loop ended; only "answered" means `answer` is complete
    answer: str
    usage: list[StepUsage]  # one entry per model call

    @property
    def steps(self) -> int:
        return len(self.usage)

    @property
    def tokens(self) -> int:
        """Every input token (uncached, written, read) plus output, over all calls."""
        return sum(step.total for step in self.usage)


def run_agent(
    messages: list[MessageParam],
    *,
    system: str = SYSTEM,
    tools: list[ToolParam] = TOOLS,
    execute: Callable[[ToolUseBlock], ToolResultBlockParam] = execute_tool,
    max_steps: int = 8,
    max_total_tokens: int = 40_000,
    max_tokens: int = 4096,  # thinking at EFFORT, the tool calls, a short answer
) -> AgentRun:
    """Run the loop on `messages` (which must end with a user turn), extending it.

    A reply that stopped for any reason but `tool_use`, `end_turn` or
    `stop_sequence` raises `IncompleteReply` (`Refused` for a refusal).
    """
    usage: list[StepUsage] = []
    for _ in range(max_steps):
        response = client.messages.create(  # decide
            model=MODEL,
            max_tokens=max_tokens,
            output_config={"effort": EFFORT},
            cache_control=CACHE,
            system=system,
            tools=tools,
            messages=messages,
        )
        usage.append(step_usage(response.usage))
        check_complete(response, also=TOOL_TURN)  # anything else raises
        # Unchanged, thinking blocks and all: the next request must carry them.
        messages.append({"role": "assistant", "content": response.content})
        if response.stop_reason != "tool_use":
            return AgentRun("answered", text_of(response), usage)
        if sum(step.total for step in usage) >= max_total_tokens:
            return AgentRun("token_budget", "", usage)  # before any tool runs

        results = [execute(call) for call in tool_calls(response)]  # act
        messages.append({"role": "user", "content": results})  # observe
    return AgentRun("step_budget", "", usage)  # iterate ran out


def step_usage(
    usage: anthropic.types.Usage | anthropic.types.beta.BetaUsage,
) -> StepUsage:
    return StepUsage(
        uncached=usage.input_tokens,
        cache_write=usage.cache_creation_input_tokens or 0,
        cache_read=usage.cache_read_input_tokens or 0,
        output=usage.output_tokens,
    )


# --8<-- [end:loop]


def ask(question: str, **limits: int) -> AgentRun:
    """Start a fresh conversation with one question."""
    return run_agent([{"role": "user", "content": question}], **limits)


def main() -> None:
    run = ask("Can I buy 3 KB-101 keyboards today, and what would they cost in total?")
    print(run.answer)
    for number, step in enumerate(run.usage, start=1):
        print(
            f"step {number}: uncached={step.uncached} cache_write={step.cache_write} "
            f"cache_read={step.cache_read} output={step.output}"
        )
    print(f"stop={run.stop} steps={run.steps} tokens={run.tokens}")


if __name__ == "__main__":
    main()
