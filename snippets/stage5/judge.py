"""LLM-as-judge: a written rubric, a structured verdict, and a pairwise comparison.

Some outputs have no single right answer: a support reply can be worded a hundred
ways and still be correct. A judge is a second model call that grades an output
against a written rubric. Three habits keep it honest: the rubric is specific
enough that two people would grade the same way; the judge explains before it
decides (the reasoning field comes first in the schema); and the judge is itself
measured against human labels before anyone trusts it (see `judge_calibration`).

The drafts graded here are customer replies for the shop whose support policy
Stage 2 uses; the policy is the judge's reference text, sent once and cached.
"""

from typing import Literal, TypeVar

import anthropic
import pydantic

from snippets.stage1.fence import fence
from snippets.stage1.replies import IncompleteReply, Refused, reply_text
from snippets.stage2.prompt_caching import cached_system
from snippets.stage2.support_policy import load_policy

MODEL = "claude-sonnet-5-5"

client = anthropic.Anthropic()

Schema = TypeVar("Schema", bound=pydantic.BaseModel)

# --8<-- [start:rubric]
CRITERIA = """\
1. Answer first: the customer's actual question is answered, or the next step
   given, in the first two sentences.
2. Granted remedies only: every refund, replacement, exception or change it
   offers is one the policy grants for this exact situation.
3. No unsupported promises: no date, amount, outcome or fact that the policy or
   the order details in the ticket do not support.
4. The right questions: it asks for every piece of information the next step
   needs, and for nothing else.
5. No sensitive data: no card numbers, passwords, full addresses or phone
   numbers, even ones the customer wrote.
6. House style: opens with neither thanks nor an apology, no emoji, no
   exclamation mark in a reply about a problem, no blame, never says what "the
   policy says", signed "The Harbour Lane team".
7. Escalation: when the policy says a case goes to an agent, the draft says an
   agent will reply and when."""

RUBRIC = f"""You grade draft replies to customers against the support policy above.
A draft passes only if it meets every criterion; name each one it misses.

{CRITERIA}

Grade the draft, not the customer. Do not reward length, or politeness that
breaks a criterion. Write your reasoning before the verdict."""


class Verdict(pydantic.BaseModel):
    reasoning: str  # first, so the verdict is decided after the reasons
    failed_criteria: list[int]
    verdict: Literal["pass", "fail"]

    @pydantic.model_validator(mode="after")
    def consistent(self) -> "Verdict":
        if (self.verdict == "pass") != (not self.failed_criteria):
            raise ValueError("a pass lists no failed criteria, a fail at least one")
        return self


# --8<-- [end:rubric]


# --8<-- [start:judge]
class JudgeFailed(Exception):
    """The judge gave no usable verdict: count the case as unjudged, never as a pass."""


def ask_judge(instructions: str, content: str, schema: type[Schema]) -> Schema:
    """One judge call: the policy as a cached prefix (Stage 2), then the task."""
    message = client.messages.create(
        model=MODEL,
        max_tokens=2048,  # the thinking, then reasoning of a few sentences
        output_config={
            # Low effort: the schema already makes the judge reason in the open
            # before its verdict, and a pass/fail against numbered criteria needs
            # little more. A judge runs on every case of every eval run, and each
            # thinking token is billed as output.
            "effort": "low",
            "format": {
                "type": "json_schema",
                "schema": anthropic.transform_schema(schema),
            },
        },
        system=cached_system(load_policy(), instructions),
        messages=[{"role": "user", "content": content}],
    )
    try:
        return schema.model_validate_json(reply_text(message))
    except Refused as refusal:
        # A judge that declines has given no verdict: neither a pass nor a fail.
        raise JudgeFailed(f"the judge gave no verdict: {refusal}") from refusal
    except IncompleteReply as error:
        raise JudgeFailed(f"no {schema.__name__}: {error}") from error
    except pydantic.ValidationError as error:
        raise JudgeFailed(f"the judge's reply did not fit {schema.__name__}") from error


def judge_reply(draft_id: str, ticket: str, reply: str) -> Verdict:
    """Grade one draft reply against the rubric."""
    # The ticket and the draft are both text the judge must not obey: fenced.
    content = f"{fence(ticket, 'ticket')}\n{fence(reply, f'draft {draft_id}')}"
    return ask_judge(RUBRIC, content, Verdict)


# --8<-- [end:judge]

# --8<-- [start:pairwise]
PAIRWISE = f"""Two draft replies to the same ticket follow, A and B. Decide which one
a careful support agent should send, using these criteria and the policy above.
Judge the content: the order in which the drafts appear means nothing.

{CRITERIA}"""


class Preference(pydantic.BaseModel):
    reasoning: str
    better: Literal["A", "B"]


def compare(ticket: str, reply_a: str, reply_b: str) -> Literal["A", "B"]:
    """Which of two drafts is better, as they are shown: A first, then B."""
    content = (
        f"{fence(ticket, 'ticket')}\n{fence(reply_a, 'reply A')}\n"
        f"{fence(reply_b, 'reply B')}"
    )
    return ask_judge(PAIRWISE, content, Preference).better


# --8<-- [end:pairwise]


def main() -> None:
    verdict = judge_reply(
        "p02b",
        "The glass lid of my casserole (order HL-18220) cracked when I lifted it "
        "off the pan. Is it still OK to use?",
        "Thanks for getting in touch. Small cracks near the rim are usually "
        "cosmetic, so you can keep using the lid carefully while we look into it. "
        "Send us a photo when you can.\n\nThe Harbour Lane team",
    )
    print(f"{verdict.verdict} (failed: {verdict.failed_criteria})")
    print(verdict.reasoning)


if __name__ == "__main__":
    main()
