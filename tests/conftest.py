"""Test setup shared by every stage: the Claude double, or the real API with --live.

Without --live, one `ClaudeDouble` serves every `tests/**/responses/*.yml`. It starts
in `pytest_configure`, before collection, so a snippet module may create its client
at import time. `--update-examples` comes from the pytest-examples plugin.
"""

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import site_builds
from tests.double import ClaudeDouble

DOUBLE_API_KEY = "key-for-the-local-double"
ENV_NAMES = ("ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY")
_double_key = pytest.StashKey[ClaudeDouble]()
_saved_env_key = pytest.StashKey[dict[str, str | None]]()
_owns_builds_key = pytest.StashKey[bool]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--live",
        action="store_true",
        help="run against the real API; needs ANTHROPIC_API_KEY",
    )


def pytest_configure(config: pytest.Config) -> None:
    if site_builds.RUN_DIR_VARIABLE not in os.environ:  # the run's first process
        os.environ[site_builds.RUN_DIR_VARIABLE] = tempfile.mkdtemp(prefix="builds-")
        config.stash[_owns_builds_key] = True
    if getattr(config.option, "numprocesses", None) and not is_worker(config):
        return  # an xdist controller runs no test: its workers start their doubles
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


def is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def pytest_unconfigure(config: pytest.Config) -> None:
    if config.stash.get(_owns_builds_key, False):
        shutil.rmtree(os.environ.pop(site_builds.RUN_DIR_VARIABLE), ignore_errors=True)
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


# The site as a reader gets it: one strict build per test run (and one offline
# build, and one by Zensical), shared by the site checks and the browser suite on
# every worker.
NEEDS_A_BUILD = {
    "built_site": "site",
    "offline_site": "site-offline",
    "zensical_site": "site-zensical",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Start the builds the collected tests read, and run those tests last."""
    needed = {
        NEEDS_A_BUILD[name]
        for item in items
        for name in item.fixturenames
        if name in NEEDS_A_BUILD
    }
    for name in sorted(needed):
        site_builds.start(name)
    items.sort(key=lambda item: not NEEDS_A_BUILD.keys().isdisjoint(item.fixturenames))


@pytest.fixture(scope="session")
def built_site() -> Path:
    """The directory of a strict build of the real site (built once per run)."""
    return site_builds.wait("site")


@pytest.fixture(scope="session")
def zensical_site() -> Path:
    """The same site built by Zensical, then the same post-build step."""
    return site_builds.wait("site-zensical")
