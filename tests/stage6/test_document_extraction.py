"""What the Stage 6 page promises about reading documents and images."""

import base64
import datetime
import runpy
import struct
import sys
import zlib

import anthropic
import pytest

from snippets.stage6 import document_extraction as de
from tests.docs_blocks import assert_page_shows
from tests.stage6 import STAGE_PAGE

QUESTION = "Extract the receipt in this file"


def tiny_png() -> bytes:
    """A valid 1x1 white PNG, built by hand."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


def run_main(monkeypatch, capsys, *args: str) -> str:
    """main() as `python -m` runs it with `args`, called directly so that
    `make mutants` can tell which function printed."""
    monkeypatch.setattr(sys, "argv", ["document_extraction", *args])
    de.main()
    return capsys.readouterr().out


def test_main_prints_the_sample_receipt(monkeypatch, capsys, live):
    out = run_main(monkeypatch, capsys)
    assert "total 11.20 EUR, paid by card" in out
    if not live:
        assert_page_shows(STAGE_PAGE, "document_extraction.py:extract", out)


def test_the_sample_receipt_is_a_real_one_page_pdf():
    data = de.SAMPLE.read_bytes()
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    assert data.count(b"/Type /Page ") == 1
    assert b"(TOTAL EUR                      11.20) '" in data


def test_extraction_returns_a_typed_receipt_whose_lines_add_up(live):
    receipt = de.extract_receipt(de.SAMPLE)
    assert isinstance(receipt, de.Receipt)
    assert receipt.date == datetime.date(2026, 11, 14)
    assert receipt.total_eur == pytest.approx(11.2)
    assert sum(line.amount_eur for line in receipt.lines) == pytest.approx(11.2)
    assert receipt.paid_by == "card"


def test_a_pdf_goes_in_a_document_block_before_the_question(double):
    de.extract_receipt(de.SAMPLE)
    body = double.requests[-1].body
    document, question = body["messages"][0]["content"]
    assert document["type"] == "document"
    assert document["source"]["media_type"] == "application/pdf"
    assert base64.b64decode(document["source"]["data"]) == de.SAMPLE.read_bytes()
    assert question == {
        "type": "text",
        "text": "Extract the receipt in this file. Copy every amount exactly as "
        "printed. If the payment method is not printed, use unknown.",
    }
    assert body["model"] == "claude-sonnet-5-5"
    assert body["max_tokens"] == 4096
    assert body["output_config"]["effort"] == "medium"
    assert body["output_config"]["format"] == {
        "type": "json_schema",
        "schema": anthropic.transform_schema(de.Receipt),
    }
    schema = body["output_config"]["format"]["schema"]
    assert set(schema["required"]) == {
        "merchant",
        "date",
        "lines",
        "total_eur",
        "paid_by",
    }
    assert schema["properties"]["date"]["format"] == "date"


def test_an_image_is_typed_by_its_bytes_not_its_name(double, tmp_path):
    photo = tmp_path / "receipt.jpg"  # a PNG with the wrong extension
    photo.write_bytes(tiny_png())
    de.extract_receipt(photo)
    image = double.requests[-1].body["messages"][0]["content"][0]
    assert image["type"] == "image"
    assert image["source"]["media_type"] == "image/png"


@pytest.mark.parametrize(
    ("first_bytes", "media_type"),
    [
        (b"%PDF-1.7\n", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"GIF87a\x01\x00", "image/gif"),
        (b"GIF89a\x01\x00", "image/gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
    ],
)
def test_each_supported_type_is_recognised(first_bytes, media_type):
    assert de.media_type_of(first_bytes) == media_type


@pytest.mark.parametrize(
    "first_bytes",
    [b"RIFF\x24\x00\x00\x00WAVEfmt ", b"RIFX\x24\x00\x00\x00WEBPVP8 "],
)
def test_only_a_riff_file_of_type_webp_is_an_image(first_bytes):
    with pytest.raises(de.UnsupportedFile):  # a WAV recording; a big-endian RIFF
        de.media_type_of(first_bytes)


def test_an_unsupported_file_is_refused_before_any_call(
    double, monkeypatch, capsys, tmp_path
):
    word = tmp_path / "receipt.docx"
    word.write_bytes(b"PK\x03\x04 a zipped Word file")
    assert run_main(monkeypatch, capsys, str(word)) == (
        "needs a person: receipt.docx: not a PDF, PNG, JPEG, GIF or WebP; "
        "convert it first\n"
    )
    assert double.requests == []


def test_a_file_over_the_request_limit_is_refused(double, monkeypatch, tmp_path):
    monkeypatch.setattr(de, "MAX_REQUEST_BYTES", 1_000)
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + b"0" * 741)  # 750 bytes: 1,000 in base64
    assert len(de.file_block(scan)["source"]["data"]) == 1_000, "at the limit: sent"
    scan.write_bytes(b"%PDF-1.4\n" + b"0" * 742)  # 751 bytes: 1,004 in base64
    with pytest.raises(de.UnsupportedFile) as refused:
        de.file_block(scan)
    assert str(refused.value) == (
        "1,004 bytes once base64-encoded, over the request limit; split the PDF or "
        "shrink the image"
    )
    assert double.requests == []


def _scripted(double, entry):
    return double.script([{"match": {"user": QUESTION}, **entry}])


def test_lines_that_do_not_add_up_go_to_a_person(double, monkeypatch, capsys):
    wrong_total = {
        "json": {
            "merchant": "Kaffeehaus Lindenblatt",
            "date": "2026-11-14",
            "lines": [
                {"description": "Flat white", "quantity": 2, "amount_eur": 7.8},
                {"description": "Croissant", "quantity": 1, "amount_eur": 2.9},
            ],
            "total_eur": 11.2,
            "paid_by": "card",
        }
    }
    with _scripted(double, wrong_total):
        out = run_main(monkeypatch, capsys)
    assert out == (
        "needs a person: receipt.pdf: Value error, lines add up to 10.70, not 11.20\n"
    )


@pytest.mark.parametrize(
    "content", [[{"type": "text", "text": "I can't help with that."}], []]
)
def test_a_refusal_is_not_mistaken_for_a_receipt(double, content):
    refusal = {"reply": {"content": content, "stop_reason": "refusal"}}
    with _scripted(double, refusal), pytest.raises(de.UnreadableDocument) as failed:
        de.extract_receipt(de.SAMPLE)
    assert str(failed.value) == "the model declined (category: none given)"


def test_a_receipt_cut_off_at_max_tokens_goes_to_a_person(double, monkeypatch, capsys):
    cut = {
        "reply": {
            "content": [{"type": "text", "text": '{"merchant": "Kaffeehaus Lin'}],
            "stop_reason": "max_tokens",
        }
    }
    monkeypatch.setattr(sys, "argv", ["document_extraction"])
    with _scripted(double, cut):  # as `python -m` runs it, the guard included
        runpy.run_module("snippets.stage6.document_extraction", run_name="__main__")
    out = capsys.readouterr().out
    assert out == (
        "needs a person: receipt.pdf: cut off at max_tokens after 131 output tokens "
        "(thinking included); raise max_tokens or lower the effort\n"
    )
