"""The whole system: ingest the docs once, then ask questions and get cited answers.

    python -m snippets.stage3.docs_qa ingest      # pydoc topics + this site's docs/
    python -m snippets.stage3.docs_qa ingest --topics with try   # a quick start
    python -m snippets.stage3.docs_qa ask "How do I make a class sortable?"
    python -m snippets.stage3.docs_qa ask --collection site --rerank "What is RRF?"

`ingest` is idempotent: run it again after editing a page and only that page is
re-embedded. Run over the whole source (no --topics, and every page readable),
it also removes what the source no longer has: a deleted page, or a topic gone
from pydoc. A page it cannot read keeps its old version, so that run removes
nothing. `ask` retrieves with hybrid search (BM25 + vectors, fused by RRF),
decides whether anything matches on the passages it would answer from,
optionally reranks with Claude, and answers with citations. An answer that did
not finish (refused, or cut off at max_tokens) is one line on stderr and exit
status 1, never printed as if it were the answer.
"""

import argparse
from pathlib import Path

from snippets.stage1.replies import IncompleteReply
from snippets.stage3.answer import answer, print_answer
from snippets.stage3.corpus import UnknownTopic, pydoc_documents, site_documents
from snippets.stage3.database import DatabaseUnreachable, connect
from snippets.stage3.embeddings import Embedder, load_model
from snippets.stage3.hybrid_search import hybrid_search
from snippets.stage3.ingest import ingest
from snippets.stage3.keyword_search import BM25Index
from snippets.stage3.no_answer import something_matches
from snippets.stage3.rerank import rerank
from snippets.stage3.schema import create_schema, fetch_passages

PASSAGES_TO_ANSWER = 5


# --8<-- [start:ingest]
def ingest_command(docs_dir: Path, topics: list[str] | None) -> None:
    documents = pydoc_documents(topics)
    problems: list[str] = []
    if docs_dir.is_dir():
        site, problems = site_documents(docs_dir)
        documents += site
        for problem in problems:
            print(f"skipped {problem}")
    else:
        print(f"no {docs_dir}/ here: indexing the pydoc topics only")
    # Only the whole source may delete: a named topic list is a part of pydoc,
    # and an unreadable page is still there, so its old version stays.
    complete = topics is None and not problems
    embedder = Embedder(load_model())
    with connect() as conn:
        create_schema(conn)
        report = ingest(conn, embedder, documents, complete_source=complete)
    print(report.summary())
    for line in report.skipped:
        print(f"skipped {line}")


# --8<-- [end:ingest]


# --8<-- [start:ask]
def ask_command(question: str, collection: str | None, use_reranker: bool) -> None:
    embedder = Embedder(load_model())
    with connect() as conn:
        bm25 = BM25Index.from_database(conn)
        hits = hybrid_search(
            conn, embedder, bm25, question, k=20, collection=collection
        )
        passages = fetch_passages(conn, hits)
        # Decided after fusion, on the passages an answer would be built from:
        # below the floor, neither the reranker nor the answer is called.
        top = passages[:PASSAGES_TO_ANSWER]
        if not something_matches(conn, embedder, question, top):
            passages = []
    if use_reranker and passages:
        passages = rerank(question, passages, top_n=PASSAGES_TO_ANSWER).passages
    print_answer(answer(question, passages[:PASSAGES_TO_ANSWER]))


# --8<-- [end:ask]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m snippets.stage3.docs_qa")
    commands = parser.add_subparsers(dest="command", required=True)
    ingest_parser = commands.add_parser("ingest", help="index the corpus")
    ingest_parser.add_argument("--docs", type=Path, default=Path("docs"))
    ingest_parser.add_argument("--topics", nargs="+", help="only these pydoc topics")
    ask_parser = commands.add_parser("ask", help="answer a question with citations")
    ask_parser.add_argument("question")
    ask_parser.add_argument("--collection", choices=["pydoc", "site"])
    ask_parser.add_argument("--rerank", action="store_true")
    args = parser.parse_args(argv)
    try:
        if args.command == "ingest":
            ingest_command(args.docs, args.topics)
        else:
            ask_command(args.question, args.collection, args.rerank)
    except (DatabaseUnreachable, UnknownTopic) as error:
        raise SystemExit(f"error: {error}") from None
    except IncompleteReply as error:
        raise SystemExit(f"error: no answer: {error}") from None


if __name__ == "__main__":
    main()
