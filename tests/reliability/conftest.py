"""Shared parts of the reliability suite: a real Prefect server, `zvit run` in child processes
(so they can be killed), snapshots of the published marts, and the figures the suite reports."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from prefect.settings import PREFECT_API_URL
from prefect.testing.utilities import prefect_test_harness

from tests.reliability.figures import FIGURES
from zvit.settings import PROJECT_DIR

FIXTURES = PROJECT_DIR / "tests/fixtures"
GOOD = (
    PROJECT_DIR / "samples/plan_2022.docx",
    FIXTURES / "documents/anticorruption/anticorruption_2019.pdf",
)
"""Two small good documents of two types: what every fault test loads."""

VOLATILE_COLUMNS = {"first_seen_at", "processed_at", "loaded_at"}
"""Clock readings: the only mart values allowed to differ between two runs."""


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if FIGURES:
        terminalreporter.section("reliability figures")
        for name, value in FIGURES:
            terminalreporter.write_line(f"{name}: {value}")


@pytest.fixture(scope="session", autouse=True)
def prefect_api() -> Iterator[str]:
    """One temporary Prefect server for the suite; child `zvit run`s talk to it too."""
    with prefect_test_harness(server_startup_timeout=120):
        yield str(PREFECT_API_URL.value())


def fill_inbox(inbox: Path, files: tuple[Path, ...] = GOOD) -> Path:
    inbox.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copy(f, inbox / f.name)
    return inbox


def zvit_run(
    api: str,
    inbox: Path,
    data_dir: Path,
    *,
    keep_inbox: bool = False,
    env: dict[str, str] | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """`zvit run` as a data engineer would start it, in its own process."""
    full_env = {
        **{k: v for k, v in os.environ.items() if k != "ZVIT_FAILPOINT"},
        "PREFECT_API_URL": api,
        "ZVIT_DATA_DIR": str(data_dir),
        "ZVIT_MIN_FILE_AGE_S": "0",
        "COLUMNS": "200",
        **(env or {}),
    }
    args = [sys.executable, "-m", "zvit.cli", "run", "--inbox", str(inbox)]
    if keep_inbox:
        args.append("--keep-inbox")
    return subprocess.run(
        args, env=full_env, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=timeout
    )


def snapshot(marts_path: Path) -> dict[str, list[tuple]]:
    """Every published mart's rows, sorted, without clock columns: equal snapshots mean no row
    was lost, doubled or changed."""
    con = duckdb.connect(str(marts_path), read_only=True)
    try:
        out = {}
        tables = con.execute(
            "select table_name from information_schema.tables where table_type = 'BASE TABLE'"
        ).fetchall()
        for (table,) in tables:
            cols = [
                c
                for (c,) in con.execute(
                    "select column_name from information_schema.columns "
                    "where table_name = ? order by ordinal_position",
                    [table],
                ).fetchall()
                if c not in VOLATILE_COLUMNS
            ]
            rows = con.execute(f'select {", ".join(cols)} from "{table}"').fetchall()
            out[table] = sorted(rows, key=repr)
        return out
    finally:
        con.close()


@pytest.fixture(scope="session")
def clean_marts(prefect_api: str, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The marts of one clean run over the good documents: what every fault must end in."""
    root = tmp_path_factory.mktemp("clean")
    proc = zvit_run(prefect_api, fill_inbox(root / "inbox"), root / "data")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    marts = snapshot(root / "data/marts.duckdb")
    assert len(marts["fct_plan_measures"]) > 0 and len(marts["fct_anticorruption_measures"]) == 42
    return marts
