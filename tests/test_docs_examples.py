"""Run every inline Python block in the docs and check its printed output.

Blocks that only include a `snippets/` module are tested by that module's own
tests; everything else is linted, formatted and executed here, and each
`print` is compared with the `#>` lines under it. When output legitimately
changes, `make update-examples` rewrites those lines; review the diff.
"""

import pytest
from pytest_examples import CodeExample, EvalExample, find_examples

from tests.docs_blocks import DOCS, INCLUDE


def is_include_only(example: CodeExample) -> bool:
    lines = [line.strip() for line in example.source.splitlines() if line.strip()]
    return bool(lines) and all(INCLUDE.match(line) for line in lines)


EXAMPLES = [ex for ex in find_examples(DOCS) if not is_include_only(ex)]


@pytest.mark.parametrize("example", EXAMPLES, ids=str)
def test_inline_example(example: CodeExample, eval_example: EvalExample) -> None:
    eval_example.set_config(line_length=88, ruff_ignore=["E501"])
    if eval_example.update_examples:
        eval_example.format(example)
        eval_example.run_print_update(example)
    else:
        eval_example.lint(example)
        eval_example.run_print_check(example)
