"""Model right-sizing: easy inputs to the small model, hard ones to the large one.

Most tickets are easy: a short question with one obvious label. A few carry a
deadline, two problems or a long story, and those are where a small model slips.
A router is a cheap rule (or a cheap model) that decides per input. Whether it
pays is measured, not assumed: run the labelled set three ways (everything on
the small model, everything on the large one, routed) and compare accuracy and
cost per ticket. The labelled set is Stage 1's. Both models run at the same low
effort (see `Classifier`), and the cost counts their thinking as output, as the
API bills it.
"""

import json
import re
from dataclasses import dataclass

from snippets.stage1.evaluate_classifier import LABELLED_SET
from snippets.stage1.ticket_classifier import TicketLabel
from snippets.stage5.cost_accounting import Ledger
from snippets.stage5.eval_runner import Classifier, EvalCase, System, run_eval

SMALL = "claude-haiku-5-5"
LARGE = "claude-sonnet-5-5"


# --8<-- [start:route]
DEADLINE = re.compile(
    r"\b(today|tonight|tomorrow|next week|deadline|audit|review|"
    r"monday|tuesday|wednesday|thursday|friday)\b",
    re.IGNORECASE,
)


def is_hard(ticket: str) -> bool:
    """Long tickets and stated deadlines go to the large model."""
    return len(ticket.split()) > 25 or DEADLINE.search(ticket) is not None


@dataclass(frozen=True)
class Router:
    small: Classifier
    large: Classifier

    def __call__(self, ticket: str) -> TicketLabel:
        return (self.large if is_hard(ticket) else self.small)(ticket)


# --8<-- [end:route]


def stage1_cases() -> list[EvalCase]:
    rows = [json.loads(line) for line in LABELLED_SET.read_text().splitlines()]
    return [
        EvalCase(
            id=row["id"],
            input=row["text"],
            expected={"category": row["category"], "priority": row["priority"]},
            tags=["hard" if is_hard(row["text"]) else "easy"],
        )
        for row in rows
    ]


# --8<-- [start:compare]
@dataclass(frozen=True)
class Strategy:
    name: str
    exact_match: float
    usd_per_ticket: float


def compare_strategies(cases: list[EvalCase]) -> list[Strategy]:
    """Accuracy and cost of three ways to run the same labelled set."""
    results = []
    for name in ("small only", "routed", "large only"):
        ledger = Ledger()
        small = Classifier(model=SMALL, ledger=ledger)
        large = Classifier(model=LARGE, ledger=ledger)
        systems: dict[str, System] = {
            "small only": small,
            "routed": Router(small, large),
            "large only": large,
        }
        report = run_eval(cases, systems[name])
        cost = ledger.total_usd / len(cases)
        results.append(Strategy(name, report.metrics()["exact_match"], cost))
    return results


# --8<-- [end:compare]


def main() -> None:
    cases = stage1_cases()
    hard = sum("hard" in case.tags for case in cases)
    print(f"tickets: {len(cases)}, routed to {LARGE}: {hard}")
    print("cost from usage; output includes thinking, billed at the output price")
    for strategy in compare_strategies(cases):
        print(
            f"{strategy.name:<11} exact match {strategy.exact_match:.0%}  "
            f"${strategy.usd_per_ticket * 1000:.3f} per 1,000 tickets"
        )


if __name__ == "__main__":
    main()
