"""User feedback, explicit and implicit, turned into eval cases with their provenance.

The people who use the assistant's drafts (here, the support agents who send them)
say what went wrong in two ways. Explicitly: a thumbs-down, a correction typed into
the tool. Implicitly, by what they do: they regenerate the draft (a retry), rewrite
much of it before sending (an edit), or close the ticket without sending it (an
abandoned draft). Implicit signals are more frequent and noisier, so every signal
becomes a candidate case that a person labels before it counts; none is a label.

Each case keeps where it came from: the request, its prompt version, the signal,
its time and the event log's line. That is what lets you later ask "did the cases
from retries ever turn out to be real failures?" and drop a signal that does not.

The events in `data/stage5/feedback_events.jsonl` were written for this page,
against the replies of the recorded live traffic; they are not real users.
"""

import argparse
import difflib
from datetime import datetime
from pathlib import Path
from typing import Literal

import pydantic

from snippets.stage5.error_analysis import DATA, read_jsonl
from snippets.stage5.live_traffic import RunRecord, load_requests, load_traffic

EVENTS = DATA / "feedback_events.jsonl"
CASES = DATA / "feedback_cases.jsonl"
EDITED = 0.8  # a sent text less similar than this to the draft counts as an edit

Signal = Literal["thumbs-down", "correction", "retry", "edit", "abandoned"]


class Event(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")

    request: str
    at: datetime
    event: Literal["thumb", "correction", "regenerate", "sent", "closed"]
    value: str  # "up"/"down" for a thumb, the text for a correction or a sent edit


class Provenance(pydantic.BaseModel):
    request: str
    prompt: str
    signal: Signal
    at: datetime
    source: str  # file:line of the event


class FeedbackCase(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")

    id: str
    input: str  # the customer's email
    reply: str  # what the assistant drafted
    better: str | None  # a person's correction or edited text, when there is one
    label: None = None  # set by the person who reviews the case
    tags: list[str]
    provenance: Provenance


# --8<-- [start:signals]
def signal_of(event: Event, run: RunRecord) -> tuple[Signal, str | None] | None:
    """The feedback an event carries, and any better text; None if it is praise."""
    if event.event == "thumb":
        return ("thumbs-down", None) if event.value == "down" else None
    if event.event == "correction":
        return "correction", event.value
    if event.event == "regenerate":
        return "retry", None
    if event.event == "closed":
        return "abandoned", None
    # Sent: empty means sent as drafted; otherwise, how much did the person change?
    if not event.value:
        return None
    similarity = difflib.SequenceMatcher(None, run.reply, event.value).ratio()
    return ("edit", event.value) if similarity < EDITED else None


def cases_from(events: list[Event], runs: list[RunRecord]) -> list[FeedbackCase]:
    """One candidate case per signal, with where it came from."""
    by_id = {run.id: run for run in runs}
    emails = {request.id: request.email for request in load_requests().values()}
    cases = []
    for line, event in enumerate(events, 1):
        run = by_id.get(event.request)
        if run is None:
            raise ValueError(
                f"{EVENTS}:{line}: request: {event.request!r} is not in the live "
                "traffic log; fix the id or record the traffic again"
            )
        found = signal_of(event, run)
        if found is None:
            continue
        signal, better = found
        explicit = signal in ("thumbs-down", "correction")
        cases.append(
            FeedbackCase(
                id=f"fb-{run.id}-{signal}",
                input=emails[run.id],
                reply=run.reply,
                better=better,
                tags=["traffic", "explicit" if explicit else "implicit", signal],
                provenance=Provenance(
                    request=run.id,
                    prompt=run.prompt,
                    signal=signal,
                    at=event.at,
                    source=f"{EVENTS.name}:{line}",
                ),
            )
        )
    return cases


# --8<-- [end:signals]


# --8<-- [start:add]
def add_to_eval_set(cases: list[FeedbackCase], path: Path = CASES) -> list[str]:
    """Append the cases not already in the set; return the ids added."""
    known = (
        {case.id for case in read_jsonl(path, FeedbackCase)} if path.exists() else set()
    )
    new = [case for case in cases if case.id not in known]
    with path.open("a", encoding="utf-8") as out:
        out.writelines(case.model_dump_json() + "\n" for case in new)
    return [case.id for case in new]


# --8<-- [end:add]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=CASES)
    args = parser.parse_args(argv)
    cases = cases_from(read_jsonl(EVENTS, Event), load_traffic())
    added = add_to_eval_set(cases, args.cases)
    for case in cases:
        state = "added" if case.id in added else "already in the set"
        print(f"{case.id:<28} {' '.join(case.tags[1:]):<22} {state}")


if __name__ == "__main__":
    main()
