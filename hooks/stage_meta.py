"""MkDocs hook: each stage page states what it requires and unlocks, and what its
examples were tested with.

on_page_markdown, on pages whose front matter has `stage`: puts two lines under the
page's H1. The first is built from `requires` and `unlocks`, with a link to each
stage named:

    **Requires:** [Stage 2](02-context-and-prompting.md) · **Unlocks:** [Stage 4](...)

The second says what the stage's examples ran against, read at build time: the
`anthropic` version pinned in constraints.txt, the API version that SDK sends, the
models the stage's snippets call, and the date of the last run against the real
API (data/conformance/live.json, written only by a `--live` run):

    **Tested with** anthropic 2.15.0 · API version 2026-10-21 · models ... · ...

The front matter is the only source of the graph; tests/site/test_stage_graph.py
checks that the stages form the chain 1 → 2 → … → 6.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from anthropic._constants import ANTHROPIC_API_VERSION
from behaviour_table import read_live_run  # hooks/ is on sys.path, as for MkDocs
from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[1]
MODEL_ID = re.compile(r"\bclaude-(?:opus|sonnet|haiku|fable|mythos)[a-z0-9-]*[a-z0-9]")
PIN = re.compile(r"^anthropic==(?P<version>\S+)$", re.M)

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
    tested = examples_line(int(page.meta["stage"]), ROOT)
    return insert_under_h1(markdown, f"{line}\n\n{tested}", page.file.src_uri)


def examples_line(stage: int, root: Path) -> str:
    """What the stage's examples were tested with, from the files that record it."""
    pins = (root / "constraints.txt").read_text(encoding="utf-8")
    pinned = PIN.search(pins)
    if not pinned:
        raise PluginError(
            "constraints.txt pins no anthropic version; run `make constraints`"
        )
    models = sorted(
        {
            match.group()
            for path in sorted((root / "snippets" / f"stage{stage}").glob("*.py"))
            for match in MODEL_ID.finditer(path.read_text(encoding="utf-8"))
        }
    )
    run = read_live_run(root / "data" / "conformance" / "live.json")
    last = run["date"] if run else "never"
    called = ", ".join(f"`{model}`" for model in models) or "none"
    return (
        f"**Tested with** anthropic {pinned['version']} · API version "
        f"{ANTHROPIC_API_VERSION} · models {called} · against the local API double; "
        f"last run against the real API: {last}\n{{ .stage-meta }}"
    )


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
