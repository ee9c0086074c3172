"""A CI gate: fail the build when a change lowers quality.

The baseline is a committed JSON file of metric values from a run the team agreed
was good. The gate runs the eval again, compares every metric with its baseline
value, and fails if any dropped by more than its tolerance. Overall metrics get a
tight tolerance; per-tag pass rates a looser one, because a tag has few cases and
one flipped case moves it a lot. A better score never fails the gate: raise the
bar on purpose by recording a new baseline (`--record`) in the same pull request.
"""

import argparse
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from snippets.stage5.eval_runner import Classifier, format_report, load_cases, run_eval

BASELINE = Path(__file__).resolve().parents[2] / "data" / "stage5" / "baseline.json"

# The pull request that "saved tokens": the label definitions are gone.
TRIMMED_SYSTEM = (
    "You triage support tickets for a B2B software company. "
    "Pick one category and one priority."
)


# --8<-- [start:compare]
OVERALL_TOLERANCE = 0.03  # about one case in 32
TAG_TOLERANCE = 0.10


@dataclass(frozen=True)
class Regression:
    metric: str
    baseline: float
    current: float
    tolerance: float

    def __str__(self) -> str:
        return (
            f"{self.metric}: {self.current:.3f} < baseline {self.baseline:.3f}"
            f" - tolerance {self.tolerance:.2f}"
        )


class GateFailed(AssertionError):
    """At least one metric fell below its baseline by more than its tolerance."""


def tolerance_for(metric: str) -> float:
    return TAG_TOLERANCE if "[" in metric else OVERALL_TOLERANCE


def compare(current: dict[str, float], baseline: dict[str, float]) -> list[Regression]:
    """Every baseline metric that dropped too far; a missing metric counts as 0."""
    regressions = []
    for metric, expected in sorted(baseline.items()):
        value = current.get(metric, 0.0)
        tolerance = tolerance_for(metric)
        if value < expected - tolerance:
            regressions.append(Regression(metric, expected, value, tolerance))
    return regressions


def check(current: dict[str, float], baseline_path: Path = BASELINE) -> None:
    """Raise GateFailed, listing every regression, or return quietly."""
    baseline = json.loads(baseline_path.read_text(encoding="utf-8"))["metrics"]
    regressions = compare(current, baseline)
    if regressions:
        lines = "\n".join(f"  {regression}" for regression in regressions)
        raise GateFailed(
            f"quality gate failed against {baseline_path.name}:\n{lines}\n"
            "If the drop is intended, record a new baseline with --record."
        )


# --8<-- [end:compare]


def record(classifier: Classifier, metrics: dict[str, float], path: Path) -> None:
    """Write the baseline, with which prompt and model produced it."""
    prompt_hash = hashlib.sha256(classifier.system.encode()).hexdigest()[:12]
    baseline = {
        "system": {"model": classifier.model, "prompt_sha256": prompt_hash},
        "metrics": {name: round(value, 4) for name, value in metrics.items()},
    }
    path.write_text(json.dumps(baseline, indent=2, sort_keys=True) + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, default=BASELINE)
    parser.add_argument("--record", action="store_true", help="write a new baseline")
    parser.add_argument(
        "--trimmed", action="store_true", help="run the degraded, trimmed prompt"
    )
    args = parser.parse_args(argv)
    classifier = Classifier(system=TRIMMED_SYSTEM) if args.trimmed else Classifier()
    report = run_eval(load_cases(), classifier)
    print(format_report(report))
    if args.record:
        record(classifier, report.metrics(), args.baseline)
        print(f"recorded {args.baseline}")
        return
    try:
        check(report.metrics(), args.baseline)
    except GateFailed as failure:
        raise SystemExit(str(failure)) from None
    print(f"quality gate passed against {args.baseline.name}")


if __name__ == "__main__":
    main()
