"""Test setup shared by every stage: the Claude double, or the real API with --live.

Without --live, one `ClaudeDouble` serves every `tests/**/responses/*.yml`. It starts
in `pytest_configure`, before collection, so a snippet module may create its client
at import time. `--update-examples` comes from the pytest-examples plugin.
"""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.double import ClaudeDouble

DOUBLE_API_KEY = "key-for-the-local-double"
ENV_NAMES = ("ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY")
_double_key = pytest.StashKey[ClaudeDouble]()
_saved_env_key = pytest.StashKey[dict[str, str | None]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--live",
        action="store_true",
        help="run against the real API; needs ANTHROPIC_API_KEY",
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--live"):
        if not os.environ.get("ANTHROPIC_API_KEY"):
            raise pytest.UsageError(
                "--live calls the real API: set ANTHROPIC_API_KEY first"
            )
        return
    double = ClaudeDouble(Path(__file__).parent).start()
    config.stash[_double_key] = double
    config.stash[_saved_env_key] = {name: os.environ.get(name) for name in ENV_NAMES}
    os.environ["ANTHROPIC_BASE_URL"] = double.base_url
    os.environ["ANTHROPIC_API_KEY"] = DOUBLE_API_KEY


def pytest_unconfigure(config: pytest.Config) -> None:
    double = config.stash.get(_double_key, None)
    if double is None:
        return
    double.stop()
    for name, value in config.stash[_saved_env_key].items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def live(pytestconfig: pytest.Config) -> bool:
    """True under `pytest --live`: assert on structure, not on exact text."""
    return bool(pytestconfig.getoption("--live"))


@pytest.fixture
def double(pytestconfig: pytest.Config, live: bool) -> Iterator[ClaudeDouble]:
    """The running double, reset (requests, `times` counters, prompt cache)."""
    if live:
        pytest.skip("asserts on the double's scripted replies")
    running = pytestconfig.stash[_double_key]
    running.reset()
    yield running


# The site as a reader gets it: one strict build per test session, shared by the
# site checks and the browser suite.
BUILD_TIMEOUT_S = 900


def build_site(site: Path, command: str, **env: str) -> Path:
    """Run `mkdocs build --strict` into `site`; fail with the log's tail and the
    `make` command that shows it whole."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=Path(__file__).resolve().parents[1],
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        check=False,
    )
    if result.returncode != 0:
        log = (result.stdout + result.stderr).strip().splitlines()
        pytest.fail(
            f"the strict site build failed; run `{command}` to see it whole. "
            "Last lines:\n" + "\n".join(log[-25:]),
            pytrace=False,
        )
    return site


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The directory of a strict build of the real site (built once per session)."""
    return build_site(tmp_path_factory.mktemp("site"), "make build")
