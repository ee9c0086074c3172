"""MkDocs hook: each stage page states what it requires and unlocks, from front matter.

on_page_markdown, on pages whose front matter has `stage`: puts one line under the
page's H1, built from `requires` and `unlocks`, with a link to each stage named:

    **Requires:** [Stage 2](02-context-and-prompting.md) · **Unlocks:** [Stage 4](...)

The front matter is the only source; tests/site/test_stage_graph.py checks that the
stages form the chain 1 → 2 → … → 6.
"""

from __future__ import annotations

import posixpath
import re

from mkdocs.exceptions import PluginError

H1 = re.compile(r"^# .+$", re.M)
STAGE_FILE = re.compile(r"^stages/0(?P<stage>\d)-[^/]+\.md$")


def on_page_markdown(markdown, page, config, files):
    if "stage" not in page.meta:
        return markdown
    pages = {
        int(match.group("stage")): file.src_uri
        for file in files.documentation_pages()
        if (match := STAGE_FILE.match(file.src_uri))
    }
    line = stage_line(
        page.file.src_uri,
        page.meta.get("requires") or [],
        page.meta.get("unlocks") or [],
        pages,
    )
    return insert_under_h1(markdown, line, page.file.src_uri)


def stage_line(
    src_uri: str, requires: list[int], unlocks: list[int], pages: dict[int, str]
) -> str:
    """The Markdown line: each stage a link, or what it means when there is none."""
    here = posixpath.dirname(src_uri)

    def links(stages: list[int]) -> str:
        missing = [stage for stage in stages if stage not in pages]
        if missing:
            raise PluginError(
                f"docs/{src_uri}: front matter names stage {missing[0]}, which has no "
                "page in docs/stages/; fix `requires` or `unlocks`"
            )
        return ", ".join(
            f"[Stage {stage}]({posixpath.relpath(pages[stage], here)})"
            for stage in stages
        )

    before = links(requires) if requires else "nothing, start here"
    after = links(unlocks) if unlocks else "your own direction; this is the last stage"
    return f"**Requires:** {before} · **Unlocks:** {after}\n{{ .stage-meta }}"


def insert_under_h1(markdown: str, line: str, src_uri: str) -> str:
    heading = H1.search(markdown)
    if not heading:
        raise PluginError(
            f"docs/{src_uri}: a stage page needs an H1 (`# Stage N: ...`) for the "
            "requires/unlocks line to go under"
        )
    end = heading.end()
    return f"{markdown[:end]}\n\n{line}\n{markdown[end:]}"
