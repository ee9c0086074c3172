"""The same agent on the SDK's tool runner: `beta_tool` plus `tool_runner`.

`beta_tool` builds each tool's name, description and input schema from the Python
function: its signature, type hints and docstring. `client.beta.messages.tool_runner`
then runs the loop of `agent_loop.py` for you: it calls the model, runs the tools it
asks for, sends their results back and stops when the model stops asking. A tool that
raises becomes a `tool_result` with `is_error: true`, and so does a call to a tool it
does not know. By default it sends each turn on a server-side message thread, so
later requests carry only the new messages. What it does not do for you: a token
budget, and telling you why it stopped. `max_iterations` ends the run silently, so
check the last stop reason, and read the final reply through `replies.py` so that a
reply cut off or declined raises instead of passing as an answer.
"""

import anthropic
from anthropic import beta_tool

from snippets.stage1.replies import reply_text
from snippets.stage4 import agent_loop
from snippets.stage4.agent_loop import EFFORT, AgentRun, StepUsage, step_usage

MODEL = "claude-sonnet-5-5"

client = anthropic.Anthropic()

SYSTEM = (
    "You help customers of a small hardware shop. Check stock and prices with the "
    "tools; never guess a number. Answer in two sentences at most."
)

# --8<-- [start:tools]
check_stock = beta_tool(agent_loop.check_stock)  # schema from signature + docstring
quote_price = beta_tool(agent_loop.quote_price)
# --8<-- [end:tools]


# --8<-- [start:runner]
def ask(
    question: str, *, max_steps: int = 8, max_total_tokens: int = 40_000
) -> AgentRun:
    runner = client.beta.messages.tool_runner(
        model=MODEL,
        max_tokens=4096,  # thinking at EFFORT, the tool calls, a short answer
        output_config={"effort": EFFORT},  # set, not inherited: see agent_loop
        system=SYSTEM,
        tools=[check_stock, quote_price],
        messages=[{"role": "user", "content": question}],
        max_iterations=max_steps,  # the step budget
    )
    usage: list[StepUsage] = []
    for message in runner:  # one item per model reply; tools run between items
        usage.append(step_usage(message.usage))
        over = sum(step.total for step in usage) >= max_total_tokens
        if over and message.stop_reason == "tool_use":
            runner.close()  # the token budget: the runner has none of its own
            return AgentRun("token_budget", "", usage)

    if message.stop_reason == "tool_use":  # max_iterations ran out mid-task
        return AgentRun("step_budget", "", usage)
    return AgentRun("answered", reply_text(message), usage)  # or raises


# --8<-- [end:runner]


def main() -> None:
    run = ask("Is the MS-220 wireless mouse in stock, and what would 2 of them cost?")
    print(run.answer)
    print(f"stop={run.stop} steps={run.steps} tokens={run.tokens}")


if __name__ == "__main__":
    main()
