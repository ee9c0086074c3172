"""MkDocs hook: FAQPage structured data (JSON-LD) on the FAQ page, for search engines.

on_post_page, on docs/faq.md only: every <h2> of the rendered page is a question,
and the text that follows it, up to the next <h2>, is its answer. The hook builds a
schema.org FAQPage from those pairs and inserts it into the page's <head> as
<script type="application/ld+json">. Nothing is typed twice: edit a question or an
answer in faq.md and the structured data follows.

Answers are plain text. Code blocks and their titles are left out (a search result
cannot show them), and so are the heading permalinks; glossary tooltips keep their
visible word only, because a definition lives in an attribute, not in the text.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

from mkdocs.exceptions import PluginError

FAQ_PAGE = "faq.md"  # in docs/
SKIPPED = {"pre", "script", "style", "svg", "template"}  # their text is not prose
SKIPPED_CLASSES = {"highlight", "headerlink"}  # code blocks with titles, permalinks
# Elements that end a run of text, so "one</p><p>two" reads "one two".
BLOCKS = {
    "p", "div", "li", "ul", "ol", "table", "tr", "td", "th", "blockquote",
    "details", "summary", "dd", "dt", "br", "h1", "h2", "h3", "h4", "h5", "h6",
}  # fmt: skip


def on_post_page(output: str, page, config) -> str:
    if page.file.src_uri != FAQ_PAGE:
        return output
    pairs = questions_and_answers(page.content or "")
    if not pairs:
        raise PluginError(
            f"docs/{FAQ_PAGE}: no questions found for the FAQPage structured data; "
            "write each question as a level-2 heading (## Question?) followed by "
            "its answer"
        )
    return insert_json_ld(output, faq_schema(pairs))


def questions_and_answers(html: str) -> list[tuple[str, str]]:
    """(question, answer) pairs: each <h2>'s text and the text up to the next one."""
    parser = _FaqParser()
    parser.feed(html)
    parser.close()
    return [
        (_clean(question), _clean(answer))
        for question, answer in parser.pairs
        if _clean(question) and _clean(answer)
    ]


def faq_schema(pairs: list[tuple[str, str]]) -> dict:
    """A schema.org FAQPage with one Question and accepted Answer per pair."""
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": question,
                "acceptedAnswer": {"@type": "Answer", "text": answer},
            }
            for question, answer in pairs
        ],
    }


def insert_json_ld(output: str, data: dict) -> str:
    """Put the data into the <head> as a JSON-LD script, just before </head>."""
    # "</" inside a script would end it early; "<\/" means the same to JSON.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("</", "<\\/")
    script = f'<script type="application/ld+json">{text}</script>'
    head_end = output.find("</head>")
    if head_end < 0:
        raise PluginError(f"docs/{FAQ_PAGE}: the rendered page has no </head>")
    return output[:head_end] + script + output[head_end:]


def _clean(text: str) -> str:
    return " ".join(text.split())


class _FaqParser(HTMLParser):
    """Collects [question, answer] text pairs from rendered page content."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pairs: list[list[str]] = []
        self._in_question = False
        self._skip_depth = 0  # > 0 inside an element whose text is not prose
        self._skip_tag = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip_depth:
            self._skip_depth += tag == self._skip_tag
            return
        classes = set((dict(attrs).get("class") or "").split())
        if tag in SKIPPED or classes & SKIPPED_CLASSES:
            self._skip_tag, self._skip_depth = tag, 1
            return
        if tag == "h2":
            self.pairs.append(["", ""])
            self._in_question = True
        elif tag in BLOCKS:
            self._write(" ")

    def handle_endtag(self, tag: str) -> None:
        if self._skip_depth:
            self._skip_depth -= tag == self._skip_tag
            return
        if tag == "h2":
            self._in_question = False
        elif tag in BLOCKS:
            self._write(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self._write(data)

    def _write(self, text: str) -> None:
        if self.pairs:  # text before the first question belongs to no answer
            self.pairs[-1][0 if self._in_question else 1] += text
