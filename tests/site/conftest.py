"""Shared setup for the site tests.

MkDocs loads each hook file as a top-level module with hooks/ on sys.path, so
hooks/glossary.py imports `glossary_source`. The tests import them the same way.

The strict build the site checks read (`built_site`) lives in tests/conftest.py,
shared with the browser suite.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOOKS = ROOT / "hooks"
sys.path.insert(0, str(HOOKS))
