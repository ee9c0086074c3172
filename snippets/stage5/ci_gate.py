"""A CI gate that fails a change only when it is worse by more than noise.

On the Claude 5.5 models two runs of the same system on the same cases differ, so
a fixed tolerance either flips on noise or misses real drops. This gate measures
the noise instead. The baseline is the accepted system run several times
(`--record --repeats 5`): it stores which cases passed in each run, and the spread
of exact match across those runs. A candidate run then fails the gate only when
both hold:

- the paired test says it is worse: an exact one-sided McNemar test on the cases
  that changed against the baseline's usual outcome, p below 0.05;
- the drop in exact match is larger than the spread the baseline showed by itself.

A better score never fails the gate: raise the bar on purpose by recording a new
baseline in the same pull request, so the reviewer sees the numbers change.
`--batch` runs the eval on the Message Batches API, at half the price, for the
live gate that CI runs on pull requests that touch prompts, models or retrieval.
"""

import argparse
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from snippets.stage5.batch_eval import answered_from, batch_requests, collect, run_batch
from snippets.stage5.cost_accounting import Ledger
from snippets.stage5.eval_runner import (
    Classifier,
    EvalCase,
    EvalReport,
    format_report,
    load_cases,
    run_eval,
)
from snippets.stage5.eval_stats import mcnemar_worse

BASELINE = Path(__file__).resolve().parents[2] / "data" / "stage5" / "baseline.json"

# The pull request that "saved tokens": the label definitions are gone.
TRIMMED_SYSTEM = (
    "You triage support tickets for a B2B software company. "
    "Pick one category and one priority."
)


def evaluate(cases: list[EvalCase], classifier: Classifier, batch: bool) -> EvalReport:
    """One eval run, live call by call or as one batch at half the price."""
    if not batch:
        return run_eval(cases, classifier)
    labels = collect(
        run_batch(batch_requests(cases, classifier)), classifier.model, Ledger()
    )
    return run_eval(cases, answered_from(cases, labels))


# --8<-- [start:baseline]
@dataclass(frozen=True)
class Baseline:
    """The accepted system, run `runs` times: which cases passed in each run."""

    passes: dict[str, int]  # case id -> in how many runs it passed
    runs: int
    scores: list[float]  # exact match of each run

    @property
    def spread(self) -> float:
        """How far exact match moved between runs of the same system."""
        return max(self.scores) - min(self.scores)

    @property
    def mean(self) -> float:
        return sum(self.scores) / self.runs

    def usually_passes(self, case: str) -> bool:
        return 2 * self.passes.get(case, 0) > self.runs


def record(classifier: Classifier, reports: list[EvalReport], path: Path) -> Baseline:
    """Write the baseline from repeat runs, with the model and prompt behind it."""
    ids = [result.case.id for result in reports[0].results]
    passes = {
        case: sum(r.results[i].passed for r in reports) for i, case in enumerate(ids)
    }
    scores = [round(report.metrics()["exact_match"], 4) for report in reports]
    prompt_hash = hashlib.sha256(classifier.system.encode()).hexdigest()[:12]
    saved = {
        "system": {"model": classifier.model, "prompt_sha256": prompt_hash},
        "runs": len(reports),
        "exact_match": scores,
        "passes": passes,
    }
    path.write_text(json.dumps(saved, indent=2) + "\n", encoding="utf-8")
    return Baseline(passes, len(reports), scores)


def load_baseline(path: Path = BASELINE) -> Baseline:
    if not path.is_file():
        raise FileNotFoundError(
            f"{path}: no baseline; record one from the accepted system with "
            f"`python -m snippets.stage5.ci_gate --record --baseline {path}`"
        )
    saved = json.loads(path.read_text(encoding="utf-8"))
    return Baseline(saved["passes"], saved["runs"], saved["exact_match"])


# --8<-- [end:baseline]


# --8<-- [start:decide]
ALPHA = 0.05  # the chance we accept of failing a change that is not worse


class GateFailed(AssertionError):
    """The candidate is worse than the baseline by more than its measured noise."""


@dataclass(frozen=True)
class Decision:
    score: float
    baseline: Baseline
    lost: list[str]  # cases the baseline usually passes and the candidate failed
    gained: list[str]  # the other way round

    @property
    def p_value(self) -> float:
        return mcnemar_worse(len(self.lost), len(self.gained))

    @property
    def drop(self) -> float:
        return self.baseline.mean - self.score

    @property
    def worse(self) -> bool:
        return self.p_value < ALPHA and self.drop > self.baseline.spread

    def __str__(self) -> str:
        return "\n".join(
            [
                f"exact match {self.score:.3f}, baseline {self.baseline.mean:.3f} "
                f"over {self.baseline.runs} runs (spread {self.baseline.spread:.3f})",
                f"drop {self.drop:+.3f}; lost {len(self.lost)}, gained "
                f"{len(self.gained)}; one-sided McNemar p = {self.p_value:.4f}",
                f"lost: {', '.join(self.lost) or 'none'}",
                f"gained: {', '.join(self.gained) or 'none'}",
            ]
        )


def decide(report: EvalReport, baseline: Baseline) -> Decision:
    """Compare a run with the baseline case by case, not just score against score."""
    lost, gained = [], []
    for result in report.results:
        usual = baseline.usually_passes(result.case.id)
        if usual and not result.passed:
            lost.append(result.case.id)
        elif result.passed and not usual:
            gained.append(result.case.id)
    return Decision(report.metrics()["exact_match"], baseline, lost, gained)


def check(report: EvalReport, path: Path = BASELINE) -> Decision:
    """The gate: raise GateFailed when the run is worse beyond noise."""
    decision = decide(report, load_baseline(path))
    if decision.worse:
        raise GateFailed(
            f"quality gate failed against {path.name}:\n{decision}\n"
            f"worse beyond noise: p < {ALPHA} and drop > spread. If the drop is "
            "intended, record a new baseline with --record."
        )
    return decision


# --8<-- [end:decide]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, default=BASELINE)
    parser.add_argument("--record", action="store_true", help="write a new baseline")
    parser.add_argument("--repeats", type=int, default=5, help="runs for --record")
    parser.add_argument("--batch", action="store_true", help="use the Batches API")
    parser.add_argument(
        "--trimmed", action="store_true", help="run the degraded, trimmed prompt"
    )
    args = parser.parse_args(argv)
    classifier = Classifier(system=TRIMMED_SYSTEM) if args.trimmed else Classifier()
    cases = load_cases()
    if args.record:
        reports = [evaluate(cases, classifier, args.batch) for _ in range(args.repeats)]
        baseline = record(classifier, reports, args.baseline)
        print(f"recorded {args.baseline}: exact match {baseline.scores}")
        return
    report = evaluate(cases, classifier, args.batch)
    print(format_report(report))
    try:
        decision = check(report, args.baseline)
    except (GateFailed, FileNotFoundError) as failure:
        raise SystemExit(str(failure)) from None
    print(f"{decision}\nquality gate passed against {args.baseline.name}")


if __name__ == "__main__":
    main()
