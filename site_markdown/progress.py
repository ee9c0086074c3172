"""Python-Markdown extension: every checklist item gets a stable id and a name.

pymdownx.tasklist renders `- [ ] item` as a clickable checkbox with no name and no id.
docs/assets/javascripts/progress.js stores ticks in the reader's browser, so each box
needs an id that survives edits to the page. A postprocessor (after the stashed
checkbox HTML is back in the page) adds `data-progress-id="<page>:<item-slug>"` to
every task-list checkbox (the page's source path without `.md`, then the item's own
text as a slug, so inserting or moving items keeps every tick) and
`aria-label="<item text>"`, the name screen readers and agents announce (the visible
text sits outside the checkbox's `<label>`). The page comes from the generator
(site_markdown/page.py); a checklist on a page it cannot name stops the build.

The home diagram's `<span class="stage-progress" data-stage="N">` elements need the
ids of other pages, so the post-build step fills them, with this module's
`fill_stage_spans`: each gets "0 of T ticked", and the page gets the ids per stage
as inline JSON (`<script type="application/json" id="progress-index">`), which
progress.js reads to count the reader's ticks. Inline, not a fetched file, so it
works from file:// too. `progress_ids` reads the ids back from a built page.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser

from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor

from site_markdown.page import SiteError, rendered_page

INDEX_ELEMENT_ID = "progress-index"
STAGE_SPAN = re.compile(
    r'<span(?P<attrs>\s[^>]*\bclass="(?:[^"]*\s)?stage-progress(?:\s[^"]*)?"[^>]*)>'
    r"(?P<body>.*?)</span>",
    re.S,
)
DATA_STAGE = re.compile(r'\bdata-stage="(?P<stage>[^"]*)"')
PROGRESS_ID = re.compile(r'<input data-progress-id="(?P<id>[^"]*)"')
PRIORITY = 17  # after raw_html (30) and amp_substitute (20): the final HTML


@dataclass(frozen=True)
class ChecklistItem:
    """One rendered task-list checkbox: where its tag is and what the item says."""

    start: int  # offset of the `<input` tag in the page HTML
    tag: str  # the tag's text as written
    text: str  # the item's visible text, whitespace collapsed, nested lists left out


@dataclass
class _OpenItem:
    is_task: bool
    checkbox: tuple[int, str] | None = None
    nested_lists: int = 0
    text: list[str] = field(default_factory=list)


class _ChecklistFinder(HTMLParser):
    """Collect the task-list checkboxes of a page and the text of their items."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.open: list[_OpenItem] = []
        self.items: list[ChecklistItem] = []

    def source_offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "li":
            classes = (attributes.get("class") or "").split()
            self.open.append(_OpenItem(is_task="task-list-item" in classes))
        elif tag in ("ul", "ol") and self.open:
            self.open[-1].nested_lists += 1
        elif tag == "input" and attributes.get("type") == "checkbox" and self.open:
            item = self.open[-1]
            if item.is_task and item.checkbox is None and item.nested_lists == 0:
                item.checkbox = (self.source_offset(), self.get_starttag_text() or "")

    def handle_endtag(self, tag):
        if tag in ("ul", "ol") and self.open and self.open[-1].nested_lists:
            self.open[-1].nested_lists -= 1
        elif tag == "li" and self.open:
            item = self.open.pop()
            if item.checkbox is not None:
                start, tag_text = item.checkbox
                text = " ".join("".join(item.text).split())
                self.items.append(ChecklistItem(start, tag_text, text))

    def handle_data(self, data):
        if self.open and self.open[-1].nested_lists == 0:
            self.open[-1].text.append(data)


