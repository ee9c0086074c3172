"""The behaviour table's probes: the double answers each as the row documents.

With `--live` (and ANTHROPIC_API_KEY), each probe also goes to the real API, and
the run writes `data/conformance/live.json`: per row, what the API and the double
answered and whether they agree. Commit that file; the "How the examples are
tested" page renders it. A disagreement fails the test: fix the row (or the
double) until they agree.
"""

import json
import os
from collections.abc import Iterator
from pathlib import Path

import anthropic
import pytest

from tests.double import ClaudeDouble, behaviour, conformance

PROBED = [row for row in behaviour.ROWS if row.probe is not None]
KEY = "key-for-the-local-double"


@pytest.fixture(scope="module")
def local() -> Iterator[ClaudeDouble]:
    """A double of its own, so the probes also run against it under --live."""
    with ClaudeDouble(Path(__file__).resolve().parents[1]) as double:
        yield double


@pytest.fixture(scope="module")
def live_results(pytestconfig) -> Iterator[dict]:
    results: dict = {}
    yield results
    if pytestconfig.getoption("--live") and results:
        conformance.record(results)


@pytest.mark.parametrize("row", PROBED, ids=[row.id for row in PROBED])
def test_the_double_answers_the_probe_as_the_row_documents(row, local):
    outcome = conformance.send(local.base_url, KEY, row)
    assert conformance.matches(outcome, conformance.expected(row)), (
        f"behaviour.yml:{row.line} ({row.id}) promises {conformance.expected(row)}; "
        f"the double answered {outcome}"
    )


@pytest.mark.parametrize("row", PROBED, ids=[row.id for row in PROBED])
def test_the_real_api_answers_the_probe_as_the_double_does(
    row, local, live, live_results
):
    if not live:
        pytest.skip("sends the probe to the real API: run with --live")
    real = conformance.send(
        str(anthropic.Anthropic().base_url), os.environ["ANTHROPIC_API_KEY"], row
    )
    double = conformance.send(local.base_url, KEY, row)
    expect = conformance.expected(row)
    agree = conformance.matches(real, expect) and conformance.matches(double, expect)
    live_results[row.id] = {
        "verdict": "agree" if agree else "disagree",
        "api": real,
        "double": double,
    }
    assert agree, f"{row.id}: the API answered {real}, the double {double}"


def test_every_probe_names_a_usable_model():
    from tests.model_lifecycle import why_unusable

    for row in PROBED:
        model = conformance.probe_request(row)[1]["model"]
        assert why_unusable(model) is None, f"behaviour.yml:{row.line}: {model}"


def test_a_live_run_is_recorded_with_its_date_and_versions(tmp_path):
    path = tmp_path / "live.json"
    conformance.record({"b": {"verdict": "agree"}, "a": {"verdict": "disagree"}}, path)
    run = json.loads(path.read_text())
    assert list(run) == ["date", "sdk", "api_version", "rows"]
    assert (run["sdk"], run["api_version"]) == (anthropic.__version__, "2026-10-21")
    assert list(run["rows"]) == ["a", "b"]
