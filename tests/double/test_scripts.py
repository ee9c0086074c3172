"""Scripted replies: load-time checks that name file, entry and field; matching."""

import os
import runpy
import signal
import socket
import sys
import textwrap
import threading
import time
from pathlib import Path

import anthropic
import httpx2
import pytest

from tests.double import ClaudeDouble, ScriptError
from tests.double.conftest import MODEL, reply, user


def write(root: Path, name: str, text: str) -> Path:
    path = root / "stage9" / "responses" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


OK = "- match: {user: hi}\n  reply: {content: [{type: text, text: hello}]}\n"


@pytest.mark.parametrize(
    ("yaml_text", "field", "problem"),
    [
        pytest.param(
            OK + "- match: {user: x}\n  colour: blue\n  json: 1\n",
            "entry 1: colour",
            "unknown key",
            id="unknown entry key",
        ),
        pytest.param(
            "- match: {user: x, colour: m}\n  json: 1\n",
            "entry 0: match.colour",
            "unknown key",
            id="unknown match key",
        ),
        pytest.param(
            "- match: {system: x}\n  json: 1\n",
            "entry 0: match",
            "needs `user` or `tool_result`",
            id="match fits everything",
        ),
        pytest.param("- json: 1\n", "entry 0: match", "is required", id="no match"),
        pytest.param(
            "- match: {user: x}\n",
            "entry 0: entry",
            "exactly one of `reply`, `json` or `error`",
            id="no answer",
        ),
        pytest.param(
            "- match: {user: x}\n  json: 1\n  reply: {content: []}\n",
            "entry 0: entry",
            "exactly one of",
            id="two answers",
        ),
        pytest.param(
            "- match: {user: x}\n  reply: {content: [{type: txt, text: a}]}\n",
            "entry 0: reply.content.0.type",
            "must be one of text, tool_use",
            id="block type",
        ),
        pytest.param(
            "- match: {user: x}\n  reply: {content: [{type: text, text: a, b: 1}]}\n",
            "entry 0: reply.content.0.b",
            "unknown key for a text block",
            id="block key",
        ),
        pytest.param(
            "- match: {user: x}\n  reply: {content: [{type: text}]}\n",
            "entry 0: reply.content.0.text",
            "Field required",
            id="text missing",
        ),
        pytest.param(
            "- match: {user: x}\n  reply: {content: [{type: tool_use, name: t}]}\n",
            "entry 0: reply.content.0.input",
            "Field required",
            id="tool input missing",
        ),
        pytest.param(
            "- match: {user: x}\n"
            "  reply: {content: [{type: text, text: a}], stop_reason: done}\n",
            "entry 0: reply.stop_reason",
            "Input should be 'end_turn'",
            id="stop_reason",
        ),
        pytest.param(
            "- match: {user: x}\n"
            "  reply: {content: [{type: text, text: a}], stop_reason: tool_use}\n",
            "entry 0: reply.stop_reason",
            "no block has type tool_use",
            id="tool_use without a tool",
        ),
        pytest.param(
            "- match: {user: x}\n  reply: {content: [{type: text, text: a}], id: m}\n",
            "entry 0: reply.id",
            "unknown key",
            id="reply key",
        ),
        pytest.param(
            "- match: {user: x}\n  error: {status: 529, type: api_error}\n",
            "entry 0: error.type",
            "status 529 comes with type overloaded_error",
            id="error type",
        ),
        pytest.param(
            "- match: {user: x}\n  error: {status: 418, type: teapot_error}\n",
            "entry 0: error.status",
            "must be one of",
            id="error status",
        ),
        pytest.param(
            "- match: {user: x}\n"
            "  error: {status: 529, type: overloaded_error, retry_after: 1}\n",
            "entry 0: error.retry_after",
            "for status 429 only",
            id="retry_after",
        ),
        pytest.param(
            "- match: {user: x}\n  times: 0\n  json: 1\n",
            "entry 0: times",
            "at least 1",
            id="times",
        ),
        pytest.param(
            "- match: {user: x}\n  json: {due: 2027-01-15}\n",
            "entry 0: json",
            "quote dates",
            id="unquoted date",
        ),
        pytest.param(
            "- match: {user: x}\n  json: 1\n  unchecked: true\n",
            "entry 0: unchecked",
            "on a `reply` entry",
            id="unchecked",
        ),
    ],
)
def test_a_bad_entry_is_rejected_at_load_time(tmp_path, yaml_text, field, problem):
    write(tmp_path, "bad.yml", yaml_text)
    with pytest.raises(ScriptError) as raised:
        ClaudeDouble(tmp_path)
    message = str(raised.value)
    assert message.startswith(f"{tmp_path.name}/stage9/responses/bad.yml: {field}: ")
    assert problem in message


@pytest.mark.parametrize(
    ("yaml_text", "problem"),
    [
        ("match: {user: x}\n", "expected a YAML list of entries"),
        ("- match: [unclosed\n", "not valid YAML"),
    ],
)
def test_a_bad_file_is_rejected_at_load_time(tmp_path, yaml_text, problem):
    write(tmp_path, "bad.yml", yaml_text)
    with pytest.raises(ScriptError, match=problem):
        ClaudeDouble(tmp_path)


