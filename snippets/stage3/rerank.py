"""Reranking: read the candidates against the question and reorder them.

Retrieval scores each chunk on its own, from a vector or word counts computed
before the question existed. A reranker reads the question and the candidates
together, so it can tell "mentions the words" from "answers the question".

This one is listwise: Claude sees all candidates in one request and returns the
ids of those that help, best first, as structured output. Candidates it leaves
out are dropped, which makes it a relevance filter as well. Ids it invents are
ignored. Structured output guarantees the JSON only for a finished reply, so the
reply is checked before it is parsed: if it was refused or cut off at
max_tokens, the retrieval order stands. A broken reranker must not break the
answer, but it must not go unnoticed either: each fallback is logged at WARNING
with its reason, and the result says it fell back, so a caller (or the
benchmark) can count how often the reranker did not rerank.

Alternatives: a cross-encoder (for example `cross-encoder/ms-marco-MiniLM-L6-v2`
through sentence-transformers' `CrossEncoder`) scores each (question, chunk)
pair locally with no API cost; hosted rerank endpoints (Cohere, Voyage) do the
same as a service. Both are cheaper per call than an LLM; measure before you pick.
"""

import logging
import sys
from dataclasses import dataclass

import anthropic
from pydantic import BaseModel, Field

from snippets.stage1.replies import IncompleteReply, reply_text
from snippets.stage3.database import connect
from snippets.stage3.embeddings import Embedder, load_model
from snippets.stage3.hybrid_search import hybrid_search
from snippets.stage3.keyword_search import BM25Index
from snippets.stage3.schema import Passage, fetch_passages

client = anthropic.Anthropic()
logger = logging.getLogger(__name__)


# --8<-- [start:rerank]
MODEL = "claude-haiku-5-5"


class Ranking(BaseModel):
    passage_ids: list[int] = Field(
        description="ids of the passages that help answer the question, best first"
    )


RANKING = {"type": "json_schema", "schema": anthropic.transform_schema(Ranking)}


@dataclass(frozen=True)
class Reranked:
    passages: list[Passage]
    fallback: str | None = None  # why the retrieval order was kept, if it was


def rerank(question: str, passages: list[Passage], top_n: int = 5) -> Reranked:
    """The passages Claude judges useful for the question, best first."""
    listing = "\n".join(
        f'<passage id="{i}" source="{p.source}">\n{p.content}\n</passage>'
        for i, p in enumerate(passages, start=1)
    )
    # create, not parse: parse reads the JSON before the stop reason can be
    # checked, and a refused or cut-off reply is not the JSON asked for.
    message = client.messages.create(
        model=MODEL,
        max_tokens=1024,  # thinking counts too; a list of ids needs under 100
        # Every question waits for this call, and picking ids needs less thought
        # than writing the answer: low effort.
        output_config={"effort": "low", "format": RANKING},
        system=(
            "You rank search results. List the ids of the passages that help "
            "answer the question, most useful first. Leave out passages that "
            "do not help."
        ),
        messages=[
            {
                "role": "user",
                "content": f"{listing}\n\n<question>{question}</question>",
            }
        ],
    )
    try:
        ranking = Ranking.model_validate_json(reply_text(message))
    except IncompleteReply as error:  # refused, or JSON cut off at max_tokens
        logger.warning("reranking skipped, retrieval order kept: %s", error)
        return Reranked(passages[:top_n], fallback=str(error))
    known = range(1, len(passages) + 1)
    order = [i for i in dict.fromkeys(ranking.passage_ids) if i in known]
    return Reranked([passages[i - 1] for i in order][:top_n])


# --8<-- [end:rerank]


def main() -> None:
    question = " ".join(sys.argv[1:]) or "How do I make instances of my class sortable?"
    embedder = Embedder(load_model())
    with connect() as conn:
        bm25 = BM25Index.from_database(conn)
        passages = fetch_passages(
            conn, hybrid_search(conn, embedder, bm25, question, k=20)
        )
    print("retrieval order:", [p.chunk_id for p in passages[:5]])
    reranked = rerank(question, passages)
    print("after reranking:", [p.chunk_id for p in reranked.passages])
    for passage in reranked.passages:
        print(f"  {passage.source}  {passage.heading_path}")


if __name__ == "__main__":
    main()
