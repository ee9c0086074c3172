import runpy
from pathlib import Path

import pytest
import yaml

from snippets.stage1 import structured_output as so

RESPONSES = Path(__file__).parent / "responses" / "structured_output.yml"


def test_main_prints_the_parsed_invoice(capsys, double):
    runpy.run_module("snippets.stage1.structured_output", run_name="__main__")
    assert capsys.readouterr().out == (
        "vendor='Nordlicht Hosting' invoice_number='INV-2291' due_date='2027-01-15' "
        "line_items=[LineItem(description='Managed Postgres instance', quantity=2, "
        "unit_price_eur=120.0), LineItem(description='Backup storage', quantity=1, "
        "unit_price_eur=35.5)] total_eur=275.5\n"
        "INV-2291: 275.50 EUR due 2027-01-15\n"
    )


def test_parse_sends_the_pydantic_schema_and_returns_a_typed_object(double):
    invoice = so.parse_invoice(so.EMAIL)
    assert invoice == so.Invoice(
        vendor="Nordlicht Hosting",
        invoice_number="INV-2291",
        due_date="2027-01-15",
        line_items=[
            so.LineItem(
                description="Managed Postgres instance",
                quantity=2,
                unit_price_eur=120.0,
            ),
            so.LineItem(description="Backup storage", quantity=1, unit_price_eur=35.5),
        ],
        total_eur=275.5,
    )
    body = double.requests[-1].body
    assert (body["model"], body["max_tokens"]) == ("claude-sonnet-5-5", 4000)
    fmt = body["output_config"]["format"]
    assert fmt["type"] == "json_schema"
    assert fmt["schema"]["required"] == [
        "vendor",
        "invoice_number",
        "due_date",
        "line_items",
        "total_eur",
    ]
    assert fmt["schema"]["additionalProperties"] is False


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
    with _scripted(double, refusal), pytest.raises(so.ExtractionFailed) as raised:
        so.extract_invoice("double-stage1: invoice")
    assert str(raised.value) == (
        "the model declined (category: none given); route this email to a person"
    )


def test_a_truncated_reply_is_rejected(double):
    with (
        pytest.raises(so.ExtractionFailed, match=r"^cut off at max_tokens after "),
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
    assert capsys.readouterr().out.splitlines()[-1] == (
        "needs a person: the model declined (category: none given); route this "
        "email to a person"
    )
