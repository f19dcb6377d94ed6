from __future__ import annotations

from collections.abc import Iterator

import pytest
from prefect.testing.utilities import prefect_test_harness


@pytest.fixture(scope="session", autouse=True)
def prefect_db() -> Iterator[None]:
    """One temporary Prefect database for every flow run in this folder."""
    with prefect_test_harness(server_startup_timeout=120):
        yield
