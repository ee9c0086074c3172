import runpy

import anthropic
import pytest

from snippets.stage1.ticket_classifier import SYSTEM, TicketLabel
from snippets.stage5 import batch_eval
from snippets.stage5.eval_runner import Classifier, load_cases

PENDING = pytest.mark.xfail(
    reason="the double does not serve the Message Batches endpoints yet "
    "(POST /v1/messages/batches, GET /v1/messages/batches/{id}, GET its results_url)",
    raises=anthropic.NotFoundError,
    strict=True,
)


def test_each_case_becomes_a_request_with_its_id():
    cases = load_cases()
    requests = batch_eval.batch_requests(cases, Classifier())
    assert [r["custom_id"] for r in requests] == [c.id for c in cases]
    params = requests[0]["params"]
    assert params["model"] == "claude-haiku-5-5"
    assert params["system"] == SYSTEM
    assert params["messages"][0]["content"] == f"<ticket>{cases[0].input}</ticket>"
    assert params["output_config"]["format"]["schema"] == anthropic.transform_schema(
        TicketLabel
    )


@PENDING
def test_the_eval_set_runs_as_one_batch_at_half_price(double, capsys):
    runpy.run_module("snippets.stage5.batch_eval", run_name="__main__")
    out = capsys.readouterr().out
    assert "exact_match      0.906" in out
    assert "batch cost: $" in out
    paths = [request.path for request in double.requests]
    assert paths[0] == "/v1/messages/batches"
