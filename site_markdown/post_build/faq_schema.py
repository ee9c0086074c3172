"""FAQPage structured data (JSON-LD) in the built FAQ page's head, for search engines.

Every <h2> of the FAQ's rendered content is a question, and the text that follows it,
up to the next <h2>, is its answer. The step builds a schema.org FAQPage from those
pairs and puts it into the page's <head> as <script type="application/ld+json">.
Nothing is typed twice: edit a question or an answer in faq.md and the structured
data follows.

A post-build step, not a Markdown extension: an extension renders the body only, so it
can neither reach the <head> nor tell which page it is rendering. The built page has
both, and its text is final (tooltips and other generated markup included).

Answers are plain text. Code blocks and their titles are left out (a search result
cannot show them), and so are the heading permalinks; glossary tooltips keep their
visible word only, because a definition lives in an attribute, not in the text.
Running the step twice replaces the data; it never adds a second script.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from site_markdown.post_build.built_site import BuiltSite, article
from site_markdown.post_build.site_config import PostBuildError

FAQ_PAGE = "faq.md"  # in docs/
SKIPPED = {"pre", "script", "style", "svg", "template"}  # their text is not prose
SKIPPED_CLASSES = {"highlight", "headerlink"}  # code blocks with titles, permalinks
# Elements that end a run of text, so "one</p><p>two" reads "one two".
BLOCKS = {
    "p", "div", "li", "ul", "ol", "table", "tr", "td", "th", "blockquote",
    "details", "summary", "dd", "dt", "br", "h1", "h2", "h3", "h4", "h5", "h6",
}  # fmt: skip
JSON_LD = re.compile(r'<script type="application/ld\+json">.*?</script>', re.S)


class FaqSchemaError(PostBuildError):
    """The FAQ page cannot give its structured data."""


def write(site: BuiltSite) -> None:
    """Add the FAQPage data to the built FAQ page."""
    path = site.file(FAQ_PAGE)
    path.write_text(with_schema(site.html(FAQ_PAGE)), encoding="utf-8")


def with_schema(output: str) -> str:
    """The built page with its FAQPage data in the head."""
    pairs = questions_and_answers(article(output))
    if not pairs:
        raise FaqSchemaError(
            f"docs/{FAQ_PAGE}: no questions found for the FAQPage structured data; "
            "write each question as a level-2 heading (## Question?) followed by "
            "its answer"
        )
    return insert_json_ld(JSON_LD.sub("", output), faq_schema(pairs))


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
        raise FaqSchemaError(f"docs/{FAQ_PAGE}: the built page has no </head>")
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
