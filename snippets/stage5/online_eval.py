"""Online evaluation: the binary judges on sampled live traffic, off the request path.

Offline evals measure the cases you thought of; live traffic holds the ones you did
not. Online evaluation runs the judges that error analysis produced
(`binary_judges`) on a sample of real requests after they were answered, never in
the request path. Three decisions make it usable:

- sample by a hash of the request id, so the same request is always in or out, a
  re-run judges the same requests, and the share is what you set;
- run the judge calls concurrently, with a fixed limit, so a backlog of a day's
  traffic finishes quickly without exceeding the rate limit;
- report each failure mode's rate with a bootstrap interval, and count the runs
  with no reply and the calls where the judge gave no verdict on their own, never
  as passes.

The judges are the synchronous ones from `binary_judges`; each call runs in a worker
thread, and a semaphore bounds how many are in flight.
"""

import asyncio
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from snippets.stage5.binary_judges import JUDGES, BinaryVerdict, judge_trace
from snippets.stage5.error_analysis import Ticket, Trace
from snippets.stage5.eval_stats import bootstrap_ci
from snippets.stage5.judge import JudgeFailed
from snippets.stage5.live_traffic import RunRecord, load_requests, load_traffic

SAMPLE_RATE = 0.5  # of live requests; lower it as traffic grows
CONCURRENCY = 4  # judge calls in flight at once

Judge = Callable[[str, Trace, Ticket], BinaryVerdict]


# --8<-- [start:sample]
def sampled(request_id: str, rate: float = SAMPLE_RATE) -> bool:
    """In the sample or not, decided by the id alone: stable across re-runs."""
    if not 0 < rate <= 1:
        raise ValueError(f"the sample rate must be in (0, 1], got {rate}")
    bucket = int(hashlib.sha256(request_id.encode()).hexdigest()[:8], 16)
    return bucket / 2**32 < rate


# --8<-- [end:sample]


@dataclass
class OnlineReport:
    live: int  # requests in the log
    sampled: int
    no_reply: list[str] = field(default_factory=list)  # refused, cut off, out of steps
    unjudged: list[str] = field(default_factory=list)  # "mode: id", the judge failed
    failed: dict[str, list[str]] = field(default_factory=dict)  # mode -> ids
    passed: dict[str, list[str]] = field(default_factory=dict)


# --8<-- [start:judge]
Verdicts = dict[tuple[str, str], str | None]  # (mode, draft id) -> pass, fail, None


async def judge_runs(
    drafts: dict[str, RunRecord],
    concurrency: int = CONCURRENCY,
    judge: Judge = judge_trace,
) -> Verdicts:
    """Every judge on every draft (by draft id), `concurrency` calls at a time."""
    emails = {request.id: request.email for request in load_requests().values()}
    limit = asyncio.Semaphore(concurrency)

    async def one(mode: str, draft: str, record: RunRecord) -> str | None:
        trace = Trace(
            id=draft,
            stop_reason="end_turn",
            reply=record.reply,
            output_tokens=record.output_tokens,
        )
        ticket = Ticket(id=record.id, scenario="live", email=emails[record.id])
        async with limit:  # at most `concurrency` judge calls in flight
            try:
                verdict = await asyncio.to_thread(judge, mode, trace, ticket)
            except JudgeFailed:  # no verdict: counted apart, never as a pass
                return None
        return verdict.verdict

    keys = [(mode, draft) for mode in JUDGES for draft in drafts]
    verdicts = await asyncio.gather(*(one(m, d, drafts[d]) for m, d in keys))
    return dict(zip(keys, verdicts, strict=True))


async def judge_sample(
    records: list[RunRecord],
    rate: float = SAMPLE_RATE,
    concurrency: int = CONCURRENCY,
    judge: Judge = judge_trace,
) -> OnlineReport:
    """The judges on the sampled requests that got a reply."""
    chosen = [record for record in records if sampled(record.id, rate)]
    report = OnlineReport(live=len(records), sampled=len(chosen))
    report.no_reply = [r.id for r in chosen if r.ending != "answered"]
    answered = {r.id: r for r in chosen if r.ending == "answered"}
    verdicts = await judge_runs(answered, concurrency, judge)
    for (mode, request_id), verdict in verdicts.items():
        if verdict is None:
            report.unjudged.append(f"{mode}: {request_id}")
        else:
            outcome = report.failed if verdict == "fail" else report.passed
            outcome.setdefault(mode, []).append(request_id)
    return report


# --8<-- [end:judge]


def format_report(report: OnlineReport) -> str:
    judged = report.sampled - len(report.no_reply)
    lines = [
        f"live requests: {report.live}, sampled: {report.sampled}, replies judged: "
        f"{judged}, no reply: {len(report.no_reply)} ({', '.join(report.no_reply)})",
        f"{'failure mode':<20} {'rate':>6}  95% interval   failed",
    ]
    for mode in JUDGES:
        failed = report.failed.get(mode, [])
        scores = [1.0] * len(failed) + [0.0] * len(report.passed.get(mode, []))
        low, high = bootstrap_ci(scores)
        rate = sum(scores) / len(scores)
        lines.append(
            f"{mode:<20} {rate:>6.1%}  {low:>5.1%}-{high:<6.1%}  {', '.join(failed)}"
        )
    lines.append(f"unjudged: {', '.join(report.unjudged) or 'none'}")
    return "\n".join(lines)


def main() -> None:
    print(format_report(asyncio.run(judge_sample(load_traffic()))))


if __name__ == "__main__":
    main()
