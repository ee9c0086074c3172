"""Verify, then act: draft, check the draft against a rubric, commit only if it passes.

Anything with a side effect (sending an email, issuing a refund, merging code)
gets a gate. A first call drafts; a second call, with a different job, checks
the draft against a numbered rubric and returns a verdict per criterion as
structured output; plain code decides. The code, not the checker, has the last
word: a criterion the checker skipped counts as failed, and one failure is
enough to stop the commit. The drafter and the checker put the same policy
before their cache breakpoint, so they share one cache entry.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

import anthropic
from pydantic import BaseModel

from snippets.stage1.fence import fence
from snippets.stage1.replies import reply_text
from snippets.stage2.prompt_caching import DRAFTER, cached_system
from snippets.stage2.structured_step import parse_step
from snippets.stage2.support_policy import load_policy, policy_sections

# The checker uses the drafter's model so they share the cache: caches are per model.
MODEL = "claude-sonnet-5-5"

client = anthropic.Anthropic()

CHECKER = (
    "You check draft replies written for Harbour Lane Kitchenware against the "
    "policy above. Be strict: a criterion is met only if the draft clearly meets it. "
    "Judge every numbered criterion you are given, and quote the draft as evidence."
)


# --8<-- [start:rubric]
def rubric() -> list[str]:
    """The numbered checklist at the end of the policy, one criterion per item."""
    checklist = policy_sections()["Checklist every draft must pass"]
    items = re.findall(
        r"^\d+\. (.+?)(?=^\d+\. |\Z)", checklist, re.MULTILINE | re.DOTALL
    )
    return [" ".join(item.split()) for item in items]


class CriterionResult(BaseModel):
    criterion: int  # the criterion's number in the rubric
    met: bool
    evidence: str


class Verdict(BaseModel):
    results: list[CriterionResult]


# --8<-- [end:rubric]


def draft_reply(customer_message: str) -> str:
    """Call one: the draft."""
    message = client.messages.create(
        model=MODEL,
        max_tokens=5_000,  # thinking at high effort, plus a reply of about 200 words
        output_config={"effort": "high"},  # a customer reads it: worth the thought
        system=cached_system(load_policy(), DRAFTER),
        messages=[
            {
                "role": "user",
                "content": f"{fence(customer_message, 'customer message')}\n\n"
                "Draft the reply.",
            }
        ],
    )
    return reply_text(message)  # raises IncompleteReply unless it finished


# --8<-- [start:check]
def check(draft: str, customer_message: str) -> Verdict:
    """Call two: a verdict on every rubric criterion, as structured output."""
    criteria = "\n".join(f"{n}. {text}" for n, text in enumerate(rubric(), start=1))
    return parse_step(
        model=MODEL,
        system=cached_system(load_policy(), CHECKER),
        user=f"{fence(customer_message, 'customer message')}\n"
        f"{fence(draft, 'draft')}\n<criteria>\n{criteria}\n</criteria>\n\n"
        "Judge the draft against each criterion.",
        output_format=Verdict,
        effort="high",  # the last gate before a side effect: do not economise here
        max_tokens=6_000,  # thinking at high effort, plus seven verdicts with evidence
    )


def failures(verdict: Verdict) -> list[str]:
    """Every criterion not clearly met; a criterion the checker skipped is not met."""
    unmet = {r.criterion: r.evidence for r in verdict.results if not r.met}
    met = {r.criterion for r in verdict.results if r.met} - unmet.keys()
    return [
        f"{n}. {text} ({unmet.get(n, 'not judged by the checker')})"
        for n, text in enumerate(rubric(), start=1)
        if n not in met
    ]


# --8<-- [end:check]


# --8<-- [start:gate]
@dataclass(frozen=True)
class Outcome:
    committed: bool
    failures: list[str]


def commit_if_verified(
    draft: str, verdict: Verdict, commit: Callable[[str], None]
) -> Outcome:
    """Run the side effect only when every criterion passed."""
    problems = failures(verdict)
    if problems:
        return Outcome(committed=False, failures=problems)
    commit(draft)
    return Outcome(committed=True, failures=[])


def handle(customer_message: str, commit: Callable[[str], None]) -> Outcome:
    """Draft, check, then commit or hold."""
    draft = draft_reply(customer_message)
    return commit_if_verified(draft, check(draft, customer_message), commit)


# --8<-- [end:gate]


CUSTOMER_MESSAGE = (
    "I returned a saucepan six weeks after it was delivered, unused and in its box. "
    "Will I get my money back? Order HL-20733."
)
# A draft with two classic faults: a promise the policy does not grant, and a
# request for a card number.
OVERPROMISING_DRAFT = (
    "Of course! We'll refund the full amount for order HL-20733 today. Just reply "
    "with your card number so we can send it straight back.\n\nThe Harbour Lane team"
)


def main() -> None:
    def send(draft: str) -> None:
        print(f"SENT:\n{draft}\n")

    outcome = handle(CUSTOMER_MESSAGE, send)
    print(f"committed={outcome.committed} failures={outcome.failures}")
    held = commit_if_verified(
        OVERPROMISING_DRAFT, check(OVERPROMISING_DRAFT, CUSTOMER_MESSAGE), send
    )
    print(f"committed={held.committed}")
    for failure in held.failures:
        print(f"  {failure}")


if __name__ == "__main__":
    main()
