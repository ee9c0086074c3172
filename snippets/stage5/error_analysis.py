"""Error analysis: read the traces, name what went wrong, count it, then decide.

Before any metric or judge, read what the system did. Here that is 120 drafts from
the Stage 2 support drafter, one per customer email. A person reads each trace and
writes a short note in their own words (open coding) with a code per problem. The
codes are then grouped into a handful of failure modes (axial coding), and the
modes are counted. The count decides what to measure: the frequent modes that code
cannot check get a binary judge each (see `binary_judges`); the rest get a
programmatic check or a fix.

`--record` runs the drafter on every ticket and stores the traces, so the analysis
below reads committed files and calls no API.
"""

import argparse
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pydantic

from snippets.stage1.fence import fence
from snippets.stage1.replies import text_of
from snippets.stage2.support_drafter import write

DATA = Path(__file__).resolve().parents[2] / "data" / "stage5"
TICKETS = DATA / "support_tickets.jsonl"
TRACES = DATA / "traces.jsonl"
NOTES = DATA / "trace_notes.jsonl"

Row = TypeVar("Row", bound=pydantic.BaseModel)


class Ticket(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")

    id: str
    scenario: str
    email: str


class Trace(pydantic.BaseModel):
    """What the drafter did with one ticket: its reply and how the call ended."""

    model_config = pydantic.ConfigDict(extra="forbid")

    id: str
    stop_reason: str
    reply: str  # empty when the model refused or was cut off
    output_tokens: int  # thinking included


class Note(pydantic.BaseModel):
    """A person's reading of one trace: free text, and one code per problem seen."""

    model_config = pydantic.ConfigDict(extra="forbid")

    id: str
    split: str  # "dev" to write judges against, "test" to calibrate them on
    note: str
    codes: list[str]


def read_jsonl(path: Path, model: type[Row]) -> list[Row]:
    """Validate every line; an error names the file, the line, the field and the fix."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        try:
            rows.append(model.model_validate_json(line))
        except pydantic.ValidationError as error:
            problem = error.errors()[0]
            field = ".".join(str(part) for part in problem["loc"]) or "line"
            raise ValueError(
                f"{path}:{number}: {field}: {problem['msg']}; fix the line to match "
                f"{model.__name__}"
            ) from error
    return rows


def record_traces(tickets: Iterable[Ticket], path: Path = TRACES) -> None:
    """Run the Stage 2 drafting call on every ticket and store what came back."""
    with path.open("w", encoding="utf-8") as out:
        for ticket in tickets:
            content = fence(ticket.email, f"email {ticket.id}") + "\n"
            message = write([{"role": "user", "content": content + "Draft the reply."}])
            trace = Trace(
                id=ticket.id,
                stop_reason=str(message.stop_reason),
                reply=text_of(message),
                output_tokens=message.usage.output_tokens,
            )
            out.write(trace.model_dump_json() + "\n")


# --8<-- [start:modes]
# Axial coding: the open codes from the notes, grouped into failure modes. Written
# after reading the notes, and revised whenever a new code turns up.
FAILURE_MODES = {
    "ungranted-remedy": {
        "cash-instead-of-warranty",
        "change-outside-window",
        "discount-as-apology",
        "full-refund-used-item",
        "promised-credit",
        "refund-before-trace",
        "replacement-before-trace",
    },
    "unsupported-promise": {
        "claimed-action-done",
        "code-applied-claimed",
        "promised-delivery-date",
        "promised-found",
        "promised-refund-date",
    },
    "missed-handoff": {
        "chargeback-not-escalated",
        "data-request-handled",
        "home-repair-advice",
        "safety-not-escalated",
    },
    "asks-for-given-info": {"asks-order-number-given", "asks-photo-again"},
    "house-style": {"exclamation-in-problem", "opens-with-apology", "says-policy-says"},
    "no-usable-reply": {"cut-off", "refused-benign"},
}
MODE_OF_CODE = {code: mode for mode, codes in FAILURE_MODES.items() for code in codes}


def modes_of(notes: list[Note], path: Path = NOTES) -> dict[str, set[str]]:
    """Trace id -> its failure modes; an unknown code is an error, not a silent skip."""
    found: dict[str, set[str]] = {}
    for number, note in enumerate(notes, 1):
        unknown = [code for code in note.codes if code not in MODE_OF_CODE]
        if unknown:
            raise ValueError(
                f"{path}:{number}: codes: {unknown[0]!r} belongs to no failure mode; "
                "add it to FAILURE_MODES in snippets/stage5/error_analysis.py"
            )
        found[note.id] = {MODE_OF_CODE[code] for code in note.codes}
    return found


# --8<-- [end:modes]


# --8<-- [start:count]
@dataclass(frozen=True)
class ModeCount:
    mode: str
    traces: list[str]  # ids of the traces that show it

    def row(self, total: int) -> str:
        examples = ", ".join(self.traces[:3])
        share = len(self.traces) / total
        return f"{self.mode:<20} {len(self.traces):>6} {share:>6.1%}  {examples}"


def count_modes(traces: list[Trace], modes: dict[str, set[str]]) -> list[ModeCount]:
    """Failure modes by how many traces show each, most frequent first."""
    missing = [trace.id for trace in traces if trace.id not in modes]
    if missing:
        raise ValueError(
            f"{NOTES}: no note for trace {missing[0]}; read it and add a line"
        )
    counts = [
        ModeCount(mode, [t.id for t in traces if mode in modes[t.id]])
        for mode in FAILURE_MODES
    ]
    return sorted(counts, key=lambda count: -len(count.traces))


def failure_table(traces: list[Trace], modes: dict[str, set[str]]) -> str:
    failed = sum(bool(modes[trace.id]) for trace in traces)
    lines = [
        f"traces: {len(traces)}, with at least one failure: {failed}",
        f"{'failure mode':<20} {'traces':>6} {'share':>6}  examples",
    ]
    lines += [count.row(len(traces)) for count in count_modes(traces, modes)]
    return "\n".join(lines)


# --8<-- [end:count]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help="run the drafter again")
    parser.add_argument("--traces", type=Path, default=TRACES)
    args = parser.parse_args(argv)
    if args.record:
        record_traces(read_jsonl(TICKETS, Ticket), args.traces)
    traces = read_jsonl(args.traces, Trace)
    print(failure_table(traces, modes_of(read_jsonl(NOTES, Note))))


if __name__ == "__main__":
    main()
