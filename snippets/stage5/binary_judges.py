"""One binary judge per failure mode, each calibrated against a person's labels.

Error analysis (`error_analysis`) counted the failure modes of the support
drafter. The three most frequent that code cannot check each get a judge of their
own: one question, pass or fail, with the mode's definition and its edge cases.
A narrow judge is easier to write, to check and to fix than one rubric of seven
criteria, and its mistakes point at one paragraph of its prompt.

Each judge is calibrated on the traces of the `test` split, which nobody looked at
while writing the judge prompts (those came from the `dev` split). The person's
label for a mode is the error-analysis note: "fail" if the mode was coded on the
trace. The verdicts are recorded with `--record`, so the figures are recomputed
from committed files.
"""

import argparse
import json
from pathlib import Path
from typing import Literal

import pydantic

from snippets.stage1.fence import fence
from snippets.stage5.error_analysis import (
    DATA,
    NOTES,
    TICKETS,
    TRACES,
    Note,
    Ticket,
    Trace,
    modes_of,
    read_jsonl,
)
from snippets.stage5.judge import ask_judge
from snippets.stage5.judge_calibration import Calibration, tally

VERDICTS = DATA / "mode_verdicts.jsonl"

# --8<-- [start:judges]
JUDGES = {
    "ungranted-remedy": """\
Fail the draft if it offers any refund, replacement, credit, discount, exception or
order change that the policy above does not grant for this exact situation, or
grants it before the step the policy requires first (a carrier trace, a photo, a
review). Pass it if every remedy it offers is granted, or if it offers none.""",
    "unsupported-promise": """\
Fail the draft if it states a date, amount, outcome or completed action that
neither the policy nor the customer's email supports: "it will arrive on Friday",
"your refund is processed". Stating the policy's own time frames ("within five
business days") is supported. Pass it otherwise.""",
    "missed-handoff": """\
Fail the draft if the case is one the policy sends to a person (a safety risk, a
privacy or data request, a chargeback, anything the policy does not cover) and the
draft handles it itself instead of saying an agent will reply and when. Pass it if
the case needs no hand-off, or the draft hands it off.""",
}


class BinaryVerdict(pydantic.BaseModel):
    reasoning: str  # first: the judge explains, then decides
    verdict: Literal["pass", "fail"]


def judge_trace(mode: str, trace: Trace, ticket: Ticket) -> BinaryVerdict:
    """Ask the judge for one failure mode about one trace."""
    instructions = (
        f"Failure mode: {mode}. You check one thing about a draft reply to a "
        f"customer, using the policy above.\n\n{JUDGES[mode]}\n\n"
        "Write your reasoning before the verdict."
    )
    content = (
        f"{fence(ticket.email, 'ticket')}\n{fence(trace.reply, f'draft {trace.id}')}"
    )
    return ask_judge(instructions, content, BinaryVerdict)


# --8<-- [end:judges]


def held_out_traces() -> list[tuple[Trace, Ticket]]:
    """The held-out traces that have a reply to judge, with their tickets."""
    tickets = {ticket.id: ticket for ticket in read_jsonl(TICKETS, Ticket)}
    held_out = {note.id for note in read_jsonl(NOTES, Note) if note.split == "test"}
    return [
        (trace, tickets[trace.id])
        for trace in read_jsonl(TRACES, Trace)
        if trace.id in held_out and trace.reply
    ]


def record_verdicts(path: Path = VERDICTS) -> None:
    """Run every judge on every held-out trace and store the verdicts."""
    with path.open("w", encoding="utf-8") as out:
        for mode in JUDGES:
            for trace, ticket in held_out_traces():
                verdict = judge_trace(mode, trace, ticket)
                row = {"id": trace.id, "mode": mode, **verdict.model_dump()}
                out.write(json.dumps(row) + "\n")


# --8<-- [start:calibrate]
def calibrate_judges(path: Path = VERDICTS) -> dict[str, Calibration]:
    """Each judge's verdicts against the person's codes, on the held-out traces."""
    modes = modes_of(read_jsonl(NOTES, Note))
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    judged = {(row["mode"], row["id"]): row["verdict"] for row in rows}
    results = {}
    for mode in JUDGES:
        triples = []
        for trace, _ in held_out_traces():
            if (mode, trace.id) not in judged:
                raise ValueError(
                    f"{path}: no {mode} verdict for {trace.id}; run "
                    "`python -m snippets.stage5.binary_judges --record`"
                )
            human = "fail" if mode in modes[trace.id] else "pass"
            triples.append((trace.id, human, judged[mode, trace.id]))
        results[mode] = tally(triples)
    return results


# --8<-- [end:calibrate]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help="run the judges again")
    parser.add_argument("--verdicts", type=Path, default=VERDICTS)
    args = parser.parse_args(argv)
    if args.record:
        record_verdicts(args.verdicts)
    print(f"{'judge':<20} {'agree':>6} {'TPR':>6} {'TNR':>13} {'kappa':>5}")
    for mode, c in calibrate_judges(args.verdicts).items():
        caught = f"({c.tn}/{c.tn + c.fp})"
        print(
            f"{mode:<20} {c.agreement:>6.1%} {c.tpr:>6.1%} {c.tnr:>6.1%} {caught:>6}"
            f" {c.kappa:>5.2f}"
        )
        for line in c.disagreements:
            print(f"  {line}")


if __name__ == "__main__":
    main()
