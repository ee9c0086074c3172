"""Workflows: fixed paths through model calls, for when you can draw the flowchart.

Anthropic's "Building effective agents" names five workflows that come before an
agent: prompt chaining (Stage 2's `prompt_chaining.py`), routing, parallelisation,
orchestrator-workers and evaluator-optimizer. This module has the other four on one
support desk. In each, code decides the path and the model fills in steps, so every
path can be tested and costed in advance, which an agent's cannot. Everything a
customer wrote, and everything a model wrote from it, reaches the next prompt inside
a fence it cannot close.
"""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal, TypeVar

import anthropic
from pydantic import BaseModel

from snippets.stage1.fence import FENCE_RULE, fence
from snippets.stage1.replies import reply_text
from snippets.stage2.structured_step import Effort, parse_step

MODEL = "claude-sonnet-5-5"  # writing and planning
SMALL = "claude-haiku-5-5"  # labelling, checking, short answers

client = anthropic.Anthropic()

Parsed = TypeVar("Parsed", bound=BaseModel)


def ask(system: str, user: str, *, model: str = SMALL, effort: Effort = "low") -> str:
    """One call, one finished text reply (or `IncompleteReply`)."""
    message = client.messages.create(
        model=model,
        max_tokens=2_000,  # thinking at low or medium effort, plus a short reply
        output_config={"effort": effort},
        system=f"{system} {FENCE_RULE}",
        messages=[{"role": "user", "content": user}],
    )
    return reply_text(message)


def label(system: str, user: str, output_format: type[Parsed]) -> Parsed:
    """One small-model call whose reply must validate against `output_format`."""
    return parse_step(
        model=SMALL,
        system=f"{system} {FENCE_RULE}",
        user=user,
        output_format=output_format,
        effort="low",  # filling in a form of one or two fields
        max_tokens=1_000,
    )


# --8<-- [start:routing]
class Route(BaseModel):
    category: Literal["refund", "delivery", "product"]


# Each route has its own prompt, and the cheap routes a cheaper model.
ROUTES: dict[str, tuple[str, str, Effort]] = {
    "refund": (
        "You answer refund requests for an online furniture shop. Refunds are "
        "possible within 30 days of delivery; a person approves each one. Say what "
        "happens next in two sentences.",
        MODEL,
        "medium",
    ),
    "delivery": (
        "You answer delivery questions for an online furniture shop. Orders ship "
        "within 3 working days. Answer in two sentences.",
        SMALL,
        "low",
    ),
    "product": (
        "You answer questions about the products of an online furniture shop. If "
        "you do not know a measurement, say so. Answer in two sentences.",
        SMALL,
        "low",
    ),
}


def route(ticket: str) -> tuple[str, str]:
    """Classify the ticket, then answer it with that category's prompt and model."""
    fenced = fence(ticket, "ticket")
    category = label("Route furniture-shop support tickets.", fenced, Route).category
    system, model, effort = ROUTES[category]
    return category, ask(system, fenced, model=model, effort=effort)


# --8<-- [end:routing]


# --8<-- [start:sectioning]
class Check(BaseModel):
    passed: bool
    reason: str


CHECKS = {  # independent questions about one draft, so they run side by side
    "tone": "Check that this customer reply is polite and free of blame.",
    "promises": "Check that this reply promises no refund, date or amount.",
    "privacy": "Check that this reply contains no payment or address details.",
}


def review(draft: str) -> dict[str, Check]:
    """Every check at once; the draft passes only if each one does."""
    fenced = fence(draft, "draft reply")
    with ThreadPoolExecutor(len(CHECKS)) as pool:
        futures = {
            name: pool.submit(label, prompt, fenced, Check)
            for name, prompt in CHECKS.items()
        }
        return {name: future.result() for name, future in futures.items()}


# --8<-- [end:sectioning]


# --8<-- [start:voting]
class Vote(BaseModel):
    suspicious: bool


FRAUD = "Decide if this refund request looks like fraud: pressure, odd amounts."


def vote(ticket: str, voters: int = 3, needed: int = 2) -> tuple[bool, list[bool]]:
    """Ask the same question `voters` times; flag when `needed` votes agree."""
    fenced = fence(ticket, "ticket")
    with ThreadPoolExecutor(voters) as pool:
        votes = list(pool.map(lambda _: label(FRAUD, fenced, Vote), range(voters)))
    ballots = sorted((v.suspicious for v in votes), reverse=True)
    return sum(ballots) >= needed, ballots


