import runpy
import time

import anthropic
import pytest

from snippets.stage1.fence import fence
from snippets.stage1.ticket_classifier import SYSTEM, ClassificationFailed, TicketLabel
from snippets.stage5 import batch_eval
from snippets.stage5.cost_accounting import Ledger
from snippets.stage5.eval_runner import Classifier, load_cases
from tests.docs_blocks import assert_page_shows
from tests.stage5 import EVALS_PAGE


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The polling loop's waits, recorded instead of slept."""
    waits: list[float] = []
    monkeypatch.setattr(time, "sleep", waits.append)
    return waits


def test_each_case_becomes_a_request_with_its_id():
    cases = load_cases()
    requests = batch_eval.batch_requests(cases, Classifier())
    assert [r["custom_id"] for r in requests] == [c.id for c in cases]
    params = requests[0]["params"]
    assert params == {
        "model": "claude-haiku-5-5",
        "max_tokens": 1024,
        "output_config": {
            "effort": "low",
            "format": {
                "type": "json_schema",
                "schema": anthropic.transform_schema(TicketLabel),
            },
        },
        "system": SYSTEM,
        "messages": [{"role": "user", "content": fence(cases[0].input, "ticket")}],
    }


def test_the_eval_set_runs_as_one_batch_at_half_price(double, capsys, sleeps):
    runpy.run_module("snippets.stage5.batch_eval", run_name="__main__")
    *report, cost = capsys.readouterr().out.splitlines()
    # The same report as the live run on the page, from the same scripted replies.
    assert_page_shows(EVALS_PAGE, "`python -m snippets.stage5.eval_", "\n".join(report))
    # Half the standard price; 32 replies at low effort think 40 tokens each.
    assert cost == (
        "batch cost: $0.00111 (standard: $0.00222); "
        "output includes 1280 thinking tokens"
    )
    paths = [request.path for request in double.requests]
    assert paths[0] == "/v1/messages/batches"
    assert paths[1:] == [f"/v1/messages/batches#{c.id}" for c in load_cases()]
    assert sleeps == [1.0]  # the double ends the batch on the first poll


def test_a_request_that_errored_is_a_classification_failure(double, sleeps):
    cases = load_cases()[:2]
    busy = {
        "match": {"user": cases[1].input},
        "error": {"status": 529, "type": "overloaded_error"},
    }
    requests = batch_eval.batch_requests(cases, Classifier())
    with double.script([busy]):
        batch_id = batch_eval.run_batch(requests)
    ledger = Ledger()
    labels = batch_eval.collect(batch_id, Classifier().model, ledger)
    assert labels[cases[0].id] == TicketLabel(category="billing", priority="urgent")
    failed = labels[cases[1].id]
    assert isinstance(failed, ClassificationFailed)
    assert str(failed) == "batch result errored"
    assert [cost.feature for cost in ledger.requests] == ["batch"]  # nothing to price
