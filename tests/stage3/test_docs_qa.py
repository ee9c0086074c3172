import runpy
import sys

import pytest

from snippets.stage3.answer import NOTHING_FOUND
from snippets.stage3.corpus import pydoc_documents
from snippets.stage3.docs_qa import main

QUESTION = "stage3-double docs_qa: what does the pass statement do?"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    docs = tmp_path_factory.mktemp("docs")
    (docs / "guides").mkdir()
    (docs / "guides" / "rag.md").write_text(
        '---\ntitle: "How RAG works"\n---\n\n# How RAG works\n\nReciprocal rank '
        "fusion adds 1 / (60 + rank) for each list a chunk appears in.\n"
    )
    (docs / "legacy.md").write_bytes("# Résumé\n".encode("latin-1"))
    (docs / "draft.md").write_text('---\ntitle: "Draft"\n---\n\n')
    return docs


@pytest.fixture(scope="module")
def ingested(database_url, site):
    main(["ingest", "--docs", str(site), "--topics", "pass", "assert"])


def test_ingest_indexes_topics_and_pages_and_names_the_bad_file(
    database_url, site, capsys
):
    main(["ingest", "--docs", str(site), "--topics", "pass", "assert"])
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("skipped ")
    assert "legacy.md: byte 0xe9 at offset 3 is not UTF-8" in out[0]
    assert out[1].startswith("3 added, 0 replaced, 0 unchanged, 0 removed, 1 skipped, ")
    assert out[2] == "skipped site:draft.md: empty document, nothing to index"
    main(["ingest", "--docs", str(site), "--topics", "pass", "assert"])
    out = capsys.readouterr().out.splitlines()
    assert out[1] == (
        "0 added, 0 replaced, 3 unchanged, 0 removed, 1 skipped, 0 chunks written"
    )


def test_ingest_without_a_docs_folder_says_so(database_url, tmp_path, capsys):
    main(["ingest", "--docs", str(tmp_path / "missing"), "--topics", "pass"])
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"no {tmp_path / 'missing'}/ here: indexing the pydoc topics only"
    assert out[1].startswith("0 added, 0 replaced, 1 unchanged")


def test_ask_answers_with_citations(ingested, double, capsys):
    main(["ask", QUESTION])
    assert capsys.readouterr().out == (
        "The pass statement: executing it does nothing[1]. "
        "It fills a place where a statement is required.\n"
        '[1] pydoc:pass, The "pass" statement: \'"pass" is a null operation — '
        "when it is executed, nothing happens.'\n"
    )
    [request] = double.requests  # no reranking unless asked for
    assert request.body["system"].startswith("You answer questions about Python")


def test_ask_with_rerank_calls_the_reranker_first(ingested, double, capsys):
    main(["ask", "--rerank", QUESTION])
    assert capsys.readouterr().out.startswith("The pass statement")
    rerank_request, answer_request = double.requests
    assert rerank_request.body["system"].startswith("You rank search results")
    assert (
        len(answer_request.body["messages"][0]["content"]) == 2
    )  # 1 result + question


def test_ask_filters_by_collection(ingested, double, capsys):
    main(["ask", "--collection", "site", "xyzzy plugh frobnicate"])
    assert capsys.readouterr().out.startswith(NOTHING_FOUND)
    assert double.requests == []


@pytest.mark.parametrize(
    "question",
    [
        "xyzzy plugh frobnicate",
        "How do I make a command-line flag required with argparse?",  # plausible
    ],
)
def test_a_question_nothing_matches_is_answered_without_calling_claude(
    ingested, double, capsys, question
):
    # Hybrid search returns passages for both; the floor, applied after fusion,
    # turns them away before the reranker or the answer is called.
    main(["ask", "--rerank", question])
    out = capsys.readouterr().out
    assert out.startswith(NOTHING_FOUND)
    assert "no citations" in out
    assert double.requests == []


