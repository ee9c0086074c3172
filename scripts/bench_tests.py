"""How long `make test` takes, phase by phase: `make bench-tests` runs this.

Times what `make test` runs after setup (ruff, then pytest on every core with
coverage), reads pytest's JUnit report, and prints the wall time of each phase, the
time the tests spent per directory (summed over workers, so it can exceed the wall
time), the slowest tests, and the machine's load before and after, so a reader can
judge the noise. A benchmark, not a test: it prints figures and asserts nothing.

    python scripts/bench_tests.py            # the whole `make test` run
    python scripts/bench_tests.py -- -k db   # extra arguments go to pytest
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SLOWEST = 12


def make_test_arguments() -> list[str]:
    """pytest's arguments in `make test`, from the Makefile (its PYTEST_ALL)."""
    printed = subprocess.run(
        ["make", "--no-print-directory", "-s", "pytest-args"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return shlex.split(printed)


def timed(command: list[str]) -> tuple[float, int]:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, check=False)
    return time.perf_counter() - started, result.returncode


def load() -> str:
    one, five, fifteen = os.getloadavg()
    cores = os.cpu_count()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min) on {cores} cores"


def test_times(report: Path) -> tuple[dict[str, float], list[tuple[float, str]]]:
    """Seconds per test directory, and every test's own time, from a JUnit report."""
    per_directory: dict[str, float] = defaultdict(float)
    tests = []
    for case in ET.parse(report).iter("testcase"):
        seconds = float(case.get("time", 0))
        module = case.get("classname", "")  # e.g. tests.stage3.test_ingest
        parts = module.split(".")
        directory = "/".join(parts[:2]) if len(parts) > 2 else parts[0]
        per_directory[directory] += seconds
        tests.append((seconds, f"{module}::{case.get('name')}"))
    return per_directory, sorted(tests, reverse=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pytest_args", nargs="*", help="extra arguments for pytest")
    args = parser.parse_args(argv)
    print(f"load before: {load()}")
    lint_check, rc_check = timed([str(BIN / "ruff"), "check", "--quiet", "."])
    lint_format, rc_format = timed([str(BIN / "ruff"), "format", "--check", "-q", "."])
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "junit.xml"
        command = [
            str(BIN / "pytest"),
            *make_test_arguments(),
            f"--junitxml={report}",
            *args.pytest_args,
        ]
        print("$", shlex.join(command[1:]))
        pytest_wall, rc_tests = timed(command)
        per_directory, tests = test_times(report)
    print(f"\nload after:  {load()}")
    print("\nphase                          wall s")
    print(f"ruff check                     {lint_check:6.1f}")
    print(f"ruff format --check            {lint_format:6.1f}")
    print(f"pytest (all workers)           {pytest_wall:6.1f}")
    total = lint_check + lint_format + pytest_wall
    print(f"make test after setup          {total:6.1f}")
    print("\ntest time per directory, summed over workers (s)")
    for directory, seconds in sorted(per_directory.items(), key=lambda x: -x[1]):
        print(f"  {directory:28} {seconds:6.1f}")
    print(f"\nslowest {SLOWEST} tests (s; setup and teardown included)")
    for seconds, name in tests[:SLOWEST]:
        print(f"  {seconds:6.1f}  {name}")
    return rc_check or rc_format or rc_tests


if __name__ == "__main__":
    sys.exit(main())
