"""Retrieval metrics, measured apart from answer quality.

A labelled question lists its answers as a quoted span plus the documents that
contain it (CPython's topics repeat some passages, e.g. `with` inside
`compound`). A retrieved chunk is relevant when it comes from one of those
documents and contains the span, whitespace normalised. Labels keyed this way
survive a change of chunking: no chunk ids are stored, so every chunker is
scored against the same set.

- recall@k: the share of a question's answers found in the top k chunks;
- MRR: the mean of 1 / rank of the first relevant chunk (0 if none is found);
- nDCG@10: rewards relevant chunks near the top, normalised by the best
  possible ordering of the relevant chunks that exist in the index.

A mean over a labelled set is an estimate: `per_question` keeps every score, so
the benchmark can put a bootstrap interval on each mean and compare two methods
question by question (snippets/stage5/eval_stats.py).
"""

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import mean

QUESTIONS = Path("data/stage3/questions.jsonl")

Hit = tuple[str, str]  # (document source, chunk text)


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    answers: list[tuple[tuple[str, ...], str]]  # (document sources, quoted span)


def load_questions(path: Path = QUESTIONS) -> list[Question]:
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            answers = [(tuple(a["sources"]), a["span"]) for a in row["answers"]]
            questions.append(Question(row["id"], row["question"], answers))
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise ValueError(
                f"{path}:{number}: not a labelled question ({error!r}); expected "
                '{"id", "question", "answers": [{"sources": [...], "span"}]}'
            ) from error
    return questions


def normalise(text: str) -> str:
    return " ".join(text.split())


def answers_in(hit: Hit, question: Question) -> set[int]:
    """Indexes of the question's answers that this chunk contains."""
    source, text = hit
    return {
        i
        for i, (sources, span) in enumerate(question.answers)
        if source in sources and normalise(span) in normalise(text)
    }


# --8<-- [start:metrics]
def recall_at_k(found: Sequence[set[int]], n_answers: int, k: int) -> float:
    """found[i]: the answers the chunk at rank i + 1 contains."""
    return len(set().union(*found[:k])) / n_answers


def reciprocal_rank(found: Sequence[set[int]]) -> float:
    return next((1 / rank for rank, f in enumerate(found, 1) if f), 0.0)


def ndcg_at_k(relevant: Sequence[bool], n_relevant: int, k: int = 10) -> float:
    """Binary relevance; n_relevant: how many relevant chunks the index holds."""
    dcg = sum(1 / math.log2(rank + 1) for rank, r in enumerate(relevant[:k], 1) if r)
    ideal = sum(1 / math.log2(rank + 1) for rank in range(1, min(n_relevant, k) + 1))
    return dcg / ideal if ideal else 0.0


# --8<-- [end:metrics]


def per_question(
    questions: list[Question], results: list[list[Hit]], index: list[Hit]
) -> dict[str, list[float]]:
    """Each metric for each question, in question order; results[i] is the
    ranking for questions[i]. Kept per question so that a mean can carry an
    interval and two methods can be compared on the same questions."""
    scores: dict[str, list[float]] = {
        "recall@5": [],
        "recall@10": [],
        "mrr": [],
        "ndcg@10": [],
    }
    for question, hits in zip(questions, results, strict=True):
        found = [answers_in(hit, question) for hit in hits]
        n_relevant = sum(1 for hit in index if answers_in(hit, question))
        scores["recall@5"].append(recall_at_k(found, len(question.answers), 5))
        scores["recall@10"].append(recall_at_k(found, len(question.answers), 10))
        scores["mrr"].append(reciprocal_rank(found))
        scores["ndcg@10"].append(ndcg_at_k([bool(f) for f in found], n_relevant))
    return scores


def evaluate(
    questions: list[Question], results: list[list[Hit]], index: list[Hit]
) -> dict[str, float]:
    """Mean metrics over questions; results[i] is the ranking for questions[i]."""
    scores = per_question(questions, results, index)
    return {name: mean(values) for name, values in scores.items()}


def main() -> None:
    question = Question(
        "demo",
        "Which method makes objects sortable?",
        [(("pydoc:customization",), "object.__lt__(self, other)")],
    )
    index = [
        (
            "pydoc:customization",
            "object.__lt__(self, other)\nobject.__le__(self, other)",
        ),
        ("pydoc:customization", "Called to implement truth value testing"),
        ("pydoc:typesseq", "sorted() and list.sort() compare items with <"),
    ]
    ranking = [index[2], index[1], index[0]]  # the relevant chunk came third
    for name, value in evaluate([question], [ranking], index).items():
        print(f"{name:>9}: {value:.3f}")


if __name__ == "__main__":
    main()
