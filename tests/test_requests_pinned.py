"""What every example sends to Claude, pinned: a changed prompt is a reviewed diff.

Each example's `main()` runs against the double, as `python -m snippets.<module>`
runs it (called directly, not through runpy, so that `make mutants` can tell which
function a request came from). The requests it sent are summed up as contracts:
the endpoint, model, `max_tokens`, thinking, `output_config`, `tool_choice`, the
system prompt whole, the tools whole (names, descriptions, schemas), where the
cache breakpoints sit, how many requests carried each contract, and one of their
message lists whole (the first in sorted order, so that examples that call Claude
in parallel pin the same one): the prompt templates and the fences round the
data show there.

The contracts must equal their snapshot in
tests/__snapshots__/test_requests_pinned.ambr (syrupy). After a change you meant,
rewrite it and review the diff:

    .venv/bin/pytest tests/test_requests_pinned.py --snapshot-update
"""

from __future__ import annotations

import importlib
import json
import re
import sys
import time
from typing import Any

import pytest

from tests.double import ClaudeDouble

# Every example whose main() calls Claude with no more than the double behind it.
# (Stage 3's need a database: tests/stage3 pins their requests.)
EXAMPLES = [
    "snippets.stage1.count_tokens",
    "snippets.stage1.deadline",
    "snippets.stage1.evaluate_classifier",
    "snippets.stage1.first_call",
    "snippets.stage1.refusals",
    "snippets.stage1.retries",
    "snippets.stage1.sampling",
    "snippets.stage1.streaming",
    "snippets.stage1.structured_output",
    "snippets.stage1.thinking",
    "snippets.stage1.ticket_classifier",
    "snippets.stage2.context_budget",
    "snippets.stage2.few_shot",
    "snippets.stage2.ordering_and_structure",
    "snippets.stage2.prompt_caching",
    "snippets.stage2.prompt_chaining",
    "snippets.stage2.structured_step",
    "snippets.stage2.support_drafter",
    "snippets.stage2.verify_then_act",
    "snippets.stage4.agent_evals",
    "snippets.stage4.agent_loop",
    "snippets.stage4.memory",
    "snippets.stage4.sql_agent",
    "snippets.stage4.tool_runner",
    "snippets.stage4.workflows",
    "snippets.stage5.batch_eval",
    "snippets.stage5.eval_runner",
    "snippets.stage5.guardrails",
    "snippets.stage5.judge",
    "snippets.stage5.routing",
    "snippets.stage5.tracing",
    "snippets.stage6.document_extraction",
    "snippets.stage6.spoken_reply",
]
# The guardrails' per-request nonce (8 hex digits); Stage 1's fence tags are
# 32-digit digests of the text, the same on every run, and kept as sent.
RANDOM_TAG = re.compile(r"untrusted-[0-9a-f]{8}(?![0-9a-f])")
SETTINGS = (
    "model",
    "max_tokens",
    "thinking",
    "output_config",
    "tool_choice",
    "stream",
    "stop_sequences",
)


def cache_breakpoints(value: Any, path: str = "") -> list[str]:
    """Where `cache_control` sits in a request body, as paths like `system[1]`."""
    found = []
    if isinstance(value, dict):
        if "cache_control" in value:
            found.append(path or "(top level)")
        for key, item in value.items():
            if key != "cache_control":
                found += cache_breakpoints(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += cache_breakpoints(item, f"{path}[{index}]")
    return found


def contract(path: str, body: dict[str, Any]) -> dict[str, Any]:
    """What a request promises, its per-case messages aside."""
    endpoint = path.split("#", 1)[0]
    return {
        "endpoint": endpoint,
        **{name: body[name] for name in SETTINGS if name in body},
        "system": body.get("system"),
        "tools": body.get("tools"),
        "cache_breakpoints": cache_breakpoints(body),
    }


def normalized(messages: Any, ids: dict[str, str] | None = None) -> Any:
    """The messages with generated values made stable: tool-use ids numbered in
    order of appearance (a result keeps its call's number), thinking signatures
    replaced by a placeholder, and a random fence tag (Stage 5's guardrails draw
    one per request) by its name without the random part."""
    ids = {} if ids is None else ids
    if isinstance(messages, str):
        return RANDOM_TAG.sub("untrusted-(random)", messages)
    if isinstance(messages, list):
        return [normalized(item, ids) for item in messages]
    if not isinstance(messages, dict):
        return messages
    stable = {}
    for key, value in messages.items():
        if key in ("id", "tool_use_id") and isinstance(value, str):
            stable[key] = ids.setdefault(value, f"(tool use {len(ids) + 1})")
        elif key == "signature":
            stable[key] = "(signature)"
        else:
            stable[key] = normalized(value, ids)
    return stable


def contracts(double: ClaudeDouble) -> list[dict[str, Any]]:
    """Each distinct contract the example sent, with how many times and one of its
    message lists; sorted, since parallel examples send in no fixed order."""
    distinct: list[dict[str, Any]] = []
    for request in double.requests:
        if not isinstance(request.body, dict) or "messages" not in request.body:
            continue  # a batch's envelope, a poll: its requests are recorded inside
        summary = contract(request.path, request.body)
        messages = normalized(request.body["messages"])
        for seen in distinct:
            if seen["contract"] == summary:
                seen["requests"] += 1
                seen["messages"] = min(seen["messages"], messages, key=json.dumps)
                break
        else:
            distinct.append({"contract": summary, "requests": 1, "messages": messages})
    return sorted(distinct, key=lambda seen: json.dumps(seen["contract"]))


@pytest.mark.parametrize("module", EXAMPLES)
def test_what_the_example_sends_is_pinned(
    module: str,
    double: ClaudeDouble,
    snapshot,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(time, "sleep", lambda seconds: None)  # retries, batch polls
    monkeypatch.setattr(sys, "argv", [module])  # as run with no arguments
    try:
        importlib.import_module(module).main()
    except SystemExit as exit:
        assert exit.code in (None, 0), f"{module} exited with {exit.code}"
    capsys.readouterr()
    sent = contracts(double)
    assert sent, f"{module} sent no request: take it off EXAMPLES"
    assert sent == snapshot
