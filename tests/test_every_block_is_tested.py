"""No Python block on the site may escape testing: each is included or run."""

import pytest

from tests.docs_blocks import ROOT, Block, code_blocks, covering_test, python_blocks

FIX_INCLUDE = (
    "move the code into a module under snippets/ and include it with "
    '--8<-- "snippets/...", '
    "or make the block a self-contained inline example"
)


def problems(block: Block) -> list[str]:
    found = []
    if block.language != "python":
        found.append(
            f'{block.where}: python code fenced as "{block.language}"; fence it as '
            "```python so that it is run and checked"
        )
    if "test=" in block.info:
        found.append(
            f"{block.where}: test settings ({block.info.strip()}) skip or alter a run; "
            "every block must run as shown"
        )
    if block.has_include_lines and not block.includes:
        found.append(
            f"{block.where}: mixes an --8<-- include with inline code; {FIX_INCLUDE}"
        )
    for target in block.includes:
        file = target.split(":", 1)[0]
        if not file.startswith("snippets/") or not file.endswith(".py"):
            found.append(
                f"{block.where}: includes {file}, which is not a snippets/ module, "
                f"so no test covers it; {FIX_INCLUDE}"
            )
        elif not (ROOT / file).is_file():
            found.append(f"{block.where}: includes {file}, which does not exist")
        elif not covering_test(file).is_file():
            found.append(
                f"{block.where}: includes {file}, which has no test; "
                f"add {covering_test(file).relative_to(ROOT)}"
            )
    return found


def test_every_python_block_on_the_site_is_tested():
    blocks = python_blocks()
    assert blocks, "no Python blocks found under docs/: is the scan broken?"
    found = [problem for block in blocks for problem in problems(block)]
    assert not found, "Untested code on the site:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ('```python\n--8<-- "tests/conftest.py"\n```\n', "not a snippets/ module"),
        ('```python\n--8<-- "snippets/stage1/nope.py"\n```\n', "does not exist"),
        ('```python\n--8<-- "snippets/__init__.py"\n```\n', "has no test"),
        ('```py3\nprint("hi")\n```\n', 'fenced as "py3"'),
        ('```python test="skip"\nprint("hi")\n```\n', "test settings"),
        ('```python\n--8<-- "snippets/stage1/first_call.py"\nx = 1\n```\n', "mixes"),
        ('!!! note\n    ```python test="skip"\n    x = 1\n    ```\n', "docs/page.md:2"),
    ],
)
def test_each_kind_of_untested_block_is_reported_with_file_and_line(
    tmp_path, monkeypatch, markdown, expected
):
    page = tmp_path / "page.md"
    page.write_text("# Page\n\n" + markdown if "!!!" not in markdown else markdown)
    # Report paths relative to the repository, as for real pages.
    monkeypatch.setattr(Block, "where", property(lambda b: f"docs/page.md:{b.line}"))
    blocks = [b for b in code_blocks(page) if b.language.startswith("py")]
    assert blocks, "the scan must find the block"
    reported = "\n".join(p for b in blocks for p in problems(b))
    assert expected in reported


def test_a_correct_include_is_accepted(tmp_path):
    page = tmp_path / "page.md"
    page.write_text('```python\n--8<-- "snippets/stage1/first_call.py:call"\n```\n')
    (block,) = code_blocks(page)
    assert problems(block) == []


def test_every_snippet_module_has_a_test():
    missing = [
        f"{module.relative_to(ROOT)} has no test: add "
        f"{covering_test(str(module.relative_to(ROOT))).relative_to(ROOT)}"
        for module in sorted((ROOT / "snippets").rglob("*.py"))
        if module.name != "__init__.py"
        and not covering_test(str(module.relative_to(ROOT))).is_file()
    ]
    assert not missing, "\n".join(missing)


def test_every_test_module_names_a_real_snippet():
    """`tests/stageN/test_x.py` tests `snippets/stageN/x.py`. Checks of a page as a
    whole (its notebook, its measured claims) are named `test_page_*.py`."""
    orphans = [
        str(test.relative_to(ROOT))
        for stage in sorted((ROOT / "tests").glob("stage*"))
        for test in sorted(stage.glob("test_*.py"))
        if not test.name.startswith("test_page_")
        and not (
            ROOT / "snippets" / stage.name / test.name.removeprefix("test_")
        ).is_file()
    ]
    assert not orphans, (
        f"tests for snippets that do not exist: {orphans}; rename the test to match "
        "its module, or to test_page_*.py if it checks the page as a whole"
    )
