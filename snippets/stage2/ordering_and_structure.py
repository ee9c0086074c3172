"""Ordering and structure: long material first, the question last, XML tags between.

Put long documents at the top of the user turn and the question at the very
end; wrap each document and its source in XML tags so the model can tell
material from instructions. Tags only separate what cannot close them: text from
outside (an email, an upload) goes in fenced first, with `fence` from
`snippets/stage1/fence.py`, as `prompt_chaining.py` does. Asking for quotes
before the answer makes the model ground what it says, and gives you something to
check: a quote that is not in the documents is a fabrication you can catch in code.
"""

import re
from dataclasses import dataclass

import anthropic

from snippets.stage1.replies import reply_text
from snippets.stage2.support_policy import policy_sections

MODEL = "claude-sonnet-5-5"

client = anthropic.Anthropic()

SYSTEM = "You answer Harbour Lane Kitchenware staff questions from the documents only."

GROUNDED_ANSWER = (
    "First copy, word for word, the sentences from the documents that bear on the "
    "question into <quotes> tags, one per line. Then answer in <answer> tags. If the "
    "documents do not answer the question, say so in <answer> and do not guess."
)


class MissingTag(Exception):
    """The reply does not contain a tag the prompt asked for."""


@dataclass(frozen=True)
class Document:
    source: str
    text: str


@dataclass(frozen=True)
class GroundedAnswer:
    quotes: list[str]
    answer: str


# --8<-- [start:layout]
def user_turn(documents: list[Document], question: str, instructions: str = "") -> str:
    """Documents first, then any instructions, then the question last."""
    parts = ["<documents>"]
    for index, document in enumerate(documents, start=1):
        parts.append(
            f'<document index="{index}">\n'
            f"<source>{document.source}</source>\n"
            f"<document_content>\n{document.text.strip()}\n</document_content>\n"
            "</document>"
        )
    parts.append("</documents>")
    if instructions:
        parts.append(f"<instructions>\n{instructions}\n</instructions>")
    parts.append(f"<question>\n{question}\n</question>")
    return "\n".join(parts)


# --8<-- [end:layout]


# --8<-- [start:parse]
def tag_content(text: str, tag: str) -> str:
    """The content of the first <tag>...</tag> in text, or MissingTag."""
    found = re.search(rf"<{tag}>(.*?)</{tag}>", text, re.DOTALL)
    if found is None:
        raise MissingTag(f"the reply has no <{tag}> element: {text[:200]!r}")
    return found.group(1).strip()


def unsupported_quotes(quotes: list[str], documents: list[Document]) -> list[str]:
    """Quotes that appear in none of the documents (whitespace-insensitive)."""

    def squash(text: str) -> str:
        return " ".join(text.split())

    corpus = [squash(document.text) for document in documents]
    return [q for q in quotes if not any(squash(q) in text for text in corpus)]


def ask(documents: list[Document], question: str) -> GroundedAnswer:
    """Ask one question about the documents; return the quotes and the answer."""
    message = client.messages.create(
        model=MODEL,
        max_tokens=3_000,  # thinking at medium effort, plus the quotes and the answer
        output_config={"effort": "medium"},  # finding sentences, not hard reasoning
        system=SYSTEM,
        messages=[
            {
                "role": "user",
                "content": user_turn(documents, question, GROUNDED_ANSWER),
            }
        ],
    )
    text = reply_text(message)  # raises IncompleteReply unless it finished
    quotes = [line.strip() for line in tag_content(text, "quotes").splitlines()]
    return GroundedAnswer(
        quotes=[q for q in quotes if q], answer=tag_content(text, "answer")
    )


# --8<-- [end:parse]


def main() -> None:
    sections = policy_sections()
    documents = [
        Document(source=f"support policy: {title}", text=sections[title])
        for title in ("Returns", "Refunds")
    ]
    result = ask(
        documents,
        "A customer returned two of the three pans from one order within the "
        "window. Do we refund the original shipping charge?",
    )
    for quote in result.quotes:
        print(f"quote: {quote}")
    print(f"answer: {result.answer}")
    missing = unsupported_quotes(result.quotes, documents)
    print(f"quotes not found in the documents: {missing}")


if __name__ == "__main__":
    main()
