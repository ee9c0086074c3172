"""Conformance probes: the behaviour table's rows, sent as real requests.

A row of `behaviour.yml` with a `probe` says what the real API answers to one
request. `send` makes that request against any base URL (the double, or the real
API) and reduces the answer to what the row promises: the status, the error type,
the first block's type and the stop reason. `pytest tests/double --live` sends each
probe to both and records, per row, whether they agree (`data/conformance/live.json`,
written by `record`), which site_markdown/behaviour_table.py reads for the pages.
"""

import datetime
import json
from pathlib import Path
from typing import Any

import httpx2
from anthropic import __version__ as SDK_VERSION
from anthropic._constants import ANTHROPIC_API_VERSION

from .behaviour import Row

ROOT = Path(__file__).resolve().parents[2]
LIVE_RESULTS = ROOT / "data" / "conformance" / "live.json"
PROBE_TEXT = "double-conformance: probe"
DEFAULT_MODEL = "claude-sonnet-5-5"


def probe_request(row: Row) -> tuple[dict[str, str], dict[str, Any]]:
    """The headers and body a row's probe sends."""
    assert row.probe is not None
    body = {
        "model": row.probe.get("model", DEFAULT_MODEL),
        "max_tokens": 1000,
        "messages": [{"role": "user", "content": PROBE_TEXT}],
        **row.probe.get("body", {}),
    }
    headers = {
        "anthropic-version": ANTHROPIC_API_VERSION,
        "content-type": "application/json",
        **row.probe.get("headers", {}),
    }
    return headers, body


def send(base_url: str, api_key: str, row: Row) -> dict[str, Any]:
    """What the API at `base_url` answers to the row's probe, as `expect` states it."""
    headers, body = probe_request(row)
    response = httpx2.post(
        f"{base_url.rstrip('/')}/v1/messages",
        headers={"x-api-key": api_key, **headers},
        json=body,
        timeout=120,
    )
    outcome: dict[str, Any] = {"status": response.status_code}
    data = response.json()
    if response.status_code != 200:
        outcome["error"] = data.get("error", {}).get("type")
        return outcome
    content = data.get("content") or [{}]
    outcome["first_block"] = content[0].get("type")
    outcome["stop_reason"] = data.get("stop_reason")
    return outcome


def expected(row: Row) -> dict[str, Any]:
    assert row.probe is not None
    return dict(row.probe["expect"])


def matches(outcome: dict[str, Any], expect: dict[str, Any]) -> bool:
    """Whether an answer has every field the row promises."""
    return all(outcome.get(key) == value for key, value in expect.items())


def record(results: dict[str, dict[str, Any]], path: Path = LIVE_RESULTS) -> None:
    """Write one live run: its date, the SDK and API version, a verdict per row."""
    path.parent.mkdir(parents=True, exist_ok=True)
    run = {
        "date": datetime.date.today().isoformat(),
        "sdk": SDK_VERSION,
        "api_version": ANTHROPIC_API_VERSION,
        "rows": dict(sorted(results.items())),
    }
    path.write_text(json.dumps(run, indent=2) + "\n", encoding="utf-8")
