"""The support assistant in production, and the record each request leaves behind.

After launch the system meets requests nobody wrote for an eval set, and every
monitoring example on the "After launch" page reads one log of them. Each request
becomes one `RunRecord`: when it came and in which session, which prompt version
served it, how the run ended, how many model calls it took, its tokens split the way
they are billed, and its cost from the site's price table.

The assistant is a short tool loop with the support policy as a cached prefix and
one tool, `order_events`. Unlike the Stage 4 loop, which raises on a reply it cannot
use, a production loop records every ending (answered, refused, incomplete, or out
of steps) with the usage it spent, because those endings are what the alerts count.

`--record` serves every request in `data/stage5/live_requests.jsonl` with the
current prompt and writes `data/stage5/live_traffic.jsonl`. The committed log was
produced that way against the local API double (`make double`, then
`python -m snippets.stage5.live_traffic --record`): its replies and figures show the
method, not how Claude behaves.
"""

import argparse
import json
from datetime import datetime
from pathlib import Path
from typing import Literal

import anthropic
import pydantic
from anthropic.types import MessageParam, ToolParam, ToolResultBlockParam, ToolUseBlock

from snippets.stage1.fence import fence
from snippets.stage1.pricing import cost_usd
from snippets.stage1.replies import IncompleteReply, Refused, reply_text, tool_calls
from snippets.stage2.prompt_caching import DRAFTER, cached_system
from snippets.stage2.support_policy import load_policy
from snippets.stage5.error_analysis import DATA, read_jsonl

MODEL = "claude-sonnet-5-5"
REQUESTS = DATA / "live_requests.jsonl"
TRAFFIC = DATA / "live_traffic.jsonl"
MAX_STEPS = 4  # an order lookup and an answer need two; four is generous

client = anthropic.Anthropic()

# --8<-- [start:prompts]
# The prompt version is part of every record, so any figure can be split by it.
PROMPTS = {
    "v1": f"{DRAFTER} Look up an order's scans with order_events before you say "
    "where it is.",  # the Stage 2 drafter's prompt, plus the tool
    "v2": (
        "You are Harbour Lane Kitchenware's support writer. Follow the policy above "
        "exactly. Before you offer any refund, replacement or credit, find the step "
        "the policy requires first and offer only what it grants at that step. When "
        "the policy does not cover a case, say an agent will reply. Look up an "
        "order's scans with order_events before you say where it is."
    ),
}
CURRENT = "v1"
# --8<-- [end:prompts]

TOOLS: list[ToolParam] = [
    {
        "name": "order_events",
        "description": "The carrier's tracking scans for one order, newest first.",
        "input_schema": {
            "type": "object",
            "properties": {
                "order": {"type": "string", "description": "Like HL-30037."}
            },
            "required": ["order"],
            "additionalProperties": False,
        },
    }
]

Ending = Literal["answered", "refused", "incomplete", "step_budget"]


class LiveRequest(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")

    id: str
    at: datetime
    session: str
    email: str


class RunRecord(pydantic.BaseModel):
    """What one request did: the row every monitoring example reads."""

    model_config = pydantic.ConfigDict(extra="forbid")

    id: str
    at: datetime
    session: str
    prompt: str  # a key of PROMPTS
    model: str
    ending: Ending
    steps: int  # model calls
    reply: str  # empty unless the run answered
    uncached_tokens: int
    cache_write_tokens: int
    cache_read_tokens: int
    output_tokens: int  # thinking included
    usd: float

    @property
    def input_tokens(self) -> int:
        """Every input token, however it was billed."""
        return self.uncached_tokens + self.cache_write_tokens + self.cache_read_tokens


def order_events(call: ToolUseBlock) -> ToolResultBlockParam:
    """The tool: in production, the carrier's API. Here, one fixed scan per order."""
    scans = [{"at": "2026-11-24T16:10:00Z", "event": "arrived at the regional depot"}]
    content = json.dumps({"order": call.input["order"], "scans": scans})
    return {"type": "tool_result", "tool_use_id": call.id, "content": content}


# --8<-- [start:serve]
def finish(message: anthropic.types.Message) -> tuple[Ending, str]:
    """How a run ended, read through the shared reply checks, as a value to record."""
    try:
        return "answered", reply_text(message)
    except Refused:
        return "refused", ""
    except IncompleteReply:  # cut off, context full, paused: nothing to send
        return "incomplete", ""


def serve(request: LiveRequest, prompt: str = CURRENT) -> RunRecord:
    """Answer one live request, and record how it ended and what it cost."""
    content = f"{fence(request.email, f'email {request.id}')}\nDraft the reply."
    messages: list[MessageParam] = [{"role": "user", "content": content}]
    usages: list[anthropic.types.Usage] = []
    ending: Ending = "step_budget"  # unless a reply ends the loop first
    reply = ""
    for _ in range(MAX_STEPS):
        message = client.messages.create(
            model=MODEL,
            max_tokens=4096,  # thinking at medium effort, a lookup, a short reply
            output_config={"effort": "medium"},
            system=cached_system(load_policy(), PROMPTS[prompt]),
            tools=TOOLS,
            messages=messages,
        )
        usages.append(message.usage)
        if message.stop_reason != "tool_use":
            ending, reply = finish(message)
            break
        messages.append({"role": "assistant", "content": message.content})
        results = [order_events(call) for call in tool_calls(message)]
        messages.append({"role": "user", "content": results})
    return RunRecord(
        id=request.id,
        at=request.at,
        session=request.session,
        prompt=prompt,
        model=MODEL,
        ending=ending,
        steps=len(usages),
        reply=reply,
        uncached_tokens=sum(u.input_tokens for u in usages),
        cache_write_tokens=sum(u.cache_creation_input_tokens or 0 for u in usages),
        cache_read_tokens=sum(u.cache_read_input_tokens or 0 for u in usages),
        output_tokens=sum(u.output_tokens for u in usages),
        usd=round(sum(cost_usd(MODEL, u) for u in usages), 6),
    )


# --8<-- [end:serve]


def load_traffic(path: Path = TRAFFIC) -> list[RunRecord]:
    return read_jsonl(path, RunRecord)


def load_requests(path: Path = REQUESTS) -> dict[str, LiveRequest]:
    return {request.id: request for request in read_jsonl(path, LiveRequest)}


def record_traffic(path: Path = TRAFFIC) -> list[RunRecord]:
    """Serve every committed request with the current prompt and write the log."""
    records = [serve(request) for request in load_requests().values()]
    path.write_text("".join(r.model_dump_json() + "\n" for r in records), "utf-8")
    return records


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help="serve the requests")
    parser.add_argument("--traffic", type=Path, default=TRAFFIC)
    args = parser.parse_args(argv)
    records = (
        record_traffic(args.traffic) if args.record else load_traffic(args.traffic)
    )
    endings: dict[str, int] = {}
    for record in records:
        endings[record.ending] = endings.get(record.ending, 0) + 1
    counted = ", ".join(f"{ending} {n}" for ending, n in sorted(endings.items()))
    print(f"{len(records)} live requests: {counted}")


if __name__ == "__main__":
    main()
