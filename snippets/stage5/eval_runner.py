"""Evals: a dataset format, a runner, programmatic metrics and a report.

An eval set is a JSONL file of cases. Each case has an id, the input, what a
correct output looks like, and tags that say where the case came from (real
traffic, an edge case, a past regression) and what it exercises. A case is scored
either against `expected` values by code, or against a `rubric` by a judge (see
`judge`). The runner calls the system once per case, keeps every output, and the
report breaks the scores down by tag and lists every failure by id: a single
average hides the slice that got worse.

The system under test is the Stage 1 ticket classifier. `Classifier` is one
configuration of it, a model and a prompt, because comparing configurations is
what evals are for.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anthropic
import pydantic
from anthropic.types import Message

from snippets.stage1.fence import fence
from snippets.stage1.replies import IncompleteReply, reply_text
from snippets.stage1.ticket_classifier import (
    MODEL,
    SYSTEM,
    ClassificationFailed,
    TicketLabel,
)
from snippets.stage5.cost_accounting import Ledger

EVAL_SET = Path(__file__).resolve().parents[2] / "data" / "stage5" / "eval_set.jsonl"

client = anthropic.Anthropic()


# --8<-- [start:format]
class EvalCase(pydantic.BaseModel):
    """One line of the eval set."""

    model_config = pydantic.ConfigDict(extra="forbid")

    id: str
    input: str
    # Field name -> the right value, a list of acceptable values, or None (absent).
    expected: dict[str, str | list[str] | None] | None = None
    rubric: str | None = None  # for outputs with no single right answer
    tags: list[str] = []

    @pydantic.model_validator(mode="after")
    def scored_one_way(self) -> "EvalCase":
        if (self.expected is None) == (self.rubric is None):
            raise ValueError("give exactly one of `expected` or `rubric`")
        return self


def load_cases(path: Path = EVAL_SET) -> list[EvalCase]:
    """Read and validate an eval set; an error names the file and the line."""
    cases: list[EvalCase] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        try:
            case = EvalCase.model_validate_json(line)
        except pydantic.ValidationError as error:
            problem = error.errors()[0]
            field = ".".join(str(part) for part in problem["loc"]) or "case"
            raise ValueError(f"{path}:{number}: {field}: {problem['msg']}") from error
        if case.id in seen:
            raise ValueError(f"{path}:{number}: duplicate id {case.id!r}")
        seen.add(case.id)
        cases.append(case)
    return cases


# --8<-- [end:format]


# --8<-- [start:system]
LABEL_FORMAT = {
    "type": "json_schema",
    "schema": anthropic.transform_schema(TicketLabel),
}


@dataclass(frozen=True)
class Classifier:
    """The Stage 1 classifier with its model and prompt as settings."""

    model: str = MODEL
    system: str = SYSTEM
    ledger: Ledger | None = field(default=None, compare=False)  # to price each call

    def request(self, ticket: str) -> dict[str, Any]:
        """The request parameters, shared by the live, batch and streamed calls."""
        return {
            "model": self.model,
            # Room for the thinking and then a label of about 15 tokens.
            "max_tokens": 1024,
            # Low effort: picking one of five labels needs little deliberation, and
            # on the 5.5 models every thinking token is billed as output.
            "output_config": {"effort": "low", "format": LABEL_FORMAT},
            "system": self.system,
            "messages": [{"role": "user", "content": fence(ticket, "ticket")}],
        }

    def __call__(self, ticket: str) -> TicketLabel:
        message = client.messages.create(**self.request(ticket))
        if self.ledger is not None:
            self.ledger.record("classify", self.model, message)
        return label_from(message)


def label_from(message: Message) -> TicketLabel:
    """The label in a finished reply, or ClassificationFailed saying why there is none.

    The stop reason is checked before the JSON is parsed, so a refusal or a
    cut-off reply is reported as what it is, not as a parse error.
    """
    try:
        return TicketLabel.model_validate_json(reply_text(message))
    except IncompleteReply as error:
        raise ClassificationFailed(f"no label: {error}") from error
    except pydantic.ValidationError as error:
        reason = f"reply did not fit the schema ({error.errors()[0]['type']})"
        raise ClassificationFailed(reason) from error


# --8<-- [end:system]

System = Callable[[str], pydantic.BaseModel]
Judge = Callable[[EvalCase, pydantic.BaseModel], bool]


# --8<-- [start:metrics]
def matches(value: object, expected: str | list[str]) -> bool:
    return value in expected if isinstance(expected, list) else value == expected


def field_counts(
    output: dict[str, object] | None, expected: dict[str, str | list[str] | None]
) -> tuple[int, int, int]:
    """True positives, false positives and false negatives over the fields.

    A right value is a true positive. A wrong value is both a false positive (we
    claimed something untrue) and a false negative (we missed the truth). A value
    where none is expected is a false positive; a missing one a false negative.
    """
    tp = fp = fn = 0
    for name, want in expected.items():
        got = None if output is None else output.get(name)
        if want is None:
            fp += got is not None
        elif got is not None and matches(got, want):
            tp += 1
        else:
            fn += 1
            fp += got is not None
    return tp, fp, fn


def f1(tp: int, fp: int, fn: int) -> float:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    both = precision + recall
    return 2 * precision * recall / both if both else 0.0


# --8<-- [end:metrics]


@dataclass
class CaseResult:
    case: EvalCase
    output: dict[str, object] | None  # None when the system failed
    error: str | None = None
    passed: bool = False  # exact match, or the judge's verdict
    counts: tuple[int, int, int] = (0, 0, 0)


# --8<-- [start:report]
@dataclass
class EvalReport:
    results: list[CaseResult] = field(default_factory=list)

    def rate(self, results: Iterable[CaseResult]) -> float:
        chosen = list(results)
        return sum(r.passed for r in chosen) / len(chosen) if chosen else 0.0

    def metrics(self) -> dict[str, float]:
        """Flat metric name -> value: what the CI gate compares with its baseline."""
        scored = [r for r in self.results if r.case.expected is not None]
        judged = [r for r in self.results if r.case.rubric is not None]
        valid = [r for r in self.results if r.error is None]
        tp, fp, fn = (sum(r.counts[i] for r in scored) for i in range(3))
        metrics = {
            "schema_validity": len(valid) / len(self.results) if self.results else 0.0,
            "exact_match": self.rate(scored),
            "field_f1": f1(tp, fp, fn),
        }
        if judged:
            metrics["rubric_pass"] = self.rate(judged)
        for tag, results in sorted(self.by_tag().items()):
            metrics[f"pass[{tag}]"] = self.rate(results)
        return metrics

    def by_tag(self) -> dict[str, list[CaseResult]]:
        groups: dict[str, list[CaseResult]] = defaultdict(list)
        for result in self.results:
            for tag in result.case.tags:
                groups[tag].append(result)
        return groups

    def failures(self) -> list[str]:
        """One line per case that did not pass, with what went wrong."""
        lines = []
        for r in self.results:
            if r.error is not None:
                lines.append(f"{r.case.id}: failed: {r.error}")
            elif not r.passed:
                want = r.case.expected or r.case.rubric
                lines.append(f"{r.case.id}: expected {want}, got {r.output}")
        return lines


def format_report(report: EvalReport) -> str:
    metrics = report.metrics()
    lines = [f"cases: {len(report.results)}"]
    lines += [f"{name:<16} {metrics[name]:.3f}" for name in metrics if "[" not in name]
    lines.append("by tag:")
    for tag, results in sorted(report.by_tag().items()):
        passed = sum(r.passed for r in results)
        rate = metrics[f"pass[{tag}]"]
        lines.append(f"  {tag:<14} {passed:>3}/{len(results):<3} {rate:.0%}")
    lines.append("not passed:")
    lines += [f"  {line}" for line in report.failures()]
    return "\n".join(lines)


# --8<-- [end:report]


# --8<-- [start:run]
def run_eval(
    cases: list[EvalCase], system: System, judge: Judge | None = None
) -> EvalReport:
    """Run the system on every case and score each output."""
    report = EvalReport()
    for case in cases:
        try:
            output = system(case.input)
        except ClassificationFailed as error:
            report.results.append(CaseResult(case, None, error=str(error)))
            if case.expected is not None:
                report.results[-1].counts = field_counts(None, case.expected)
            continue
        result = CaseResult(case, output.model_dump(mode="json"))
        if case.expected is not None:
            result.counts = field_counts(result.output, case.expected)
            result.passed = result.counts[1:] == (0, 0)
        elif judge is None:
            raise ValueError(f"case {case.id!r} has a rubric: pass a judge")
        else:
            result.passed = judge(case, output)
        report.results.append(result)
    return report


# --8<-- [end:run]


def main() -> None:
    report = run_eval(load_cases(), Classifier())
    print(format_report(report))


if __name__ == "__main__":
    main()
