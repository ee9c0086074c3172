"""Every Stage 5 test starts from a fresh double: no cached prompts, no counters."""

import pytest


@pytest.fixture(autouse=True)
def fresh_double(request: pytest.FixtureRequest, live: bool) -> None:
    if not live:
        request.getfixturevalue("double")
