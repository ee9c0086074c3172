"""Measure the classifier on a labelled set instead of trusting a few good demos.

A labelled set is a file of inputs with the answers a careful person gave. Run
the system on every input, compare, and report accuracy per field, the exact
misses, and the failures (exceptions) separately: a failure rate hidden inside
an accuracy figure is how regressions slip through.
"""

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from snippets.stage1.ticket_classifier import ClassificationFailed, classify

LABELLED_SET = Path(__file__).resolve().parents[2] / "data" / "stage1" / "tickets.jsonl"


@dataclass
class Report:
    total: int = 0
    category_correct: int = 0
    priority_correct: int = 0
    both_correct: int = 0
    misses: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)

    def rate(self, correct: int) -> float:
        return correct / self.total if self.total else 0.0


# --8<-- [start:evaluate]
def evaluate(path: Path = LABELLED_SET) -> Report:
    """Classify every labelled ticket and count what matched."""
    report = Report()
    for line in path.read_text(encoding="utf-8").splitlines():
        example = json.loads(line)
        report.total += 1
        try:
            label = classify(example["text"])
        except ClassificationFailed as error:
            report.failures.append(f"{example['id']}: {error}")
            continue
        category_ok = label.category == example["category"]
        priority_ok = label.priority == example["priority"]
        report.category_correct += category_ok
        report.priority_correct += priority_ok
        report.both_correct += category_ok and priority_ok
        if not category_ok:
            report.confusions[(example["category"], label.category)] += 1
        if not (category_ok and priority_ok):
            report.misses.append(
                f"{example['id']}: expected {example['category']}/"
                f"{example['priority']}, got {label.category}/{label.priority}"
            )
    return report


# --8<-- [end:evaluate]


def main() -> None:
    report = evaluate()
    print(f"tickets: {report.total}")
    print(f"category accuracy: {report.rate(report.category_correct):.0%}")
    print(f"priority accuracy: {report.rate(report.priority_correct):.0%}")
    print(f"both correct:      {report.rate(report.both_correct):.0%}")
    print(f"failures:          {len(report.failures)}")
    for miss in report.misses:
        print("  miss:", miss)
    for failure in report.failures:
        print("  failed:", failure)
    for (expected, got), count in report.confusions.most_common():
        print(f"  {expected} labelled as {got}: {count}")


if __name__ == "__main__":
    main()
