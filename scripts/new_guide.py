"""Scaffold a new guide: its page, its code module, its test and its nav entry.

    python -m scripts.new_guide SLUG --stage N --title "Title of the guide"

creates, for SLUG `rag-evals` and stage 3:

    docs/guides/rag-evals.md               the page: front matter, the five parts,
                                           an include of the module's example
    snippets/stage3/rag_evals.py           docstring, MODEL, an example section, main()
    tests/stage3/test_rag_evals.py         runs the module as __main__ and checks it
    tests/stage3/responses/rag_evals.yml   the double's scripted reply for the example

and adds `guides/rag-evals.md` at the end of the Guides section of mkdocs.yml, by
inserting one line. It refuses, changing nothing, when the slug is taken or the nav
section cannot be found. Everything it writes passes `make test` as it stands; then
replace the placeholders with the real guide.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SLUG = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
MAX_SLUG = 40  # keeps every generated line within ruff's 88 characters
NAV_SECTION = re.compile(r"^(?P<indent>[ \t]*)- Guides:[ \t]*$")
STAGES = range(1, 7)


class ScaffoldError(Exception):
    """The guide cannot be created; the message says why and what to do."""


@dataclass(frozen=True)
class Guide:
    slug: str
    stage: int
    title: str

    @property
    def module(self) -> str:
        return self.slug.replace("-", "_")

    @property
    def page(self) -> str:
        return f"docs/guides/{self.slug}.md"

    @property
    def snippet(self) -> str:
        return f"snippets/stage{self.stage}/{self.module}.py"

    @property
    def test(self) -> str:
        return f"tests/stage{self.stage}/test_{self.module}.py"

    @property
    def responses(self) -> str:
        return f"tests/stage{self.stage}/responses/{self.module}.yml"

    @property
    def question(self) -> str:
        topic = self.title.replace('"', "'")  # one kind of quote: nothing to escape
        return f"In three sentences, what should an engineer know about {topic}?"


# ----------------------------------------------------------------- templates

PAGE = """\
---
title: {title_yaml}
description: One sentence for search results; say what a reader can do after this guide.
---

# {title}

Say in two or three sentences which problem this guide solves and who needs it.
It goes deeper than [Stage {stage}](../stages/{stage_page}), which links here.

## What you will be able to do

- Replace these bullets with three to five things a reader can do afterwards.

## What to learn

### The first idea

Explain one idea in short sentences, then show the code that proves it. The code
is included from a tested module, never typed here:

```python title="{snippet}"
--8<-- "{snippet}:example"
```

!!! note "Output from the local API double"
    Paste what `python -m {dotted}` prints against the double here, and say so
    whenever output shown on the page did not come from a real model.

## The failure that teaches this

Tell one concrete story of a system that broke without this idea, and the fix.

## What to build

Describe one project, with acceptance criteria a reader can check:

- [ ] Replace with a criterion a reader can verify.

## Checklist

- [ ] Replace with what a reader can now do.

**Read next:** [Stage {stage}](../stages/{stage_page}) and the
[glossary](../glossary.md).
"""

MODULE = '''\
"""{module_summary}

Then say in a short paragraph why it matters and what to notice in the code.
"""

import anthropic

from snippets.stage1.replies import reply_text

MODEL = "claude-sonnet-5-5"

client = anthropic.Anthropic()

{question_assignment}


# --8<-- [start:example]
def example(question: str) -> str:
    """The smallest piece of code the guide needs to show."""
    message = client.messages.create(
        model=MODEL,
        max_tokens=2_000,  # room for adaptive thinking (on by default), then the answer
        messages=[{{"role": "user", "content": question}}],
    )
    return reply_text(message)  # by block type; raises unless the model finished


# --8<-- [end:example]


def main() -> None:
    print(example(QUESTION))


if __name__ == "__main__":
    main()
'''

TEST = '''\
"""{test_summary}"""

import runpy

import pytest

from snippets.stage1.replies import IncompleteReply
from snippets.stage{stage} import {module} as guide

ANSWER = "Replace this with the answer the page shows, written as a model would."


def test_main_prints_the_answer(capsys, double):
    runpy.run_module(guide.__name__, run_name="__main__")
    assert capsys.readouterr().out == ANSWER + "\\n"


def test_the_example_sends_the_question(double):
    assert guide.example(guide.QUESTION) == ANSWER
    body = double.requests[-1].body
    assert (body["model"], body["max_tokens"]) == ("claude-sonnet-5-5", 2000)
    assert body["messages"][0]["content"] == guide.QUESTION


def test_an_incomplete_reply_is_an_error(double):
    cut = {{
        "match": {{"user": guide.QUESTION}},
        "reply": {{
            "content": [{{"type": "text", "text": "It is"}}],
            "stop_reason": "max_tokens",
        }},
    }}
    with double.script([cut]), pytest.raises(IncompleteReply, match="max_tokens"):
        guide.example(guide.QUESTION)
'''

RESPONSES = """\
# Scripted replies for {snippet}
- match:
    user: {question}
  reply:
    content:
      - type: text
        text: Replace this with the answer the page shows, written as a model would.
    stop_reason: end_turn
"""


# ----------------------------------------------------------------- scaffolding


def wrapped(text: str, indent: str = "") -> str:
    """Text wrapped to fit ruff's line length, for docstrings."""
    return textwrap.fill(text, width=84, subsequent_indent=indent)


