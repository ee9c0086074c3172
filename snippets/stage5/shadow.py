"""A shadow comparison: the candidate prompt answers the same live requests, unseen.

Before a new prompt or model serves customers, run it in the shadow: every sampled
live request is answered a second time by the candidate, whose reply nobody sees.
Both replies go through the same binary judges, so each request gives a pair of
outcomes (the reply passes every judge, or it does not) on the same input. That is
the setting the paired test was made for: McNemar looks only at the requests where
the two disagree (`eval_stats`). The decision rule:

- p below 0.05 (two-sided): adopt the candidate if it won more requests than it
  lost, keep the current prompt if it lost more;
- otherwise no difference is shown yet: keep shadowing, and `cases_needed` says
  roughly how many requests the observed difference would need.

A run the judge could not judge is left out of the pairs, and said so. The live
replies and verdicts here come from the local API double.
"""

import asyncio
from dataclasses import dataclass

from snippets.stage5.binary_judges import JUDGES
from snippets.stage5.eval_stats import cases_needed, mcnemar_two_sided
from snippets.stage5.live_traffic import (
    CURRENT,
    RunRecord,
    load_requests,
    load_traffic,
    serve,
)
from snippets.stage5.online_eval import CONCURRENCY, Verdicts, judge_runs, sampled

CANDIDATE = "v2"
ALPHA = 0.05


# --8<-- [start:decide]
@dataclass(frozen=True)
class Shadow:
    pairs: int
    lost: list[str]  # current passed, candidate failed
    gained: list[str]  # candidate passed, current failed
    unjudged: list[str]

    @property
    def p_value(self) -> float:
        return mcnemar_two_sided(len(self.lost), len(self.gained))

    def decision(self) -> str:
        if self.p_value < ALPHA:
            better = len(self.gained) > len(self.lost)
            return f"adopt {CANDIDATE}" if better else f"keep {CURRENT}"
        if len(self.gained) == len(self.lost):
            return "no difference shown: keep shadowing"
        changed = (len(self.lost) + len(self.gained)) / self.pairs
        drop = abs(len(self.gained) - len(self.lost)) / self.pairs
        needed = cases_needed(drop, changed, alpha=ALPHA / 2)
        return f"no difference shown yet: keep shadowing (about {needed} requests)"


def passes(verdicts: Verdicts, draft: str, record: RunRecord) -> bool | None:
    """True if every judge passed the reply; None if any judge gave no verdict."""
    if record.ending != "answered":
        return False  # no reply is a failure for the person who asked
    found = [verdicts[mode, draft] for mode in JUDGES]
    return None if None in found else all(v == "pass" for v in found)


def compare(
    current: list[RunRecord], candidate: list[RunRecord], verdicts: Verdicts
) -> Shadow:
    lost, gained, unjudged = [], [], []
    for old, new in zip(current, candidate, strict=True):
        before = passes(verdicts, old.id, old)
        after = passes(verdicts, f"{new.id}-{new.prompt}", new)
        if before is None or after is None:
            unjudged.append(old.id)
        elif before and not after:
            lost.append(old.id)
        elif after and not before:
            gained.append(old.id)
    return Shadow(len(current) - len(unjudged), lost, gained, unjudged)


# --8<-- [end:decide]


# --8<-- [start:shadow]
async def shadow(records: list[RunRecord]) -> Shadow:
    """Run the candidate on the sampled requests, judge both replies, and pair them."""
    requests = load_requests()
    current = [record for record in records if sampled(record.id)]
    limit = asyncio.Semaphore(CONCURRENCY)

    async def run(record: RunRecord) -> RunRecord:
        async with limit:
            return await asyncio.to_thread(serve, requests[record.id], CANDIDATE)

    candidate = await asyncio.gather(*(run(record) for record in current))
    drafts = {r.id: r for r in current if r.ending == "answered"}
    drafts |= {f"{r.id}-{r.prompt}": r for r in candidate if r.ending == "answered"}
    return compare(current, list(candidate), await judge_runs(drafts))


# --8<-- [end:shadow]


def main() -> None:
    result = asyncio.run(shadow(load_traffic()))
    print(f"{CURRENT} against {CANDIDATE} on {result.pairs} live requests")
    print(f"lost: {len(result.lost)} ({', '.join(result.lost) or 'none'})")
    print(f"gained: {len(result.gained)} ({', '.join(result.gained) or 'none'})")
    print(f"two-sided McNemar p = {result.p_value:.3f}")
    print(f"decision: {result.decision()}")


if __name__ == "__main__":
    main()