def find_checklist_items(page_html: str) -> list[ChecklistItem]:
    """Every task-list checkbox in the HTML, in document order."""
    finder = _ChecklistFinder(page_html)
    finder.feed(page_html)
    finder.close()
    return sorted(finder.items, key=lambda item: item.start)


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: "Count `tokens` first!" ->
    "count-tokens-first"."""
    ascii_text = (
        unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    )
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def page_key(src_uri: str) -> str:
    """The part of an id that names the page: its source path without `.md`."""
    return src_uri.removesuffix(".md")


def item_id(src_uri: str, text: str) -> str:
    return f"{page_key(src_uri)}:{slug(text)}"


def add_progress_ids(page_html: str, src_uri: str) -> tuple[str, list[str]]:
    """The HTML with an id and a name on every checkbox, and the ids in order."""
    items = find_checklist_items(page_html)
    ids = [item_id(src_uri, item.text) for item in items]
    for item, progress_id in zip(reversed(items), reversed(ids), strict=True):
        if not item.tag.startswith("<input"):
            raise SiteError(f"{src_uri}: unexpected checkbox markup {item.tag!r}")
        extra = (
            f' data-progress-id="{html.escape(progress_id)}"'
            f' aria-label="{html.escape(item.text)}"'
        )
        end = item.start + len("<input")
        page_html = page_html[:end] + extra + page_html[end:]
    return page_html, ids


def progress_text(ticked: int, total: int) -> str:
    """What a stage's progress span says (progress.js writes the same words)."""
    return f"{ticked} of {total} ticked" if total else "no checklist yet"


def fill_stage_spans(page_html: str, stages: dict[int, list[str]], src_uri: str) -> str:
    """Put the totals into every stage-progress span and add the id index once."""

    def fill(match: re.Match) -> str:
        attrs = match.group("attrs")
        found = DATA_STAGE.search(attrs)
        stage = found.group("stage") if found else ""
        if not stage.isdigit() or int(stage) not in stages:
            known = ", ".join(map(str, sorted(stages))) or "none"
            raise SiteError(
                f'{src_uri}: <span class="stage-progress" data-stage="{stage}"> names '
                f"no stage page; data-stage must be the `stage:` front matter of a "
                f"page in the nav (known: {known}; a page whose front matter is not "
                f"valid YAML loses its `stage:` silently)"
            )
        total = len(stages[int(stage)])
        return f'<span{attrs} data-total="{total}">{progress_text(0, total)}</span>'

    filled = STAGE_SPAN.sub(fill, page_html)
    index = json.dumps({str(n): ids for n, ids in sorted(stages.items())})
    index = index.replace("</", "<\\/")  # cannot close the script element early
    script = f'<script type="application/json" id="{INDEX_ELEMENT_ID}">{index}</script>'

    body_end = filled.rfind("</body>")
    if body_end == -1:
        raise SiteError(f"{src_uri}: no </body> to put the progress index before")
    return filled[:body_end] + script + "\n" + filled[body_end:]


def progress_ids(page_html: str) -> list[str]:
    """The checklist ids of a built page, in document order."""
    return [html.unescape(match["id"]) for match in PROGRESS_ID.finditer(page_html)]


# ----------------------------------------------------------------- the extension


class ProgressPostprocessor(Postprocessor):
    def __init__(self, md: Markdown, page: str) -> None:
        super().__init__(md)
        self.page = page

    def run(self, text: str) -> str:
        if "task-list-item" not in text:
            return text
        page = rendered_page(self.md) or self.page
        if not page:
            if not find_checklist_items(text):
                return text
            raise SiteError(
                "a checklist on a page the site generator does not name: its items "
                "need the page's path for their ids; give the extension `page`"
            )
        return add_progress_ids(text, page)[0]


class ProgressExtension(Extension):
    def __init__(self, **kwargs) -> None:
        self.config = {
            "page": ["", "the page's path under docs/ if the generator does not say"]
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        processor = ProgressPostprocessor(md, self.getConfig("page"))
        md.postprocessors.register(processor, "progress", PRIORITY)


def makeExtension(**kwargs) -> ProgressExtension:
    return ProgressExtension(**kwargs)
