"""Shared setup for the site tests.

MkDocs loads each hook file as a top-level module with hooks/ on sys.path, so
hooks/glossary.py imports `glossary_source`. The tests import them the same way.

`built_site` is the site as a reader gets it: one `mkdocs build --strict` per test
session into a temporary directory, shared by every test that needs built HTML
(the glossary usage checks, the FAQ structured data, the browser suite).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOOKS = ROOT / "hooks"
sys.path.insert(0, str(HOOKS))

BUILD_TIMEOUT_S = 900


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The directory of a strict build of the real site (built once per session)."""
    site = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        check=False,
    )
    if result.returncode != 0:
        log = (result.stdout + result.stderr).strip().splitlines()
        pytest.fail(
            "`mkdocs build --strict` failed; run `make build` to see it whole. "
            "Last lines:\n" + "\n".join(log[-25:]),
            pytrace=False,
        )
    return site