def question_assignment(question: str) -> str:
    """`QUESTION = "..."`, split into implicitly joined pieces when too long."""
    line = f"QUESTION = {json.dumps(question, ensure_ascii=False)}"
    if len(line) <= 88:
        return line
    pieces = textwrap.wrap(question, width=70, drop_whitespace=False)
    body = "".join(f"    {json.dumps(piece, ensure_ascii=False)}\n" for piece in pieces)
    return f"QUESTION = (\n{body})"


def stage_page(root: Path, stage: int) -> str:
    """The file name of the stage's page, `03-retrieval.md`."""
    pages = sorted((root / "docs" / "stages").glob(f"{stage:02d}-*.md"))
    if not pages:
        raise ScaffoldError(f"docs/stages/: no page for stage {stage} (0{stage}-*.md)")
    return pages[0].name


def nav_with_guide(mkdocs_yml: str, guide: Guide) -> str:
    """mkdocs.yml with the guide's line appended to the nav's Guides section, at
    the depth of the section's own items (after any sub-groups it holds)."""
    lines = mkdocs_yml.splitlines(keepends=True)
    entry = f"guides/{guide.slug}.md"
    for index, line in enumerate(lines):
        section = NAV_SECTION.match(line.rstrip("\n"))
        if not section:
            continue
        depth = len(section.group("indent"))
        last, item_indent = index, ""
        for below in range(index + 1, len(lines)):
            text = lines[below]
            indent = text[: len(text) - len(text.lstrip())]
            if not text.strip():
                continue
            if len(indent) <= depth:
                break
            last = below
            item_indent = item_indent or indent  # the section's own items' depth
        item_indent = item_indent or " " * (depth + 4)
        if lines[last] and not lines[last].endswith("\n"):
            lines[last] += "\n"
        lines.insert(last + 1, f"{item_indent}- {entry}\n")
        return "".join(lines)
    raise ScaffoldError(
        "mkdocs.yml: no `- Guides:` section in `nav`, so the new page cannot be "
        f"listed; add the section, or add `- {entry}` to the nav by hand"
    )


def check(root: Path, guide: Guide) -> None:
    """Refuse, before writing anything, whatever would make the guide invalid."""
    if not SLUG.match(guide.slug):
        raise ScaffoldError(
            f"slug {guide.slug!r}: use lower-case words joined by hyphens, starting "
            "with a letter, like `rag-evals`"
        )
    if len(guide.slug) > MAX_SLUG:
        raise ScaffoldError(
            f"slug {guide.slug!r} is {len(guide.slug)} characters; keep it to "
            f"{MAX_SLUG} or fewer"
        )
    if guide.stage not in STAGES:
        raise ScaffoldError(f"--stage {guide.stage}: stages are numbered 1 to 6")
    if not guide.title.strip() or "\n" in guide.title or "\\" in guide.title:
        raise ScaffoldError(
            "--title: give the guide's title on one line, no backslashes"
        )
    for path in (guide.page, guide.snippet, guide.test, guide.responses):
        if (root / path).exists():
            raise ScaffoldError(
                f"{path} already exists; choose another slug, or edit that guide"
            )
    if f"guides/{guide.slug}.md" in (root / "mkdocs.yml").read_text(encoding="utf-8"):
        raise ScaffoldError(
            f"mkdocs.yml already lists guides/{guide.slug}.md; choose another slug"
        )


def scaffold(root: Path, guide: Guide) -> list[str]:
    """Create the guide's files and nav entry under `root`; the paths, in order."""
    check(root, guide)
    mkdocs_yml = root / "mkdocs.yml"
    nav = nav_with_guide(mkdocs_yml.read_text(encoding="utf-8"), guide)
    values = {
        "title": guide.title,
        "title_yaml": json.dumps(guide.title, ensure_ascii=False),
        "stage": guide.stage,
        "stage_page": stage_page(root, guide.stage),
        "snippet": guide.snippet,
        "module": guide.module,
        "dotted": guide.snippet.removesuffix(".py").replace("/", "."),
        "question": json.dumps(guide.question, ensure_ascii=False),
        "question_assignment": question_assignment(guide.question),
        "module_summary": wrapped(
            f"{guide.title}: replace this line with what the module teaches."
        ),
        "test_summary": wrapped(f'What the guide "{guide.title}" promises.'),
    }
    files = {
        guide.page: PAGE,
        guide.snippet: MODULE,
        guide.test: TEST,
        guide.responses: RESPONSES,
    }
    packages = [f"snippets/stage{guide.stage}", f"tests/stage{guide.stage}"]
    for package in packages:
        init = root / package / "__init__.py"
        if not init.exists():
            init.parent.mkdir(parents=True, exist_ok=True)
            init.write_text("", encoding="utf-8")
    for path, template in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(template.format(**values), encoding="utf-8")
    mkdocs_yml.write_text(nav, encoding="utf-8")
    return [*files, "mkdocs.yml"]


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.new_guide",
        description="Create a guide page, its module, its test and its nav entry.",
    )
    parser.add_argument("slug", help="the page's file name, like rag-evals")
    parser.add_argument("--stage", type=int, required=True, help="1 to 6")
    parser.add_argument("--title", required=True, help="the guide's title")
    args = parser.parse_args(argv)
    guide = Guide(slug=args.slug, stage=args.stage, title=args.title)
    try:
        written = scaffold(root, guide)
    except ScaffoldError as error:
        print(f"new_guide: {error}", file=sys.stderr)
        return 1
    print("Created:")
    for path in written:
        print(f"  {path}")
    print(
        "Next: write the page and the module, then run\n"
        f"  .venv/bin/pytest {guide.test} tests/test_every_block_is_tested.py\n"
        "  make build"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
