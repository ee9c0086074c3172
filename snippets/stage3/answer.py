"""Generation with citations: the answer, and which passage backs each claim.

The passages go to Claude as `search_result` content blocks with citations
enabled. The API then returns the answer as text blocks, each carrying the
passages (and the exact text) it relied on: citations that point into what was
retrieved, not ids the model typed and might have invented.

Three outcomes are handled before and after the call. No passages: no call at
all, because a model with nothing to read answers from memory. A reply that did
not finish (cut off at max_tokens, or refused): `IncompleteReply`, because a
cut-off answer may have lost the caveat at its end. An answer with no
citations: returned, but flagged, because nothing in the index backs it.
"""

import sys
from dataclasses import dataclass

import anthropic

from snippets.stage1.replies import check_complete
from snippets.stage3.database import connect
from snippets.stage3.embeddings import Embedder, load_model
from snippets.stage3.hybrid_search import hybrid_search
from snippets.stage3.keyword_search import BM25Index
from snippets.stage3.schema import Passage, fetch_passages

client = anthropic.Anthropic()

NOTHING_FOUND = "Nothing in the index matches this question, so there is no answer."


# --8<-- [start:answer]
MODEL = "claude-sonnet-5-5"
SYSTEM = (
    "You answer questions about Python from the search results you are given. "
    "Use only those results and cite them. If they do not contain the answer, "
    "say so in one sentence instead of guessing."
)


@dataclass(frozen=True)
class Citation:
    passage: Passage
    cited_text: str


@dataclass(frozen=True)
class Answer:
    text: str  # with [n] markers after each cited statement
    citations: list[Citation]  # [n] refers to citations[n - 1]

    @property
    def supported(self) -> bool:
        return bool(self.citations)


def search_result(passage: Passage) -> dict:
    return {
        "type": "search_result",
        "source": passage.source,
        "title": f"{passage.title} > {passage.heading_path}",
        "content": [{"type": "text", "text": passage.content}],
        "citations": {"enabled": True},
    }


def answer(question: str, passages: list[Passage], max_tokens: int = 2048) -> Answer:
    if not passages:
        return Answer(NOTHING_FOUND, [])
    message = client.messages.create(
        model=MODEL,
        max_tokens=max_tokens,  # thinking counts too: 2,048 holds it and the answer
        # The reply the reader sees: high effort, Sonnet 5.5's default, set here so
        # that max_tokens stays sized for it if MODEL changes (Opus 5.5: medium).
        output_config={"effort": "high"},
        system=SYSTEM,
        messages=[
            {
                "role": "user",
                "content": [
                    *(search_result(p) for p in passages),
                    {"type": "text", "text": question},
                ],
            }
        ],
    )
    # Cut off or refused: raise IncompleteReply. A cut-off answer may have lost
    # the caveat at its end.
    check_complete(message)
    text, citations = "", []
    for block in message.content:
        if block.type != "text":  # the thinking block comes first
            continue
        text += block.text
        for cited in block.citations or []:
            citations.append(
                Citation(passages[cited.search_result_index], cited.cited_text)
            )
            text += f"[{len(citations)}]"
    return Answer(text.strip(), citations)


# --8<-- [end:answer]


def print_answer(result: Answer) -> None:
    print(result.text)
    if not result.supported:
        print("\n(no citations: nothing retrieved supports this answer)")
    for n, citation in enumerate(result.citations, start=1):
        passage = citation.passage
        print(
            f"[{n}] {passage.source}, {passage.heading_path}: {citation.cited_text!r}"
        )


def main() -> None:
    question = " ".join(sys.argv[1:]) or "What does a with statement guarantee?"
    embedder = Embedder(load_model())
    with connect() as conn:
        bm25 = BM25Index.from_database(conn)
        passages = fetch_passages(conn, hybrid_search(conn, embedder, bm25, question))
    print_answer(answer(question, passages[:5]))


if __name__ == "__main__":
    main()