# --8<-- [end:voting]


# --8<-- [start:orchestrator]
class Plan(BaseModel):
    subtasks: list[str]  # one self-contained question per worker


MAX_WORKERS = 4  # a cap in code: the schema cannot bound a list's length


class EmptyPlan(Exception):
    """The orchestrator split the request into nothing; no worker can start."""


def orchestrate(request: str) -> tuple[list[str], str]:
    """A planner splits the request, workers answer the parts, a writer joins them."""
    plan = parse_step(
        model=MODEL,
        system=(
            "Split a customer's request to an online furniture shop into at most "
            f"{MAX_WORKERS} independent questions a colleague can answer alone. "
            f"{FENCE_RULE}"
        ),
        user=fence(request, "customer request"),
        output_format=Plan,
        effort="medium",  # the split decides the quality of everything after it
        max_tokens=2_000,
    )
    subtasks = plan.subtasks[:MAX_WORKERS]
    if not subtasks:
        raise EmptyPlan(f"no subtasks for {request[:80]!r}; answer it directly")

    def worker(subtask: str) -> str:
        return ask(
            "Answer one question for a furniture shop's support team in one sentence.",
            fence(subtask, "subtask"),
        )

    with ThreadPoolExecutor(len(subtasks)) as pool:
        answers = list(pool.map(worker, subtasks))
    parts = "\n".join(fence(a, f"answer {n}") for n, a in enumerate(answers, 1))
    reply = ask(
        "Write one reply to the customer from these answers, in three sentences.",
        f"{fence(request, 'customer request')}\n{parts}",
        model=MODEL,
        effort="medium",
    )
    return subtasks, reply


# --8<-- [end:orchestrator]


# --8<-- [start:evaluator]
class Review(BaseModel):
    passed: bool
    feedback: str  # what to change; empty when passed


@dataclass(frozen=True)
class Refined:
    text: str
    rounds: int  # evaluations made
    passed: bool  # False: the round budget ran out; do not send `text` unreviewed


WRITER = "You write product descriptions for an online furniture shop."
EVALUATOR = (
    "You review a product description: it must state the size in centimetres, "
    "the material, and make no claim the brief does not support."
)


def refine(brief: str, max_rounds: int = 3) -> Refined:
    """Draft, evaluate, redraft with the feedback, until it passes or rounds run out."""
    draft = ask(WRITER, fence(brief, "brief"), model=MODEL, effort="medium")
    for rounds in range(1, max_rounds + 1):
        verdict = label(
            EVALUATOR, f"{fence(brief, 'brief')}\n{fence(draft, 'draft')}", Review
        )
        if verdict.passed:
            return Refined(draft, rounds, passed=True)
        if rounds == max_rounds:
            break
        draft = ask(
            WRITER,
            f"{fence(brief, 'brief')}\n{fence(draft, 'draft')}\n"
            f"{fence(verdict.feedback, 'feedback')}\nRewrite the draft.",
            model=MODEL,
            effort="medium",
        )
    return Refined(draft, max_rounds, passed=False)


# --8<-- [end:evaluator]


def main() -> None:
    category, answer = route(
        "My sofa arrived with a torn cushion. Can I get my money back?"
    )
    print(f"routing: {category}: {answer}")
    checks = review("Sorry about the cushion! We will refund 120.00 by Friday.")
    print("sectioning: " + ", ".join(f"{n}={c.passed}" for n, c in checks.items()))
    flagged, ballots = vote("Refund 4,000 now or I post everywhere. URGENT!!!")
    print(f"voting: flagged={flagged} votes={ballots}")
    subtasks, reply = orchestrate(
        "Will the oak desk fit a 120 cm alcove, and can it arrive before the 14th?"
    )
    print(f"orchestrator: {len(subtasks)} workers: {reply}")
    refined = refine("Oak side table, 45 x 45 x 55 cm, solid oak, oiled finish.")
    print(f"evaluator: passed={refined.passed} rounds={refined.rounds}: {refined.text}")


if __name__ == "__main__":
    main()
