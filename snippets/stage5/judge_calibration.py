"""Calibrate the judge against human labels before trusting a number it produces.

A judge is a measuring instrument, and an instrument is calibrated against a
reference. The reference here is a committed set of draft replies that a person
graded by the same rubric (`data/stage5/judge_labels.jsonl`). The judge's verdicts
on the same drafts are recorded in `data/stage5/judge_verdicts.jsonl`, so the
figures can be recomputed without calling the API, and re-recorded with
`--record` whenever the rubric, the prompt or the judge model changes.

"Positive" means pass. The true positive rate is the share of drafts people passed
that the judge passed too; the true negative rate is the share of drafts people
failed that the judge failed too. A judge with a low true negative rate waves bad
replies through, which is the expensive mistake. Cohen's kappa is agreement
corrected for the agreement two graders would reach by chance.

Pairwise comparison has its own failure: position bias, a preference for
whichever draft comes first. The check asks twice, with the order swapped, and
counts a pair only when both answers name the same draft.
"""

import argparse
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pydantic

from snippets.stage5.judge import compare, judge_reply

DATA = Path(__file__).resolve().parents[2] / "data" / "stage5"
LABELS = DATA / "judge_labels.jsonl"
VERDICTS = DATA / "judge_verdicts.jsonl"


class LabelledDraft(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")

    id: str
    ticket: str
    reply: str
    human: Literal["pass", "fail"]
    note: str  # why the person graded it so
    pair: str | None = None  # drafts for the same ticket share a pair id


def load_labels(path: Path = LABELS) -> list[LabelledDraft]:
    return [
        LabelledDraft.model_validate_json(line)
        for line in path.read_text(encoding="utf-8").splitlines()
    ]


def load_verdicts(path: Path = VERDICTS) -> dict[str, str]:
    rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines())
    return {row["id"]: row["verdict"] for row in rows}


def record_verdicts(drafts: list[LabelledDraft], path: Path = VERDICTS) -> None:
    """Run the judge on every labelled draft and store what it said."""
    with path.open("w", encoding="utf-8") as out:
        for draft in drafts:
            verdict = judge_reply(draft.id, draft.ticket, draft.reply)
            out.write(json.dumps({"id": draft.id, **verdict.model_dump()}) + "\n")


# --8<-- [start:calibrate]
def cohens_kappa(tp: int, fn: int, fp: int, tn: int) -> float:
    """Agreement beyond chance: 1 is perfect, 0 is what coin flips would reach."""
    n = tp + fn + fp + tn
    observed = (tp + tn) / n
    human_pass, judge_pass = (tp + fn) / n, (tp + fp) / n
    chance = human_pass * judge_pass + (1 - human_pass) * (1 - judge_pass)
    return (observed - chance) / (1 - chance) if chance < 1 else 1.0


@dataclass
class Calibration:
    tp: int = 0  # people passed, judge passed
    fn: int = 0  # people passed, judge failed
    fp: int = 0  # people failed, judge passed: the dangerous cell
    tn: int = 0  # people failed, judge failed
    disagreements: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return self.tp + self.fn + self.fp + self.tn

    @property
    def agreement(self) -> float:
        return (self.tp + self.tn) / self.n

    @property
    def tpr(self) -> float:
        return self.tp / (self.tp + self.fn)

    @property
    def tnr(self) -> float:
        return self.tn / (self.tn + self.fp)

    @property
    def kappa(self) -> float:
        return cohens_kappa(self.tp, self.fn, self.fp, self.tn)


def tally(verdicts: Iterable[tuple[str, str, str]]) -> Calibration:
    """(id, human verdict, judge verdict) triples -> the four cells and the misses."""
    result = Calibration()
    for item, human, judge in verdicts:
        cell = {
            ("pass", "pass"): "tp",
            ("pass", "fail"): "fn",
            ("fail", "pass"): "fp",
            ("fail", "fail"): "tn",
        }[human, judge]
        setattr(result, cell, getattr(result, cell) + 1)
        if human != judge:
            result.disagreements.append(
                f"{item}: people said {human}, judge said {judge}"
            )
    return result


def calibrate(drafts: list[LabelledDraft], verdicts: dict[str, str]) -> Calibration:
    missing = [draft.id for draft in drafts if draft.id not in verdicts]
    if missing:
        raise ValueError(f"no recorded verdict for {missing[0]}: run with --record")
    return tally((draft.id, draft.human, verdicts[draft.id]) for draft in drafts)


# --8<-- [end:calibrate]


# --8<-- [start:position]
@dataclass(frozen=True)
class PairCheck:
    pair: str
    first: LabelledDraft  # shown as A in the first call, as B in the second
    second: LabelledDraft
    in_order: Literal["A", "B"]
    swapped: Literal["A", "B"]

    @property
    def consistent(self) -> bool:
        """The same draft wins both times (so the letter flips with the order)."""
        return self.in_order != self.swapped

    @property
    def winner(self) -> LabelledDraft | None:
        if not self.consistent:
            return None
        return self.first if self.in_order == "A" else self.second


def check_position_bias(drafts: list[LabelledDraft]) -> list[PairCheck]:
    """Compare every pair twice, swapping which draft comes first."""
    pairs: dict[str, list[LabelledDraft]] = defaultdict(list)
    for draft in drafts:
        if draft.pair is not None:
            pairs[draft.pair].append(draft)
    checks = []
    for pair, (first, second) in sorted(pairs.items()):
        in_order = compare(first.ticket, first.reply, second.reply)
        swapped = compare(first.ticket, second.reply, first.reply)
        checks.append(PairCheck(pair, first, second, in_order, swapped))
    return checks


# --8<-- [end:position]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--record", action="store_true", help="run the judge and store its verdicts"
    )
    parser.add_argument("--verdicts", type=Path, default=VERDICTS)
    args = parser.parse_args(argv)
    drafts = load_labels()
    if args.record:
        record_verdicts(drafts, args.verdicts)
    result = calibrate(drafts, load_verdicts(args.verdicts))
    passed = result.tp + result.fn
    print(f"drafts: {result.n} ({passed} passed by people, {result.n - passed} failed)")
    print(f"agreement:          {result.agreement:.1%}")
    print(f"true positive rate: {result.tpr:.1%}")
    print(f"true negative rate: {result.tnr:.1%}")
    print(f"Cohen's kappa:      {result.kappa:.2f}")
    for line in result.disagreements:
        print(f"  {line}")
    checks = check_position_bias(drafts)
    consistent = [check for check in checks if check.consistent]
    first_wins = sum((c.in_order == "A") + (c.swapped == "A") for c in checks)
    agrees = sum(c.winner is not None and c.winner.human == "pass" for c in consistent)
    print(f"pairs: {len(checks)}, consistent when swapped: {len(consistent)}")
    print(f"first position chosen: {first_wins} of {2 * len(checks)} calls")
    print(f"consistent winners that people passed: {agrees} of {len(consistent)}")
    for check in checks:
        if not check.consistent:
            print(f"  {check.pair}: picked whichever draft came first")


if __name__ == "__main__":
    main()