def test_a_declined_answer_is_one_clear_line(ingested, double, capsys):
    question = "stage3-double docs_qa: what does the assert statement check?"
    refusal = {
        "match": {"user": question},
        "reply": {
            "content": [],
            "stop_reason": "refusal",
            "stop_details": {"type": "refusal", "category": "cyber"},
        },
    }
    with double.script([refusal]), pytest.raises(SystemExit) as exited:
        main(["ask", question])
    assert str(exited.value) == (
        "error: no answer: the model declined (category: cyber)"
    )
    assert capsys.readouterr().out == ""  # nothing printed as if it were an answer


def test_an_unreachable_database_is_one_clear_line(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://qa@127.0.0.1:1/qa")
    with pytest.raises(SystemExit) as exited:
        main(["ask", "anything"])
    assert str(exited.value).startswith("error: cannot reach PostgreSQL at ")
    assert "DATABASE_URL" in str(exited.value)


def test_an_unknown_topic_is_one_clear_line(database_url):
    with pytest.raises(SystemExit, match="error: no pydoc topic named nope"):
        main(["ingest", "--topics", "pass", "nope"])


def test_python_dash_m(ingested, double, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["docs_qa", "ask", QUESTION])
    runpy.run_module("snippets.stage3.docs_qa", run_name="__main__")
    assert "[1] pydoc:pass" in capsys.readouterr().out


# Removal: these run last, on this module's database emptied first.
def stored_sources(conn) -> list[str]:
    return [row[0] for row in conn.execute("SELECT source FROM documents ORDER BY 1")]


@pytest.fixture
def small_source(conn, tmp_path, monkeypatch):
    """A whole source of two pydoc topics and two pages, ingested once."""
    import snippets.stage3.docs_qa as module

    conn.execute("TRUNCATE documents CASCADE")
    topics = ["assert", "pass"]
    # A pydoc of two topics: patch the corpus the command reads, not the code.
    monkeypatch.setattr(
        module, "pydoc_documents", lambda names: pydoc_documents(names or topics)
    )
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "keep.md").write_text("# Keep\n\nThis page stays in the source.\n")
    (docs / "gone.md").write_text("# Gone\n\nThis page is deleted later.\n")
    main(["ingest", "--docs", str(docs)])
    assert stored_sources(conn) == [
        "pydoc:assert",
        "pydoc:pass",
        "site:gone.md",
        "site:keep.md",
    ]
    return docs, topics


def test_ingest_over_the_whole_source_removes_what_it_no_longer_has(
    conn, small_source, capsys
):
    docs, topics = small_source
    capsys.readouterr()
    (docs / "gone.md").unlink()
    topics.remove("pass")  # a topic gone from pydoc
    main(["ingest", "--docs", str(docs)])
    assert capsys.readouterr().out == (
        "0 added, 0 replaced, 2 unchanged, 2 removed, 0 skipped, 0 chunks written\n"
    )
    assert stored_sources(conn) == ["pydoc:assert", "site:keep.md"]
    assert (
        conn.execute(
            "SELECT count(*) FROM chunks WHERE content LIKE '%deleted later%'"
        ).fetchone()[0]
        == 0
    )


def test_a_partial_or_unreadable_source_removes_nothing(conn, small_source, capsys):
    docs, _ = small_source
    capsys.readouterr()
    (docs / "gone.md").unlink()
    (docs / "keep.md").write_bytes("# Keep\n\nCaf\xe9.\n".encode("latin-1"))
    main(["ingest", "--docs", str(docs)])  # keep.md is unreadable: still there
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("skipped ") and "keep.md: byte 0xe9" in out[0]
    assert out[1] == (
        "0 added, 0 replaced, 2 unchanged, 0 removed, 0 skipped, 0 chunks written"
    )
    (docs / "keep.md").write_text("# Keep\n\nThis page stays in the source.\n")
    main(["ingest", "--docs", str(docs), "--topics", "assert"])  # a part of pydoc
    assert capsys.readouterr().out == (
        "0 added, 0 replaced, 2 unchanged, 0 removed, 0 skipped, 0 chunks written\n"
    )
    assert stored_sources(conn) == [
        "pydoc:assert",
        "pydoc:pass",
        "site:gone.md",
        "site:keep.md",
    ]