def test_script_entries_are_checked_too(double):
    checked = pytest.raises(
        ScriptError, match=r"^double.script\(\): entry 0: match\.usr"
    )
    with checked, double.script([{"match": {"usr": "x"}, "json": 1}]):
        pass


def test_script_entries_come_first_and_go_away(client, double):
    text = "double-selftest: served from a file"
    with double.script([{"match": {"user": text}, "reply": reply("pushed")}]):
        assert (
            client.messages.create(model=MODEL, max_tokens=1000, messages=user(text))
            .content[-1]
            .text
            == "pushed"
        )
    after = client.messages.create(model=MODEL, max_tokens=1000, messages=user(text))
    assert "selftest.yml" in after.content[-1].text


def test_times_limits_an_entry_until_reset(client, double):
    entries = [
        {"match": {"user": "double-selftest: twice"}, "times": 1, "reply": reply("1")},
        {"match": {"user": "double-selftest: twice"}, "reply": reply("2")},
    ]

    def ask() -> str:
        messages = user("double-selftest: twice")
        message = client.messages.create(
            model=MODEL, max_tokens=1000, messages=messages
        )
        return message.content[-1].text

    with double.script(entries):
        assert [ask(), ask()] == ["1", "2"]
        double.reset()
        assert ask() == "1"


@pytest.mark.parametrize(
    ("match", "fits"),
    [
        ({"user": "double-selftest: match", "system": "terse reviewer"}, True),
        ({"user": "double-selftest: match", "system": "chatty"}, False),
        ({"user": "double-selftest: match", "turn": 1}, True),
        ({"user": "double-selftest: match", "turn": 0}, False),
        ({"user": "double-selftest: match", "tools": ["search"]}, True),
        ({"user": "double-selftest: match", "tools": ["search", "fetch"]}, False),
        ({"user": "double-selftest: match", "model": MODEL}, True),
        ({"user": "double-selftest: match", "model": "claude-opus-5-5"}, False),
        ({"user": "double-selftest: other"}, False),
    ],
)
def test_match_fields(client, double, match, fits):
    messages = [
        *user("double-selftest: first"),
        {"role": "assistant", "content": "Sure."},
        *user("double-selftest: match this"),
    ]
    tool = {"name": "search", "input_schema": {"type": "object"}}
    with double.script([{"match": match, "reply": reply("fit")}]):
        try:
            message = client.messages.create(
                model=MODEL,
                max_tokens=1000,
                system="You are a terse reviewer.",
                tools=[tool],
                messages=messages,
            )
        except anthropic.InternalServerError:
            message = None
    assert (message is not None) == fits


def test_matches_in_two_files_are_a_loud_500(tmp_path):
    write(tmp_path, "a.yml", "- match: {user: clash}\n  json: 1\n")
    write(tmp_path, "b.yml", "- match: {user: clash}\n  json: 2\n")
    with ClaudeDouble(tmp_path) as double:
        client = anthropic.Anthropic(
            base_url=double.base_url, api_key="k", max_retries=0
        )
        with pytest.raises(anthropic.InternalServerError) as raised:
            client.messages.create(model=MODEL, max_tokens=1000, messages=user("clash"))
    message = raised.value.api_message
    assert "stage9/responses/a.yml entry 0" in message
    assert "stage9/responses/b.yml entry 0" in message


def test_the_command_line_serves_until_ctrl_c(tmp_path, capsys, monkeypatch):
    write(tmp_path, "cli.yml", "- match: {user: cli}\n  json: {ok: true}\n")
    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    argv = ["--port", str(port), "--responses", str(tmp_path)]
    monkeypatch.setattr(sys, "argv", ["python -m tests.double", *argv])
    answers = []

    def ask_then_press_ctrl_c() -> None:
        try:
            for _ in range(1200):  # until the server listens (up to a minute)
                try:
                    answers.append(
                        httpx2.post(
                            f"http://127.0.0.1:{port}/v1/messages",
                            headers={
                                "x-api-key": "k",
                                "anthropic-version": "2026-10-21",
                            },
                            json={
                                "model": MODEL,
                                "max_tokens": 1000,
                                "messages": user("cli"),
                            },
                            timeout=60,  # a loaded machine answers slowly
                        )
                    )
                    break
                except httpx2.ConnectError:
                    time.sleep(0.05)
        finally:  # whatever happened, stop the server: the test never hangs
            os.kill(os.getpid(), signal.SIGINT)

    # Ctrl-C as a terminal delivers it, whatever handler an earlier test left
    # (the in-process notebook run's IPython shell installs its own).
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        threading.Thread(target=ask_then_press_ctrl_c).start()
        runpy.run_module("tests.double", run_name="__main__")
    finally:
        signal.signal(signal.SIGINT, previous)
    assert capsys.readouterr().out == (
        f"export ANTHROPIC_BASE_URL=http://127.0.0.1:{port}\n"
        "export ANTHROPIC_API_KEY=key-for-the-local-double\n"
    )
    thought, text = answers[0].json()["content"]
    assert thought["type"] == "thinking"
    assert text == {"type": "text", "text": '{"ok": true}'}


def test_a_missing_responses_folder_is_an_error(tmp_path):
    with pytest.raises(ScriptError, match="no such folder"):
        ClaudeDouble(tmp_path / "nowhere")
