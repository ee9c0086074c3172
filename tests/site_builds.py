"""The strict builds the site and browser tests read, made once per test run.

`make test` runs on several pytest-xdist workers, and each would otherwise build
the site again. Instead, the first worker whose collected tests need a build starts
it in the background (`start`), in a directory every worker of the run shares; the
tests that read the site are ordered last, so the build runs while the other tests
do. A fixture that needs the site waits for it (`wait`); a failed build fails those
tests with the log's tail and the `make` command that shows it whole.

Each build runs what its make target runs: the generator (MkDocs, or Zensical for
"site-zensical"), then the post-build step, `python -m site_markdown.post_build`.
Zensical writes only inside the project, so its build goes to a folder under
.cache/ and is moved into the run's directory.

    python -m tests.site_builds DIR NAME  # what `start` runs; writes DIR/NAME.rc
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from filelock import FileLock

ROOT = Path(__file__).resolve().parents[1]
RUN_DIR_VARIABLE = "ROADMAP_TEST_BUILDS"  # set by the first pytest process of a run
BUILD_TIMEOUT_S = 900
BUILDS = {  # name: (the make target a reader runs, extra environment)
    "site": ("make build", {}),
    "site-offline": ("make offline", {"OFFLINE": "true"}),
    "site-zensical": ("make build-zensical", {}),
}
ZENSICAL_BUILDS = ROOT / ".cache" / "zensical-test-builds"  # inside the project
# Builds import no snippet, so they run without coverage's subprocess measuring.
UNMEASURED = ("COVERAGE_PROCESS_CONFIG", "COVERAGE_PROCESS_START")


def run_dir() -> Path:
    """The directory this run's builds go to, shared by every worker."""
    return Path(os.environ[RUN_DIR_VARIABLE])


def start(name: str) -> None:
    """Start the build `name` in the background unless a worker already did."""
    directory = run_dir()
    with FileLock(directory / f"{name}.lock"):
        started = directory / f"{name}.started"
        if started.exists():
            return
        log = (directory / f"{name}.log").open("w", encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k not in UNMEASURED}
        subprocess.Popen(
            [sys.executable, "-m", "tests.site_builds", str(directory), name],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        started.touch()


def wait(name: str) -> Path:
    """The built site `name`, once its build has finished; a failed build fails."""
    start(name)
    directory = run_dir()
    rc_file = directory / f"{name}.rc"
    deadline = time.monotonic() + BUILD_TIMEOUT_S
    while not rc_file.exists():
        if time.monotonic() > deadline:
            pytest.fail(f"the {name} build took over {BUILD_TIMEOUT_S} s", False)
        time.sleep(0.2)
    if rc_file.read_text(encoding="utf-8").strip() != "0":
        command, _ = BUILDS[name]
        log = (directory / f"{name}.log").read_text(encoding="utf-8").splitlines()
        pytest.fail(
            f"the strict site build failed; run `{command}` to see it whole. "
            "Last lines:\n" + "\n".join(log[-25:]),
            pytrace=False,
        )
    return directory / name


def generate(directory: Path, name: str) -> int:
    """Run the generator of build `name` into directory/name; its return code."""
    _, extra_env = BUILDS[name]
    site = directory / name
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **extra_env}
    if name != "site-zensical":
        command = [sys.executable, "-m", "mkdocs", "build", "--strict"]
        return subprocess.run(
            [*command, "--site-dir", str(site)],
            cwd=ROOT,
            env=env,
            timeout=BUILD_TIMEOUT_S,
            check=False,
        ).returncode
    inside = ZENSICAL_BUILDS / directory.name
    shutil.rmtree(inside, ignore_errors=True)
    command = [sys.executable, "-m", "zensical", "build", "--strict"]
    # Zensical keeps one cache in the project's .cache/; two builds writing it at
    # once (two test runs in one checkout) left one with no pages. One at a time.
    ZENSICAL_BUILDS.mkdir(parents=True, exist_ok=True)
    with FileLock(ZENSICAL_BUILDS / "zensical.lock"):
        returncode = subprocess.run(
            [*command, "--config-file", "zensical.yml"],
            cwd=ROOT,
            env={**env, "ZENSICAL_SITE_DIR": str(inside)},
            timeout=BUILD_TIMEOUT_S,
            check=False,
        ).returncode
    if inside.is_dir():
        shutil.move(inside, site)
    return returncode


def main(directory: Path, name: str) -> int:
    returncode = generate(directory, name)
    if returncode == 0:
        post_build = [sys.executable, "-m", "site_markdown.post_build"]
        returncode = subprocess.run(
            [*post_build, str(directory / name)],
            cwd=ROOT,
            timeout=BUILD_TIMEOUT_S,
            check=False,
        ).returncode
    # Written last and whole, so a waiting worker never reads half a result.
    (directory / f"{name}.rc.tmp").write_text(str(returncode))
    (directory / f"{name}.rc.tmp").rename(directory / f"{name}.rc")
    return returncode


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), sys.argv[2]))
