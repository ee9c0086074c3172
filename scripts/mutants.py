"""Mutation testing with mutmut: which small changes to the code no test notices.

`make mutants` runs this. mutmut changes one thing at a time in a copy of the code
(a `<` for a `<=`, a string emptied, an argument dropped) and runs the tests that
reach it; a change the tests still pass with is a *survivor*: a wrong answer the
suite would let through. It is a tool for finding gaps, not part of `make test`.

    python scripts/mutants.py              # each stage's snippets, then the double
    python scripts/mutants.py --stage 3    # one stage (repeat --stage for more)
    python scripts/mutants.py --double     # the Messages API double only
    python scripts/mutants.py --stage 1 --show   # and print every survivor's diff

Each target runs in its own folder, .cache/mutants/<target>/, which links to the
project and holds mutmut's settings for that target (the code it may change and the
tests it runs); mutmut keeps its results there, so a second run only tries what
changed. Prints, per module, how many changes were tried, caught by a test
("killed"), not caught ("survived"), too slow ("timeout"), and never reached by an
in-process test ("no tests": code that only runs as `python -m`, in a subprocess).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / ".cache" / "mutants"
MUTMUT = Path(sys.executable).parent / "mutmut"
STAGES = range(1, 7)
NOT_LINKED = {".git", ".cache", "mutants", "site", "site-offline", ".pytest_cache"}
# mutmut copies these into its own tree beside the code it changes: the tests read them.
ALSO_COPY = [
    "benchmarks/",
    "data/",
    "docs/",
    "glossary.yml",
    "hooks/",
    "mkdocs.yml",
    "overrides/",
    "scripts/",
]
PYTEST_ARGS = ["-p", "no:cacheprovider", "-p", "no:cov", "-p", "no:xdist", "-q"]
# Snippet clients are made at import time, bound to one double's address, so every
# mutant's test run imports the project afresh in a process of its own; the process
# it is forked from has the libraries imported already (not PyTorch: not fork-safe).
PRELOAD = [
    "anthropic",
    "bs4",
    "httpx",
    "jsonschema",
    "numpy",
    "opentelemetry.sdk.trace",
    "psycopg",
    "pydantic",
    "pytest",
    "pytest_examples",
    "yaml",
]
RESULT = re.compile(r"^\s*(?P<name>[\w.ǁ]+)__mutmut_\d+: (?P<status>[\w ]+)$")


def targets(args: argparse.Namespace) -> dict[str, dict[str, object]]:
    """mutmut's settings for each target asked for: what it changes, what it runs."""
    stages = args.stage or ([] if args.double else list(STAGES))
    chosen: dict[str, dict[str, object]] = {}
    for stage in stages:
        chosen[f"stage{stage}"] = {
            "source_paths": ["snippets/"],
            "only_mutate": [f"snippets/stage{stage}/*"],
            "pytest_add_cli_args_test_selection": [
                f"tests/stage{stage}",
                "tests/test_docs_examples.py",  # the page's inline blocks
                "tests/test_requests_pinned.py",  # what each example sends
            ],
            "also_copy": ALSO_COPY,
        }
    if args.double or not args.stage:
        chosen["double"] = {
            "source_paths": ["tests/double/"],
            "pytest_add_cli_args_test_selection": ["tests/double"],
            "also_copy": [*ALSO_COPY, "snippets/"],
        }
    return chosen


def toml_value(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def prepare(name: str, settings: dict[str, object]) -> Path:
    """The target's folder: links to the project, and a pyproject.toml with the
    project's own settings plus this target's [tool.mutmut] table."""
    folder = WORK / name
    folder.mkdir(parents=True, exist_ok=True)
    for entry in ROOT.iterdir():
        link = folder / entry.name
        if entry.name in NOT_LINKED or entry.name == "pyproject.toml":
            continue
        if not link.is_symlink():
            link.symlink_to(os.path.relpath(entry, folder))
    preload = folder / "preload.txt"
    preload.write_text("\n".join(PRELOAD) + "\n", encoding="utf-8")
    table = {
        **settings,
        "pytest_add_cli_args": PYTEST_ARGS,
        "process_isolation": "forkserver",
        "forkserver_warmup": "import",
        "preload_modules_file": str(preload),
    }
    lines = [f"{key} = {toml_value(value)}" for key, value in table.items()]
    project = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (folder / "pyproject.toml").write_text(
        project + "\n[tool.mutmut]\n" + "\n".join(lines) + "\n", encoding="utf-8"
    )
    return folder


def results(folder: Path) -> dict[str, Counter[str]]:
    """Per module, how many mutants ended in each status (mutmut's own words)."""
    printed = subprocess.run(
        [str(MUTMUT), "results", "--all", "true"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    per_module: dict[str, Counter[str]] = defaultdict(Counter)
    for line in printed.splitlines():
        match = RESULT.match(line)
        if match:
            function = match["name"]
            module = function.rsplit(".", 1)[0]
            per_module[module][match["status"].strip()] += 1
    return per_module


def survivors(folder: Path) -> list[str]:
    printed = subprocess.run(
        [str(MUTMUT), "results"], cwd=folder, capture_output=True, text=True, check=True
    ).stdout
    return [
        line.split(":", 1)[0].strip() for line in printed.splitlines() if ":" in line
    ]


def report(name: str, per_module: dict[str, Counter[str]]) -> None:
    columns = ["killed", "survived", "timeout", "no tests"]
    print(f"\n{name}: mutants per module")
    print(f"  {'module':44} {'tried':>6} " + " ".join(f"{c:>9}" for c in columns))
    totals: Counter[str] = Counter()
    for module in sorted(per_module):
        counts = per_module[module]
        totals.update(counts)
        cells = " ".join(f"{counts.get(c, 0):>9}" for c in columns)
        print(f"  {module:44} {sum(counts.values()):>6} {cells}")
    cells = " ".join(f"{totals.get(c, 0):>9}" for c in columns)
    print(f"  {'total':44} {sum(totals.values()):>6} {cells}")
    other = set(totals) - set(columns)
    if other:
        print("  other statuses: " + ", ".join(f"{s} {totals[s]}" for s in other))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage", type=int, action="append", choices=STAGES)
    parser.add_argument("--double", action="store_true", help="mutate tests/double")
    parser.add_argument("--show", action="store_true", help="print survivors' diffs")
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args(argv)
    for name, settings in targets(args).items():
        folder = prepare(name, settings)
        print(f"== {name}: mutmut run in {folder.relative_to(ROOT)}", flush=True)
        run = subprocess.run(
            [str(MUTMUT), "run", "--max-children", str(args.max_children)],
            cwd=folder,
            check=False,
        )
        if run.returncode != 0:
            print(f"mutants: mutmut run failed for {name} (exit {run.returncode})")
            return run.returncode
        report(name, results(folder))
        if args.show:
            for mutant in survivors(folder):
                subprocess.run([str(MUTMUT), "show", mutant], cwd=folder, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
