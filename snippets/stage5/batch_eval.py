"""The Message Batches API for offline work: the whole eval set as one batch.

An eval run, a backfill or a nightly report needs answers by morning, not within
a second. A batch takes many requests at once, processes them within 24 hours
(usually much sooner) at half the price, and returns the results in any order,
each tagged with the `custom_id` you gave its request. Submit, poll until the
batch has ended, then stream the results and match them up by id.
"""

import time
from collections.abc import Callable

import anthropic
from anthropic.types.messages.batch_create_params import Request

from snippets.stage1.pricing import BATCH_DISCOUNT
from snippets.stage1.ticket_classifier import ClassificationFailed, TicketLabel
from snippets.stage5.cost_accounting import Ledger
from snippets.stage5.eval_runner import (
    Classifier,
    EvalCase,
    format_report,
    label_from,
    load_cases,
    run_eval,
)

client = anthropic.Anthropic()


# --8<-- [start:submit]
def batch_requests(cases: list[EvalCase], classifier: Classifier) -> list[Request]:
    """One request per case, with the same parameters as a live call."""
    return [{"custom_id": c.id, "params": classifier.request(c.input)} for c in cases]


def run_batch(requests: list[Request], max_wait: float = 60.0) -> str:
    """Submit the batch and poll, backing off, until every request has ended."""
    batch = client.messages.batches.create(requests=requests)
    wait = 1.0
    while batch.processing_status != "ended":
        time.sleep(wait)
        wait = min(wait * 2, max_wait)
        batch = client.messages.batches.retrieve(batch.id)
    return batch.id


# --8<-- [end:submit]


# --8<-- [start:collect]
def collect(
    batch_id: str, model: str, ledger: Ledger
) -> dict[str, TicketLabel | ClassificationFailed]:
    """Every result by custom_id: a label, or the reason there is none."""
    labels: dict[str, TicketLabel | ClassificationFailed] = {}
    for item in client.messages.batches.results(batch_id):
        result = item.result
        if result.type != "succeeded":
            labels[item.custom_id] = ClassificationFailed(f"batch result {result.type}")
            continue
        # A succeeded result holds an ordinary Message: read it as a live reply.
        ledger.record("batch", model, result.message, batch=True)
        try:
            labels[item.custom_id] = label_from(result.message)
        except ClassificationFailed as failure:
            labels[item.custom_id] = failure
    return labels


# --8<-- [end:collect]


def answered_from(
    cases: list[EvalCase], labels: dict[str, TicketLabel | ClassificationFailed]
) -> Callable[[str], TicketLabel]:
    """A system for `run_eval` that answers each case from its batch result."""
    by_input = {case.input: labels[case.id] for case in cases}

    def answered(ticket: str) -> TicketLabel:
        label = by_input[ticket]
        if isinstance(label, ClassificationFailed):
            raise label
        return label

    return answered


def main() -> None:
    cases = load_cases()
    classifier = Classifier()
    batch_id = run_batch(batch_requests(cases, classifier))
    ledger = Ledger()
    labels = collect(batch_id, classifier.model, ledger)
    print(format_report(run_eval(cases, answered_from(cases, labels))))
    standard = ledger.total_usd / BATCH_DISCOUNT
    thinking = sum(r.thinking_tokens for r in ledger.requests)
    print(
        f"batch cost: ${ledger.total_usd:.5f} (standard: ${standard:.5f}); "
        f"output includes {thinking} thinking tokens"
    )


if __name__ == "__main__":
    main()
