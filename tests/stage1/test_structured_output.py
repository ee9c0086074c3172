import runpy
from pathlib import Path

import pytest
import yaml

from snippets.stage1 import structured_output as so

RESPONSES = Path(__file__).parent / "responses" / "structured_output.yml"


def test_main_prints_the_parsed_invoice(capsys):
    runpy.run_module("snippets.stage1.structured_output", run_name="__main__")
    out = capsys.readouterr().out
    assert "INV-2291: 275.50 EUR due 2027-01-15" in out


def test_parse_sends_the_pydantic_schema_and_returns_a_typed_object(double, live):
    invoice = so.parse_invoice(so.EMAIL)
    assert isinstance(invoice, so.Invoice)
    assert invoice.invoice_number == "INV-2291"
    assert invoice.total_eur == pytest.approx(275.5)
    fmt = double.requests[-1].body["output_config"]["format"]
    assert fmt["type"] == "json_schema"
    assert set(fmt["schema"]["required"]) >= {"vendor", "invoice_number", "total_eur"}


def test_careful_extraction_matches_the_short_form():
    assert so.extract_invoice(so.EMAIL) == so.parse_invoice(so.EMAIL)


def _scripted(double, reply):
    return double.script([{"match": {"user": "double-stage1: invoice"}, **reply}])


def test_a_refusal_becomes_a_reason_not_a_crash(double):
    refusal = {
        "reply": {
            "content": [{"type": "text", "text": "I can't help with that."}],
            "stop_reason": "refusal",
        }
    }
    with (
        _scripted(double, refusal),
        pytest.raises(so.ExtractionFailed, match="declined"),
    ):
        so.extract_invoice("double-stage1: invoice")


def test_a_truncated_reply_is_rejected(double):
    with (
        pytest.raises(so.ExtractionFailed, match="max_tokens"),
        _scripted(
            double,
            {
                "reply": {
                    "content": [{"type": "text", "text": '{"vendor": "Nord'}],
                    "stop_reason": "max_tokens",
                },
            },
        ),
    ):
        so.extract_invoice("double-stage1: invoice")


def test_schema_valid_but_inconsistent_totals_are_rejected(double):
    wrong_total = {
        "json": {
            "vendor": "Nordlicht Hosting",
            "invoice_number": "INV-2291",
            "due_date": "2027-01-15",
            "line_items": [
                {"description": "Postgres", "quantity": 2, "unit_price_eur": 120.0}
            ],
            "total_eur": 275.5,
        }
    }
    with (
        _scripted(double, wrong_total),
        pytest.raises(so.ExtractionFailed, match=r"sum of items 240\.00"),
    ):
        so.extract_invoice("double-stage1: invoice")


def test_main_routes_a_failed_extraction_to_a_person(double, capsys):
    refusal = {
        "reply": {
            "content": [{"type": "text", "text": "I can't help with that."}],
            "stop_reason": "refusal",
        }
    }
    scripted = yaml.safe_load(RESPONSES.read_text(encoding="utf-8"))[0]
    first_call_succeeds = {
        "match": {"user": "INV-2291"},
        "times": 1,
        "json": scripted["json"],
    }
    with double.script(
        [first_call_succeeds, {"match": {"user": "INV-2291"}, **refusal}]
    ):
        so.main()
    assert "needs a person: the model declined" in capsys.readouterr().out
