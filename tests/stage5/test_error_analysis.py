import runpy
import sys

import pytest

from snippets.stage1.fence import fence
from snippets.stage5 import error_analysis as ea
from tests.docs_blocks import assert_page_shows
from tests.stage5 import EVALS_PAGE

TABLE = """\
traces: 120, with at least one failure: 45
failure mode         traces  share  examples
ungranted-remedy         16  13.3%  t004, t009, t013
unsupported-promise       9   7.5%  t002, t006, t032
missed-handoff            8   6.7%  t041, t044, t045
house-style               5   4.2%  t025, t054, t059
asks-for-given-info       4   3.3%  t012, t018, t072
no-usable-reply           3   2.5%  t040, t080, t115
"""


def test_the_committed_traces_give_the_table_on_the_page(capsys):
    ea.main([])
    out = capsys.readouterr().out
    assert out == TABLE
    assert_page_shows(EVALS_PAGE, "`python -m snippets.stage5.error_analysis`:", out)


def test_recording_again_reproduces_the_committed_traces(double, tmp_path, capsys):
    recorded = tmp_path / "traces.jsonl"
    ea.main(["--record", "--traces", str(recorded)])
    assert capsys.readouterr().out == TABLE
    assert recorded.read_text() == ea.TRACES.read_text()
    first = double.requests[1].body  # after the token count
    assert first["model"] == "claude-sonnet-5-5"
    assert first["messages"] == [
        {
            "role": "user",
            "content": fence(
                "Hi, my order HL-30037 was due last Tuesday and tracking has not "
                "moved for six days. Where is it?\nPriya",
                "email t001",
            )
            + "\nDraft the reply.",
        }
    ]


def test_refusals_and_cut_offs_are_traces_without_a_reply():
    traces = {t.id: t for t in ea.read_jsonl(ea.TRACES, ea.Trace)}
    ended = {
        t.id: t.stop_reason for t in traces.values() if t.stop_reason != "end_turn"
    }
    assert ended == {"t040": "max_tokens", "t080": "refusal", "t115": "refusal"}
    assert [traces[i].reply for i in ended] == ["", "", ""]


def test_the_notes_cover_every_trace_and_split_it_in_half():
    notes = ea.read_jsonl(ea.NOTES, ea.Note)
    assert [n.id for n in notes] == [f"t{i:03d}" for i in range(1, 121)]
    assert sum(n.split == "test" for n in notes) == 60


def test_a_code_outside_every_mode_names_the_line_and_the_fix():
    notes = [ea.Note(id="t001", split="dev", note="", codes=["rude"])]
    with pytest.raises(ValueError) as error:
        ea.modes_of(notes)
    assert str(error.value) == (
        f"{ea.NOTES}:1: codes: 'rude' belongs to no failure mode; add it to "
        "FAILURE_MODES in snippets/stage5/error_analysis.py"
    )


def test_a_trace_without_a_note_is_an_error():
    trace = ea.Trace(id="t999", stop_reason="end_turn", reply="x", output_tokens=1)
    with pytest.raises(ValueError, match="no note for trace t999; read it and add"):
        ea.count_modes([trace], {})


def test_a_broken_line_names_the_file_line_and_field(tmp_path):
    path = tmp_path / "notes.jsonl"
    path.write_text(
        '{"id": "t001", "split": "dev", "note": "ok", "codes": []}\n{"id": 2}\n'
    )
    with pytest.raises(ValueError) as error:
        ea.read_jsonl(path, ea.Note)
    assert str(error.value) == (
        f"{path}:2: id: Input should be a valid string; fix the line to match Note"
    )


def test_runs_as_a_script(capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["error_analysis"])
    runpy.run_module("snippets.stage5.error_analysis", run_name="__main__")
    assert (
        capsys.readouterr().out.splitlines()[0]
        == "traces: 120, with at least one failure: 45"
    )
