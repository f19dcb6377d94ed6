"""Fixtures for warehouse tests: a real DuckDB file per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from warehouse import db


@pytest.fixture
def warehouse_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "warehouse.duckdb"


@pytest.fixture
def con(warehouse_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = db.connect(warehouse_path)
    yield connection
    connection.close()
