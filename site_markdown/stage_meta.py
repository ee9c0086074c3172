"""Python-Markdown extension: each stage page states what it requires and unlocks,
and what its examples were tested with.

On pages whose front matter has `stage`, a preprocessor puts two lines under the
page's H1 (which page is being rendered comes from the generator, see
site_markdown/page.py; its front matter from its file in docs/). The first is built
from `requires` and `unlocks`, with a link to each stage named:

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
from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from site_markdown.behaviour_table import read_live_run
from site_markdown.page import DOCS_DIR, SiteError, front_matter, rendered_page

ROOT = Path(__file__).resolve().parents[1]
PRIORITY = 25  # before html_block (20); the lines are Markdown, parsed with the page
MODEL_ID = re.compile(r"\bclaude-(?:opus|sonnet|haiku|fable|mythos)[a-z0-9-]*[a-z0-9]")
PIN = re.compile(r"^anthropic==(?P<version>\S+)$", re.M)

H1 = re.compile(r"^# .+$", re.M)
STAGE_FILE = re.compile(r"^stages/0(?P<stage>\d)-[^/]+\.md$")


def stage_files(docs_dir: Path) -> dict[int, str]:
    """Each stage's page under docs/: {3: "stages/03-retrieval.md", ...}."""
    return {
        int(match.group("stage")): src
        for path in sorted((docs_dir / "stages").glob("*.md"))
        if (match := STAGE_FILE.match(src := path.relative_to(docs_dir).as_posix()))
    }


def expand(
    markdown: str, src_uri: str, docs_dir: Path = Path(DOCS_DIR), root: Path = ROOT
) -> str:
    """The page's Markdown (front matter stripped) with the two lines under its H1 if
    docs_dir/src_uri's front matter has `stage`; unchanged otherwise."""
    meta = front_matter(src_uri, docs_dir)
    if "stage" not in meta:
        return markdown
    line = stage_line(
        src_uri,
        meta.get("requires") or [],
        meta.get("unlocks") or [],
        stage_files(docs_dir),
    )
    tested = examples_line(int(meta["stage"]), root)
    return insert_under_h1(markdown, f"{line}\n\n{tested}", src_uri)


class StageMetaPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, docs_dir: Path) -> None:
        super().__init__(md)
        self.docs_dir = docs_dir

    def run(self, lines: list[str]) -> list[str]:
        page = rendered_page(self.md)
        if page is None or not page.startswith("stages/"):
            return lines
        text = "\n".join(lines)
        expanded = expand(text, page, self.docs_dir)
        return lines if expanded is text else expanded.split("\n")


class StageMetaExtension(Extension):
    def __init__(self, **kwargs) -> None:
        self.config = {"docs_dir": [DOCS_DIR, "docs/, relative to the cwd"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        processor = StageMetaPreprocessor(md, Path(self.getConfig("docs_dir")))
        md.preprocessors.register(processor, "stage_meta", PRIORITY)


def makeExtension(**kwargs) -> StageMetaExtension:
    return StageMetaExtension(**kwargs)


def examples_line(stage: int, root: Path) -> str:
    """What the stage's examples were tested with, from the files that record it."""
    pins = (root / "constraints.txt").read_text(encoding="utf-8")
    pinned = PIN.search(pins)
    if not pinned:
        raise SiteError(
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
            raise SiteError(
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
        raise SiteError(
            f"docs/{src_uri}: a stage page needs an H1 (`# Stage N: ...`) for the "
            "requires/unlocks line to go under"
        )
    end = heading.end()
    return f"{markdown[:end]}\n\n{line}\n{markdown[end:]}"
